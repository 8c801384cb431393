#pragma once
// Element ordering for strategic merge patch lists, following Kubernetes: items named by the
// patch (or its $setElementOrder list) come in that order, and items only the server has keep
// their relative server order, interleaved where the server order puts them.

#include <nlohmann/json.hpp>
#include <string>
#include <utility>

namespace certforge::kube::smp {

// Whether `a` and `b` name the same list item: equal merge-key values when `merge_key` is set and
// both carry it, equal values otherwise.
bool SameItem(const nlohmann::json& a, const nlohmann::json& b, const std::string& merge_key);

// Position of `item` in the array `list`, comparing merge-key values when `merge_key` is set and
// `item` is an object, whole values otherwise; -1 when absent.
int IndexIn(const nlohmann::json& list, const nlohmann::json& item, const std::string& merge_key);

// Splits the array `items` into (present in `by`, absent from `by`), each keeping its order.
std::pair<nlohmann::json, nlohmann::json> PartitionByPresence(const nlohmann::json& items,
                                                              const nlohmann::json& by,
                                                              const std::string& merge_key);

// Sorts `patch_items` by `patch_order` and `server_only` by `server_order`, then interleaves
// them: a server-only item goes before a patch item only when the server order says so.
nlohmann::json NormalizeElementOrder(nlohmann::json patch_items, nlohmann::json server_only,
                                     const nlohmann::json& patch_order,
                                     const nlohmann::json& server_order,
                                     const std::string& merge_key);

}  // namespace certforge::kube::smp
