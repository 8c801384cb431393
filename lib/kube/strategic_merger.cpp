#include "lib/kube/strategic_merger.h"

#include <set>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/kube/strategic_list_order.h"

namespace certforge::kube::smp {

using nlohmann::json;

namespace {

constexpr char kPatchDirective[] = "$patch";
constexpr char kRetainKeys[] = "$retainKeys";
constexpr absl::string_view kSetElementOrder = "$setElementOrder/";
constexpr absl::string_view kDeleteFromPrimitiveList = "$deleteFromPrimitiveList/";

std::string Join(const std::string& path, const std::string& field) {
  return path.empty() ? field : absl::StrCat(path, ".", field);
}

std::string Where(const std::string& path) {
  return path.empty() ? "the patch root" : absl::StrCat("\"", path, "\"");
}

absl::Status Invalid(const std::string& path, absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat("strategic merge patch at ", Where(path), ": ", what));
}

// Checks Kubernetes' rule that the patch list's items appear in $setElementOrder in the same
// relative order (items carrying a $patch directive are exempt).
absl::Status ValidateOrder(const json& patch_list, const json& order, const std::string& key,
                           const std::string& field, const std::string& path) {
  std::vector<const json*> items;
  for (const auto& item : patch_list) {
    if (item.is_object() && item.contains(kPatchDirective)) continue;
    if (!key.empty() && item.is_object() && !item.contains(key)) {
      return Invalid(path,
                     absl::StrCat("an item of \"", field, "\" lacks merge key \"", key, "\""));
    }
    items.push_back(&item);
  }
  if (!key.empty()) {
    for (const auto& entry : order) {
      if (!entry.is_object() || !entry.contains(key)) {
        return Invalid(path, absl::StrCat("$setElementOrder/", field, " entries need merge key \"",
                                          key, "\""));
      }
    }
  }
  size_t position = 0;
  for (const json* item : items) {
    while (position < order.size() && !SameItem(*item, order[position], key)) ++position;
    if (position == order.size()) {
      return Invalid(
          path, absl::StrCat("the items of \"", field,
                             "\" are missing from or out of order in $setElementOrder/", field));
    }
    ++position;
  }
  return absl::OkStatus();
}

}  // namespace

StrategicMerger::ListMeta StrategicMerger::MetaFor(const std::string& path) const {
  if (auto it = schema_.merge_keys.find(path); it != schema_.merge_keys.end()) {
    return {true, it->second};
  }
  return {schema_.merged_scalar_lists.count(path) > 0, ""};
}

absl::StatusOr<json> StrategicMerger::MergeMap(json original, const json& patch,
                                               const std::string& path) const {
  if (!original.is_object()) original = json::object();
  if (auto directive = patch.find(kPatchDirective); directive != patch.end()) {
    const std::string kind = directive->is_string() ? directive->get<std::string>() : "";
    if (kind == "delete") return json::object();
    if (kind == "replace") {
      json rest = patch;
      rest.erase(kPatchDirective);
      return MergeMap(json::object(), rest, path);
    }
    if (kind != "merge") {
      return Invalid(
          path, absl::StrCat("$patch must be replace, delete or merge, not ", directive->dump()));
    }
  }
  if (patch.contains(kRetainKeys)) {
    if (absl::Status status = ApplyRetainKeys(original, patch); !status.ok()) return status;
  }
  std::set<std::string> ordered;
  for (const auto& [key, value] : patch.items()) {
    if (!absl::StartsWith(key, kSetElementOrder)) continue;
    std::string field = key.substr(kSetElementOrder.size());
    if (field.empty()) return Invalid(path, "$setElementOrder/ needs a field name");
    if (absl::Status status = ApplySetElementOrder(original, patch, field, value, path);
        !status.ok()) {
      return status;
    }
    ordered.insert(field);
  }
  for (const auto& [key, value] : patch.items()) {
    if (absl::StartsWith(key, "$") || ordered.count(key) > 0) continue;
    if (value.is_null()) {
      original.erase(key);
      continue;
    }
    auto existing = original.find(key);
    auto merged =
        MergeValue(existing == original.end() ? nullptr : &*existing, value, Join(path, key));
    if (!merged.ok()) return merged.status();
    original[key] = *std::move(merged);
  }
  // Deletions come last so that they win over additions of the same value.
  for (const auto& [key, value] : patch.items()) {
    if (!absl::StartsWith(key, kDeleteFromPrimitiveList)) continue;
    std::string field = key.substr(kDeleteFromPrimitiveList.size());
    if (field.empty()) return Invalid(path, "$deleteFromPrimitiveList/ needs a field name");
    if (absl::Status status = DeleteFromPrimitiveList(original, field, value); !status.ok()) {
      return Invalid(path, status.message());
    }
  }
  return original;
}

