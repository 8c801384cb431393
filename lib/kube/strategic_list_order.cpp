#include "lib/kube/strategic_list_order.h"

#include <algorithm>
#include <climits>
#include <vector>

namespace certforge::kube::smp {

using nlohmann::json;

namespace {

// Stable sort by position in `order`; items missing from it go last.
void SortBy(json& items, const json& order, const std::string& merge_key) {
  std::vector<std::pair<int, json>> keyed;
  for (auto& item : items) {
    int index = IndexIn(order, item, merge_key);
    keyed.emplace_back(index < 0 ? INT_MAX : index, std::move(item));
  }
  std::stable_sort(keyed.begin(), keyed.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  items = json::array();
  for (auto& [index, item] : keyed) items.push_back(std::move(item));
}

}  // namespace

bool SameItem(const json& a, const json& b, const std::string& merge_key) {
  if (merge_key.empty() || !a.is_object() || !b.is_object()) return a == b;
  auto ka = a.find(merge_key);
  auto kb = b.find(merge_key);
  if (ka == a.end() || kb == b.end()) return a == b;
  return *ka == *kb;
}

int IndexIn(const json& list, const json& item, const std::string& merge_key) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (SameItem(list[i], item, merge_key)) return static_cast<int>(i);
  }
  return -1;
}

std::pair<json, json> PartitionByPresence(const json& items, const json& by,
                                          const std::string& merge_key) {
  json present = json::array();
  json absent = json::array();
  for (const auto& item : items) {
    (IndexIn(by, item, merge_key) >= 0 ? present : absent).push_back(item);
  }
  return {std::move(present), std::move(absent)};
}

json NormalizeElementOrder(json patch_items, json server_only, const json& patch_order,
                           const json& server_order, const std::string& merge_key) {
  SortBy(patch_items, patch_order, merge_key);
  SortBy(server_only, server_order, merge_key);
  json all = json::array();
  size_t i = 0;
  size_t j = 0;
  while (i < server_only.size() || j < patch_items.size()) {
    if (j >= patch_items.size()) {
      all.push_back(std::move(server_only[i++]));
    } else if (i >= server_only.size()) {
      all.push_back(std::move(patch_items[j++]));
    } else {
      int left = IndexIn(server_order, server_only[i], merge_key);
      int right = IndexIn(server_order, patch_items[j], merge_key);
      // A patch item the server does not know yet wins, as in Kubernetes.
      if (left >= 0 && right >= 0 && left < right) {
        all.push_back(std::move(server_only[i++]));
      } else {
        all.push_back(std::move(patch_items[j++]));
      }
    }
  }
  return all;
}

}  // namespace certforge::kube::smp
