#pragma once
// Shared helpers for the StructuralSchema tests.

#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lib/kube/field_error.h"
#include "lib/kube/structural_schema.h"
#include "tests/unit/kube_schema/yaml_json.h"

namespace certforge::kube {

inline void PrintTo(const FieldError& error, std::ostream* os) {
  *os << "{" << error.field << " | " << error.reason << " | " << error.message << "}";
}

namespace testing {

// Compiles a schema written in YAML; fails the test (and returns an accept-all schema) if the
// schema does not compile.
inline StructuralSchema MustCompile(std::string_view schema_yaml) {
  auto schema = StructuralSchema::Compile(YamlToJson(schema_yaml));
  EXPECT_TRUE(schema.ok()) << schema.status() << "\n" << schema_yaml;
  if (schema.ok()) return *std::move(schema);
  return *StructuralSchema::Compile(nlohmann::json::object());
}

// A schema whose spec.x is `property_yaml` (a YAML flow mapping).
inline std::string SpecXSchema(std::string_view property_yaml) {
  return "{type: object, properties: {spec: {type: object, properties: {x: " +
         std::string(property_yaml) + "}}}}";
}

inline nlohmann::json SpecX(const nlohmann::json& value) { return {{"spec", {{"x", value}}}}; }

}  // namespace testing
}  // namespace certforge::kube
