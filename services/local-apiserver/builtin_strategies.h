#pragma once
// Rules of the built-in kinds that their schemas cannot say.

#include "services/local-apiserver/resource_strategy.h"

namespace certforge::apiserver {

// stringData folded into data, type defaulted to Opaque, immutable Secrets, TLS key pairs.
class SecretStrategy : public ResourceStrategy {
 public:
  absl::Status Normalize(nlohmann::json& object) const override;
  std::vector<kube::FieldError> Validate(const nlohmann::json& object,
                                         const nlohmann::json* old) const override;
};

class ConfigMapStrategy : public ResourceStrategy {
 public:
  std::vector<kube::FieldError> Validate(const nlohmann::json& object,
                                         const nlohmann::json* old) const override;
};

// Active on creation; deletion waits on spec.finalizers while the contents are removed.
class NamespaceStrategy : public ResourceStrategy {
 public:
  void PrepareForCreate(nlohmann::json& object) const override;
  void PrepareForUpdate(nlohmann::json& object, const nlohmann::json& old) const override;
  bool HasFinalizers(const nlohmann::json& object) const override;
  void PrepareForDeletion(nlohmann::json& object) const override;
};

// The finalizer that namespace deletion waits on.
inline constexpr char kNamespaceFinalizer[] = "kubernetes";

}  // namespace certforge::apiserver
