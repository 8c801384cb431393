#include <gtest/gtest.h>

#include <string>

#include "tests/unit/kube_schema/schema_test_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using testing::YamlToJson;

struct MalformedCase {
  std::string name;
  std::string schema;
  std::string error;  // the InvalidArgumentError's message starts with this
};

class MalformedSchemaTest : public ::testing::TestWithParam<MalformedCase> {};

TEST_P(MalformedSchemaTest, IsRejectedWithItsPath) {
  auto schema = StructuralSchema::Compile(YamlToJson(GetParam().schema));
  ASSERT_FALSE(schema.ok());
  EXPECT_EQ(schema.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(std::string(schema.status().message()).starts_with(GetParam().error))
      << schema.status();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedSchemaTest,
    ::testing::Values(
        MalformedCase{"not_an_object", "[]", "openAPIV3Schema: must be a schema object"},
        MalformedCase{"unknown_type", "{properties: {spec: {type: strng}}}",
                      "openAPIV3Schema.properties[spec].type: must be one of"},
        MalformedCase{"bad_pattern",
                      "{properties: {spec: {properties: {a: {type: string, pattern: '(a'}}}}}",
                      "openAPIV3Schema.properties[spec].properties[a].pattern: must be a valid "
                      "regular expression"},
        MalformedCase{"tuple_items", "{properties: {a: {type: array, items: [{type: string}]}}}",
                      "openAPIV3Schema.properties[a].items: must be a schema object"},
        MalformedCase{"unique_items", "{properties: {a: {type: array, uniqueItems: true}}}",
                      "openAPIV3Schema.properties[a].uniqueItems: cannot be true"},
        MalformedCase{"ref", "{properties: {a: {$ref: '#/definitions/x'}}}",
                      "openAPIV3Schema.properties[a].$ref: is not allowed"},
        MalformedCase{"list_map_without_keys",
                      "{properties: {a: {type: array, x-kubernetes-list-type: map}}}",
                      "openAPIV3Schema.properties[a].x-kubernetes-list-map-keys: must not be "
                      "empty"},
        MalformedCase{"bad_list_type",
                      "{properties: {a: {type: array, x-kubernetes-list-type: bag}}}",
                      "openAPIV3Schema.properties[a].x-kubernetes-list-type: must be one of"},
        MalformedCase{"bad_map_type", "{properties: {a: {type: object, x-kubernetes-map-type: x}}}",
                      "openAPIV3Schema.properties[a].x-kubernetes-map-type: must be one of"},
        MalformedCase{"properties_and_additional_properties",
                      "{properties: {a: {type: object, properties: {b: {}}, "
                      "additionalProperties: {type: string}}}}",
                      "openAPIV3Schema.properties[a].additionalProperties: additionalProperties "
                      "and properties are mutually exclusive"},
        MalformedCase{"negative_length", "{properties: {a: {type: string, minLength: -1}}}",
                      "openAPIV3Schema.properties[a].minLength: must be a non-negative integer"},
        MalformedCase{"non_boolean_nullable", "{properties: {a: {nullable: 'yes'}}}",
                      "openAPIV3Schema.properties[a].nullable: must be a boolean"},
        MalformedCase{"enum_not_a_list", "{properties: {a: {enum: a}}}",
                      "openAPIV3Schema.properties[a].enum: must be a list"},
        MalformedCase{"bad_any_of_branch", "{properties: {a: {anyOf: [{type: nope}]}}}",
                      "openAPIV3Schema.properties[a].anyOf[0].type: must be one of"},
        MalformedCase{"rule_without_rule",
                      "{type: object, x-kubernetes-validations: [{message: m}]}",
                      "openAPIV3Schema.x-kubernetes-validations[0].rule: Required value"},
        MalformedCase{"rule_with_bad_reason",
                      "{type: object, x-kubernetes-validations: [{rule: 'true', reason: Oops}]}",
                      "openAPIV3Schema.x-kubernetes-validations[0].reason: must be one of"},
        MalformedCase{"rule_with_bad_field_path",
                      "{type: object, properties: {a: {type: string}}, x-kubernetes-validations: "
                      "[{rule: 'true', fieldPath: '.b'}]}",
                      "openAPIV3Schema.x-kubernetes-validations[0].fieldPath: does not refer to "
                      "a valid field"}),
    [](const auto& info) { return info.param.name; });

TEST(CompileTest, AcceptsAnEmptySchema) {
  auto schema = StructuralSchema::Compile(json::object());
  ASSERT_TRUE(schema.ok());
  EXPECT_TRUE(schema->Validate(json{{"anything", 1}}).empty());
  EXPECT_TRUE(schema->UnsupportedRules().empty());
}

TEST(CompileTest, SchemasAreCheapSharedCopies) {
  auto schema = StructuralSchema::Compile(YamlToJson("{properties: {a: {type: string}}}"));
  ASSERT_TRUE(schema.ok());
  const StructuralSchema copy = *schema;  // shares the compiled tree
  EXPECT_EQ(copy.Validate(json{{"a", 1}}).size(), 1u);
  EXPECT_EQ(schema->Validate(json{{"a", 1}}), copy.Validate(json{{"a", 1}}));
}

}  // namespace
}  // namespace certforge::kube
