#pragma once
// Turns a CRD version's openAPIV3Schema (JSON) into a SchemaNode tree, rejecting what a
// structural schema may not contain and compiling patterns and CEL rules once.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/kube/schema_node.h"

namespace certforge::kube {

class SchemaCompiler {
 public:
  struct Output {
    std::unique_ptr<SchemaNode> root;
    std::vector<std::string> unsupported_rules;  // CEL rules outside the subset, skipped
  };

  // InvalidArgumentError naming the offending path ("openAPIV3Schema.properties[spec].type").
  static absl::StatusOr<Output> Compile(const nlohmann::json& schema);

 private:
  absl::StatusOr<std::unique_ptr<SchemaNode>> Node(const nlohmann::json& schema,
                                                   const std::string& path);
  absl::Status Scalars(const nlohmann::json& schema, const std::string& path, SchemaNode& node);
  absl::Status Children(const nlohmann::json& schema, const std::string& path, SchemaNode& node);
  absl::Status Combinators(const nlohmann::json& schema, const std::string& path, SchemaNode& node);
  absl::Status ListAndMapTypes(const nlohmann::json& schema, const std::string& path,
                               SchemaNode& node);
  absl::Status Rules(const nlohmann::json& schema, const std::string& path, SchemaNode& node);
  static void ComputeSubtreeFlags(SchemaNode& node);

  std::vector<std::string> unsupported_rules_;
};

}  // namespace certforge::kube
