#pragma once
// Reading an object's nested fields without copying them.
//
// nlohmann's `object.value("spec", json::object())` returns a copy of the whole member; on the
// controller's hot paths, which read a few fields of every Certificate on every reconcile, those
// copies were a large part of its allocations.

#include <nlohmann/json.hpp>
#include <string_view>

namespace certforge::kube {

// The member `key` of `object` when both are JSON objects; an empty object otherwise.
inline const nlohmann::json& ObjectAt(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kEmpty = nlohmann::json::object();
  if (!object.is_object()) return kEmpty;
  auto member = object.find(key);
  return member != object.end() && member->is_object() ? *member : kEmpty;
}

// The member `key` of `object` when it is a JSON array; an empty array otherwise.
inline const nlohmann::json& ArrayAt(const nlohmann::json& object, std::string_view key) {
  static const nlohmann::json kEmpty = nlohmann::json::array();
  if (!object.is_object()) return kEmpty;
  auto member = object.find(key);
  return member != object.end() && member->is_array() ? *member : kEmpty;
}

}  // namespace certforge::kube
