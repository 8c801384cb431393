#pragma once
// Compiles one x-kubernetes-validations entry (rule, message, messageExpression, reason,
// fieldPath) against the schema node it is declared on.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "lib/kube/schema_node.h"

namespace certforge::kube {

class CelRuleCompiler {
 public:
  // The compiled rule; nullopt when its expression is outside the supported CEL subset (the
  // caller skips it and reports it); InvalidArgumentError when the entry itself is malformed.
  static absl::StatusOr<std::optional<CelRule>> Compile(const nlohmann::json& entry,
                                                        const SchemaNode& node,
                                                        const std::string& path);

  // Parses a rule's fieldPath (".spec.a", ".m['key']") and resolves it against `node`.
  static absl::StatusOr<std::vector<FieldPathStep>> ResolveFieldPath(std::string_view field_path,
                                                                     const SchemaNode& node);
};

}  // namespace certforge::kube
