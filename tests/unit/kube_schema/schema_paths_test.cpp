// Field paths of errors deep inside arrays and maps: kube-openapi names map entries with dots
// ("spec.m.key"), while list-type and CEL errors use field.Path ("spec.m[key]").

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/kube_schema/schema_test_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using testing::MustCompile;

std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> fields;
  for (const FieldError& error : errors) fields.push_back(error.field);
  return fields;
}

constexpr const char* kSchema = R"(
type: object
properties:
  spec:
    type: object
    properties:
      solvers:
        type: array
        items:
          type: object
          required: [name]
          properties:
            name: {type: string, maxLength: 5}
            selector:
              type: object
              properties:
                dnsNames:
                  type: array
                  x-kubernetes-list-type: set
                  items: {type: string}
      routes:
        type: object
        additionalProperties:
          type: object
          required: [port]
          properties:
            port: {type: integer}
            hosts:
              type: array
              x-kubernetes-list-type: set
              items: {type: string}
          x-kubernetes-validations:
          - rule: self.port > 0
            message: port must be positive
      matrix:
        type: array
        items:
          type: array
          items: {type: integer}
)";

TEST(FieldPathTest, ThroughArrays) {
  const StructuralSchema schema = MustCompile(kSchema);
  const json object = json::parse(R"({"spec": {"solvers": [
      {"name": "ok"},
      {"selector": {}},
      {"name": "toolong"},
      {"name": "dup", "selector": {"dnsNames": ["a", "a"]}}
  ], "matrix": [[1], [2, "x"]]}})");
  EXPECT_EQ(Fields(schema.Validate(object)),
            (std::vector<std::string>{
                "spec.matrix[1][1]", "spec.solvers[1].name", "spec.solvers[2].name",
                "spec.solvers[3].selector.dnsNames[1]", "<nil>"}));  // CEL rules were skipped
}

TEST(FieldPathTest, ThroughMaps) {
  const StructuralSchema schema = MustCompile(kSchema);
  const json object = json::parse(R"({"spec": {"routes": {
      "web": {"port": "80"},
      "api": {"hosts": []},
      "db": {"port": 5432, "hosts": ["h", "h"]}
  }}})");
  const auto errors = schema.Validate(object);
  std::vector<std::string> rendered;
  for (const FieldError& error : errors) rendered.push_back(error.ToString());
  EXPECT_EQ(rendered,
            (std::vector<std::string>{
                "spec.routes.api.port: Required value",
                "spec.routes.web.port: Invalid value: \"string\": spec.routes.web.port in body "
                "must be of type integer: \"string\"",
                "spec.routes[db].hosts[1]: Duplicate value: \"h\"",
                "<nil>: Invalid value: \"null\": some validation rules were not checked because "
                "the object was invalid; correct the existing errors to complete validation",
            }));
}

TEST(FieldPathTest, CelRulesOnMapValuesUseKeyPaths) {
  const StructuralSchema schema = MustCompile(kSchema);
  const json object = json::parse(R"({"spec": {"routes": {"a": {"port": 0}, "b": {"port": 1}}}})");
  EXPECT_EQ(schema.Validate(object),
            (std::vector<FieldError>{{"spec.routes[a]", "FieldValueInvalid",
                                      "Invalid value: \"object\": port must be positive"}}));
}

}  // namespace
}  // namespace certforge::kube
