#pragma once
// Kind-specific rules that a schema cannot express: Secret's stringData, a Namespace's phase,
// a CRD's names and status. The registry calls these around its generic write path.

#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "lib/kube/field_error.h"

namespace certforge::apiserver {

class ResourceStrategy {
 public:
  virtual ~ResourceStrategy() = default;

  // Rewrites a new or updated object before validation (e.g. folds Secret stringData).
  virtual absl::Status Normalize(nlohmann::json& object) const {
    (void)object;
    return absl::OkStatus();
  }
  // Sets server-owned fields of a new object (e.g. a Namespace's status.phase).
  virtual void PrepareForCreate(nlohmann::json& object) const { (void)object; }
  // Keeps server-owned fields right on update (e.g. a CRD's accepted names).
  virtual void PrepareForUpdate(nlohmann::json& object, const nlohmann::json& old) const {
    (void)object;
    (void)old;
  }
  // Rules beyond the schema; `old` is null on create.
  virtual std::vector<kube::FieldError> Validate(const nlohmann::json& object,
                                                 const nlohmann::json* old) const {
    (void)object;
    (void)old;
    return {};
  }
  // Whether deletion must wait (metadata.finalizers; Namespaces also wait on spec.finalizers).
  virtual bool HasFinalizers(const nlohmann::json& object) const;
  // Called when deletion starts (e.g. a Namespace turns Terminating).
  virtual void PrepareForDeletion(nlohmann::json& object) const { (void)object; }
};

// Finalizers that the server's own garbage collector acts on.
inline constexpr char kOrphanFinalizer[] = "orphan";
inline constexpr char kForegroundFinalizer[] = "foregroundDeletion";

}  // namespace certforge::apiserver
