#pragma once
// Legacy discovery documents (/api, /apis, /api/v1, /apis/{g}/{v}), /version, and the small
// OpenAPI v3 documents kubectl looks for before it validates on the server side.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "services/local-apiserver/resource_catalog.h"

namespace certforge::apiserver {

class Discovery {
 public:
  Discovery(const ResourceCatalog& catalog, std::string instance_id)
      : catalog_(catalog), instance_id_(std::move(instance_id)) {}

  static nlohmann::json Version();
  nlohmann::json ApiVersions(const std::string& server_address) const;
  nlohmann::json ApiGroupList() const;
  std::optional<nlohmann::json> ApiGroup(const std::string& group) const;
  std::optional<nlohmann::json> ResourceList(const std::string& group,
                                             const std::string& version) const;
  nlohmann::json OpenApiV3Index() const;
  std::optional<nlohmann::json> OpenApiV3Document(const std::string& group,
                                                  const std::string& version) const;

 private:
  // Group → its versions, most preferred first (v1 before v1beta1 before v1alpha1).
  std::map<std::string, std::vector<std::string>> GroupVersions() const;
  std::string Hash() const;

  const ResourceCatalog& catalog_;
  std::string instance_id_;
};

// Kubernetes' version priority: GA > beta > alpha, then higher numbers first.
bool VersionMorePreferred(const std::string& a, const std::string& b);

}  // namespace certforge::apiserver
