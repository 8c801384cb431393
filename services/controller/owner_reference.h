#pragma once
// Owner references the controller puts on what it creates (controller: true, as cert-manager).

#include <nlohmann/json.hpp>

namespace certforge::controller {

nlohmann::json ControllerOwnerReference(const nlohmann::json& owner);
// Whether `object` lists `owner_uid` among its owners.
bool IsOwnedBy(const nlohmann::json& object, const std::string& owner_uid);

}  // namespace certforge::controller
