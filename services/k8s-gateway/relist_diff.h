#pragma once
// After a watch expires (410) the gateway lists again and tells its client only what changed
// since what it delivered, so the client's view stays right without a reset. Pure functions.

#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>
#include <vector>

#include "certforge/kube/v1/gateway.pb.h"

namespace certforge::k8sgw {

// What one watch stream has delivered: "namespace/name" → resourceVersion.
using DeliveredIndex = std::unordered_map<std::string, std::string>;

// "namespace/name" ("/name" for cluster-scoped objects).
std::string IndexKey(const nlohmann::json& object);
std::string ResourceVersionOf(const nlohmann::json& object);

// The events that turn `delivered` into `listed` (objects as JSON text, relayed as they are):
// ADDED for new keys, MODIFIED for changed
// resourceVersions (both in list order), then DELETED for vanished keys (sorted, with a minimal
// object: apiVersion, kind, metadata name/namespace/resourceVersion = `list_rv`).
// `next` receives the index after those events.
std::vector<kube::v1::WatchEvent> RelistDiff(const DeliveredIndex& delivered,
                                             const std::vector<std::string>& listed,
                                             const std::string& list_rv,
                                             const std::string& api_version,
                                             const std::string& kind, DeliveredIndex* next);

}  // namespace certforge::k8sgw
