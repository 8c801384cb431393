#include "lib/kube/merge_patch.h"

namespace certforge::kube {

using nlohmann::json;

namespace {

void MergeInto(json& target, const json& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object();
  for (const auto& [name, value] : patch.items()) {
    if (value.is_null()) {
      target.erase(name);
    } else {
      MergeInto(target[name], value);
    }
  }
}

}  // namespace

json ApplyMergePatch(const json& target, const json& patch) {
  json result = target;
  MergeInto(result, patch);
  return result;
}

json CreateMergePatch(const json& from, const json& to) {
  if (!from.is_object() || !to.is_object()) return to;
  json patch = json::object();
  for (const auto& [name, value] : from.items()) {
    if (!to.contains(name)) patch[name] = nullptr;
  }
  for (const auto& [name, value] : to.items()) {
    auto old = from.find(name);
    if (old == from.end()) {
      patch[name] = value;
    } else if (*old != value) {
      // A nested object that only changed inside gets a nested patch, not a full copy.
      patch[name] = (old->is_object() && value.is_object()) ? CreateMergePatch(*old, value) : value;
    }
  }
  return patch;
}

}  // namespace certforge::kube
