#pragma once
// x-kubernetes-list-type invariants (apiextensions-apiserver's listtype validation): items of a
// `set` are unique, items of a `map` are objects with unique x-kubernetes-list-map-keys.

#include <nlohmann/json.hpp>
#include <vector>

#include "lib/kube/field_error.h"
#include "lib/kube/schema_node.h"

namespace certforge::kube {

class ListTypeValidator {
 public:
  static void Validate(const SchemaNode& root, const nlohmann::json& object,
                       std::vector<FieldError>& out);

 private:
  static void Object(const SchemaNode& node, const nlohmann::json& object, std::string& path,
                     std::vector<FieldError>& out);
  static void Value(const SchemaNode& node, const nlohmann::json& value, std::string& path,
                    std::vector<FieldError>& out);
  static void Array(const SchemaNode& node, const nlohmann::json& array, std::string& path,
                    std::vector<FieldError>& out);
  static void ListMap(const SchemaNode& node, const nlohmann::json& array, std::string& path,
                      std::vector<FieldError>& out);
};

}  // namespace certforge::kube
