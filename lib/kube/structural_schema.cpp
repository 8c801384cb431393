#include "lib/kube/structural_schema.h"

#include <utility>

#include "lib/kube/cel_rule_validator.h"
#include "lib/kube/embedded_resource_validator.h"
#include "lib/kube/list_type_validator.h"
#include "lib/kube/openapi_validator.h"
#include "lib/kube/schema_compiler.h"
#include "lib/kube/schema_defaulter.h"
#include "lib/kube/schema_node.h"
#include "lib/kube/schema_pruner.h"

namespace certforge::kube {
namespace {

// kube-apiserver does not run CEL rules on an object with these violations
// (apiextensions-apiserver's hasBlockingErr).
bool HasBlockingError(const std::vector<FieldError>& errors) {
  for (const FieldError& error : errors) {
    if (error.reason == reason::kNotSupported || error.reason == reason::kRequired ||
        error.reason == reason::kTooLong || error.reason == reason::kTooMany ||
        error.reason == reason::kTypeInvalid) {
      return true;
    }
  }
  return false;
}

}  // namespace

absl::StatusOr<StructuralSchema> StructuralSchema::Compile(
    const nlohmann::json& open_api_v3_schema) {
  auto compiled = SchemaCompiler::Compile(open_api_v3_schema);
  if (!compiled.ok()) return compiled.status();
  StructuralSchema schema;
  schema.root_ = std::shared_ptr<const SchemaNode>(std::move(compiled->root));
  schema.unsupported_rules_ =
      std::make_shared<const std::vector<std::string>>(std::move(compiled->unsupported_rules));
  return schema;
}

std::vector<std::string> StructuralSchema::Prune(nlohmann::json& object) const {
  return SchemaPruner::Prune(*root_, object);
}

void StructuralSchema::ApplyDefaults(nlohmann::json& object) const {
  SchemaDefaulter::Apply(*root_, object);
}

std::vector<FieldError> StructuralSchema::Validate(const nlohmann::json& object) const {
  std::vector<FieldError> errors;
  OpenApiValidator::Validate(*root_, object, errors);
  if (root_->subtree_has_embedded) EmbeddedResourceValidator::Validate(*root_, object, errors);
  if (root_->subtree_has_list_sets) ListTypeValidator::Validate(*root_, object, errors);
  if (root_->subtree_has_rules) {
    if (HasBlockingError(errors)) {
      errors.push_back(InvalidError("<nil>", nullptr,
                                    "some validation rules were not checked because the object "
                                    "was invalid; correct the existing errors to complete "
                                    "validation"));
    } else {
      CelRuleValidator::Validate(*root_, object, errors);
    }
  }
  return errors;
}

}  // namespace certforge::kube
