#pragma once
// Structural defaulting (apiextensions-apiserver's schema/defaulting): first drops nulls the
// schema does not allow and cannot default, then fills `default` for absent fields and for nulls
// in non-nullable fields.

#include <nlohmann/json.hpp>

#include "lib/kube/schema_node.h"

namespace certforge::kube {

class SchemaDefaulter {
 public:
  static void Apply(const SchemaNode& root, nlohmann::json& object);

 private:
  static void DropNonNullableNulls(const SchemaNode* node, nlohmann::json& value);
  static void Default(const SchemaNode& node, nlohmann::json& value);
};

}  // namespace certforge::kube