absl::StatusOr<json> StrategicMerger::MergeValue(const json* original, const json& patch,
                                                 const std::string& path) const {
  if (patch.is_object()) {
    return MergeMap(original != nullptr ? *original : json::object(), patch, path);
  }
  if (patch.is_array()) {
    ListMeta meta = MetaFor(path);
    if (!meta.merge) return CleanList(patch, path);
    bool has_list = original != nullptr && original->is_array();
    return MergeList(has_list ? *original : json::array(), patch, path, meta);
  }
  return patch;
}

absl::StatusOr<json> StrategicMerger::CleanList(const json& patch, const std::string& path) const {
  json out = json::array();
  for (const auto& item : patch) {
    if (!item.is_object()) {
      out.push_back(item);
      continue;
    }
    auto cleaned = MergeMap(json::object(), item, path + "[]");
    if (!cleaned.ok()) return cleaned.status();
    out.push_back(*std::move(cleaned));
  }
  return out;
}

absl::StatusOr<json> StrategicMerger::MergeList(json original, const json& patch,
                                                const std::string& path,
                                                const ListMeta& meta) const {
  bool maps = false;
  bool scalars = false;
  for (const json* list : {static_cast<const json*>(&original), &patch}) {
    for (const auto& item : *list) {
      if (item.is_array()) return Invalid(path, "lists of lists cannot be merged");
      (item.is_object() ? maps : scalars) = true;
    }
  }
  if (maps && scalars) return Invalid(path, "a merged list cannot mix maps and scalars");
  if (!maps) {
    json merged = json::array();
    for (const json* list : {static_cast<const json*>(&original), &patch}) {
      for (const auto& item : *list) {
        if (IndexIn(merged, item, "") < 0) merged.push_back(item);
      }
    }
    auto [patch_items, server_only] = PartitionByPresence(merged, patch, "");
    return NormalizeElementOrder(std::move(patch_items), std::move(server_only), patch, original,
                                 "");
  }
  if (meta.merge_key.empty()) return Invalid(path, "a list of maps needs a merge key to merge");
  return MergeListOfMaps(std::move(original), patch, path, meta.merge_key);
}

absl::StatusOr<json> StrategicMerger::MergeListOfMaps(json original, const json& patch,
                                                      const std::string& path,
                                                      const std::string& merge_key) const {
  json plain = json::array();
  bool replace = false;
  for (const auto& item : patch) {
    auto directive = item.find(kPatchDirective);
    if (directive == item.end()) {
      plain.push_back(item);
    } else if (*directive == "delete") {
      if (!item.contains(merge_key)) {
        return Invalid(path,
                       absl::StrCat("a $patch: delete item lacks merge key \"", merge_key, "\""));
      }
      json kept = json::array();
      for (auto& existing : original) {
        if (!SameItem(existing, item, merge_key)) kept.push_back(std::move(existing));
      }
      original = std::move(kept);
    } else if (*directive == "replace") {
      replace = true;
    } else {
      return Invalid(
          path, absl::StrCat("list items take $patch delete or replace, not ", directive->dump()));
    }
  }
  if (replace) original = json::array();
  const json server_order = original;
  const std::string item_path = path + "[]";
  for (const auto& item : plain) {
    if (!item.contains(merge_key)) {
      return Invalid(path, absl::StrCat("an item lacks merge key \"", merge_key, "\""));
    }
    int index = IndexIn(original, item, merge_key);
    json base = index >= 0 ? original[static_cast<size_t>(index)] : json::object();
    auto merged = MergeMap(std::move(base), item, item_path);
    if (!merged.ok()) return merged.status();
    if (index >= 0) {
      original[static_cast<size_t>(index)] = *std::move(merged);
    } else {
      original.push_back(*std::move(merged));
    }
  }
  auto [patch_items, server_only] = PartitionByPresence(original, plain, merge_key);
  return NormalizeElementOrder(std::move(patch_items), std::move(server_only), plain, server_order,
                               merge_key);
}

