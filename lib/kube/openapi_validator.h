#pragma once
// The OpenAPI v3 value validation kube-apiserver runs on custom resources (kube-openapi's
// SchemaValidator): same checks, same order, same messages.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/kube/field_error.h"
#include "lib/kube/openapi_error.h"
#include "lib/kube/schema_node.h"

namespace certforge::kube {

class OpenApiValidator {
 public:
  // Appends every violation of `object` against the root schema to `out`.
  static void Validate(const SchemaNode& root, const nlohmann::json& object,
                       std::vector<FieldError>& out);

 private:
  // `path` is a scratch buffer holding the value's dotted name; it is restored on return.
  static void Node(const SchemaNode& node, const nlohmann::json& value, std::string& path,
                   OpenApiResult& result);
  static void Type(const SchemaNode& node, const nlohmann::json& value, const std::string& path,
                   OpenApiResult& result);
  static void Combinators(const SchemaNode& node, const nlohmann::json& value, std::string& path,
                          OpenApiResult& result);
  static void String(const SchemaNode& node, const nlohmann::json& value, const std::string& path,
                     OpenApiResult& result);
  static void Format(const SchemaNode& node, const nlohmann::json& value, const std::string& path,
                     OpenApiResult& result);
  static void Number(const SchemaNode& node, const nlohmann::json& value, const std::string& path,
                     OpenApiResult& result);
  static void Array(const SchemaNode& node, const nlohmann::json& value, std::string& path,
                    OpenApiResult& result);
  static void Enum(const SchemaNode& node, const nlohmann::json& value, const std::string& path,
                   OpenApiResult& result);
  static void Object(const SchemaNode& node, const nlohmann::json& value, std::string& path,
                     OpenApiResult& result);
};

}  // namespace certforge::kube
