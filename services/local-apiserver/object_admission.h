#pragma once
// The write path's checks and defaults, the same for every kind: what a client sent becomes
// the object the server stores (server-owned metadata, status rules, generation, schema
// pruning, defaulting and validation), or a Kubernetes Status error.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "services/local-apiserver/resource_type.h"

namespace certforge::apiserver {

enum class FieldValidation { kIgnore, kWarn, kStrict };

struct AdmissionRequest {
  const ResourceType& type;
  std::string ns;           // from the URL
  std::string name;         // from the URL; empty on create
  std::string subresource;  // "" or "status"
  const nlohmann::json* old = nullptr;  // the stored object; null on create
  FieldValidation validation = FieldValidation::kWarn;
  std::chrono::system_clock::time_point now;
};

// Rewrites `object` in place into what will be stored; unknown fields dropped under
// kWarn/kIgnore are reported in `warnings`. The caller assigns uid (on create),
// resourceVersion and handles deletion.
absl::Status AdmitObject(const AdmissionRequest& request, nlohmann::json& object,
                         std::vector<std::string>& warnings);

}  // namespace certforge::apiserver
