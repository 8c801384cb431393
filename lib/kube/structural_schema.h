#pragma once
// A CRD version's openAPIV3Schema, compiled once, applied to custom resources exactly as
// kube-apiserver applies it on create and update: pruning of unknown fields, defaulting, and
// validation into 422 field errors (OpenAPI value validation, x-kubernetes-list-type and
// embedded-resource invariants, and x-kubernetes-validations CEL rules).
//
// Immutable after Compile and cheap to copy: share one per CRD version across threads.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/kube/field_error.h"

namespace certforge::kube {

struct SchemaNode;

class StructuralSchema {
 public:
  // Compiles a CRD version's schema.openAPIV3Schema. Rejects malformed schemas
  // (InvalidArgumentError naming the path, e.g. "openAPIV3Schema.properties[spec].type: ...").
  static absl::StatusOr<StructuralSchema> Compile(const nlohmann::json& open_api_v3_schema);

  // Drops fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields or
  // additionalProperties allow them). Never touches apiVersion, kind or metadata (metadata is
  // validated by the server itself). Returns the removed fields as paths ("spec.foo",
  // "spec.items[0].bar") in document order: the server turns them into a 400 "strict decoding
  // error: unknown field \"spec.foo\"" under fieldValidation=Strict or a warning.
  std::vector<std::string> Prune(nlohmann::json& object) const;

  // Fills `default` values for absent fields (and for null in nullable:false fields, as
  // Kubernetes does); nulls the schema forbids and cannot default are dropped first.
  void ApplyDefaults(nlohmann::json& object) const;

  // Every violation, in a stable order: OpenAPI validation (type, combinators, string, format,
  // number, items, enum, properties, required), then embedded resources, then list-type
  // uniqueness, then CEL rules (skipped with kube-apiserver's notice when a type, required, enum
  // or size violation was found). Empty = valid.
  std::vector<FieldError> Validate(const nlohmann::json& object) const;

  // x-kubernetes-validations rules that Compile could not understand (they are skipped, the
  // server warns).
  const std::vector<std::string>& UnsupportedRules() const { return *unsupported_rules_; }

 private:
  StructuralSchema() = default;

  std::shared_ptr<const SchemaNode> root_;
  std::shared_ptr<const std::vector<std::string>> unsupported_rules_;
};

}  // namespace certforge::kube