absl::Status StrategicMerger::ApplyRetainKeys(json& original, const json& patch) const {
  const json& keys = patch.at(kRetainKeys);
  if (!keys.is_array()) return absl::InvalidArgumentError("$retainKeys must be a list");
  std::set<std::string> retained;
  for (const auto& key : keys) {
    if (!key.is_string()) {
      return absl::InvalidArgumentError("$retainKeys must list field names as strings");
    }
    retained.insert(key.get<std::string>());
  }
  for (const auto& [key, value] : patch.items()) {
    if (value.is_null() || absl::StartsWith(key, "$")) continue;
    if (retained.count(key) == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("field \"", key, "\" is in the patch but not in $retainKeys"));
    }
  }
  std::vector<std::string> dropped;
  for (const auto& [key, value] : original.items()) {
    if (retained.count(key) == 0) dropped.push_back(key);
  }
  for (const auto& key : dropped) original.erase(key);
  return absl::OkStatus();
}

absl::Status StrategicMerger::ApplySetElementOrder(json& original, const json& patch,
                                                   const std::string& field, const json& order,
                                                   const std::string& path) const {
  if (!order.is_array())
    return Invalid(path, absl::StrCat("$setElementOrder/", field, " must be a list"));
  const json* original_list = nullptr;
  if (auto it = original.find(field); it != original.end() && !it->is_null()) {
    if (!it->is_array()) return Invalid(path, absl::StrCat("\"", field, "\" is not a list"));
    original_list = &*it;
  }
  const json* patch_list = nullptr;
  if (auto it = patch.find(field); it != patch.end()) {
    if (!it->is_array()) {
      return Invalid(path, absl::StrCat("$setElementOrder/", field, " needs \"", field,
                                        "\" to be a list in the patch"));
    }
    patch_list = &*it;
  }
  if (original_list == nullptr && patch_list == nullptr) return absl::OkStatus();
  const std::string child = Join(path, field);
  const std::string merge_key = MetaFor(child).merge_key;
  if (absl::Status status = ValidateOrder(patch_list != nullptr ? *patch_list : json::array(),
                                          order, merge_key, field, path);
      !status.ok()) {
    return status;
  }
  json merged;
  if (patch_list == nullptr) {
    merged = *original_list;
  } else {
    auto result = MergeValue(original_list, *patch_list, child);
    if (!result.ok()) return result.status();
    merged = *std::move(result);
  }
  const json server_order = original_list != nullptr ? *original_list : json::array();
  auto [patch_items, server_only] = PartitionByPresence(merged, order, merge_key);
  original[field] = NormalizeElementOrder(std::move(patch_items), std::move(server_only), order,
                                          server_order, merge_key);
  return absl::OkStatus();
}

absl::Status StrategicMerger::DeleteFromPrimitiveList(json& original, const std::string& field,
                                                      const json& values) const {
  if (!values.is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("$deleteFromPrimitiveList/", field, " must be a list"));
  }
  auto it = original.find(field);
  if (it == original.end() || it->is_null()) return absl::OkStatus();
  if (!it->is_array()) {
    return absl::InvalidArgumentError(
        absl::StrCat("$deleteFromPrimitiveList/", field, " applies to a field that is not a list"));
  }
  json kept = json::array();
  for (const auto& item : *it) {
    if (IndexIn(values, item, "") < 0) kept.push_back(item);
  }
  *it = std::move(kept);
  return absl::OkStatus();
}

}  // namespace certforge::kube::smp
