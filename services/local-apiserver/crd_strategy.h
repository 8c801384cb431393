#pragma once
// CustomResourceDefinition rules: names and versions validated as kube-apiserver does, the
// status (accepted names, Established) kept by the server, and the cleanup finalizer that
// makes deletion remove every custom resource first.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "services/local-apiserver/resource_strategy.h"
#include "services/local-apiserver/resource_type.h"

namespace certforge::apiserver {

inline constexpr char kCrdCleanupFinalizer[] = "customresourcecleanup.apiextensions.k8s.io";

class CrdStrategy : public ResourceStrategy {
 public:
  void PrepareForCreate(nlohmann::json& object) const override;
  void PrepareForUpdate(nlohmann::json& object, const nlohmann::json& old) const override;
  std::vector<kube::FieldError> Validate(const nlohmann::json& object,
                                         const nlohmann::json* old) const override;
};

// The resources a (valid) CRD serves: one ResourceType per served version.
absl::StatusOr<std::vector<ResourceType>> ResourceTypesFromCrd(const nlohmann::json& crd);

}  // namespace certforge::apiserver
