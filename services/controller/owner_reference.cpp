#include "services/controller/owner_reference.h"

namespace certforge::controller {

nlohmann::json ControllerOwnerReference(const nlohmann::json& owner) {
  const auto& meta = owner.at("metadata");
  return {{"apiVersion", owner.value("apiVersion", "")},
          {"kind", owner.value("kind", "")},
          {"name", meta.value("name", "")},
          {"uid", meta.value("uid", "")},
          {"controller", true},
          {"blockOwnerDeletion", true}};
}

bool IsOwnedBy(const nlohmann::json& object, const std::string& owner_uid) {
  const auto& meta = object.at("metadata");
  if (!meta.contains("ownerReferences")) return false;
  for (const auto& ref : meta["ownerReferences"]) {
    if (ref.value("uid", "") == owner_uid) return true;
  }
  return false;
}

}  // namespace certforge::controller
