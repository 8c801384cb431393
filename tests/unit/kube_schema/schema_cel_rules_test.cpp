// x-kubernetes-validations: rule failures, messages, reasons, fieldPath, runtime errors, skipped
// rules, and kube-apiserver's "rules not checked" notice.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/kube_schema/schema_test_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using testing::MustCompile;

struct RuleCase {
  std::string name;
  std::string rule_yaml;  // one x-kubernetes-validations entry on spec (type object)
  std::string spec;       // JSON of spec
  std::vector<FieldError> errors;
};

class CelRuleTest : public ::testing::TestWithParam<RuleCase> {};

constexpr const char* kSpecProperties = R"(
      name: {type: string}
      min: {type: integer}
      max: {type: integer}
      tags: {type: array, items: {type: string}}
      limits: {type: object, additionalProperties: {type: integer}}
      child: {type: object, properties: {value: {type: string}}}
)";

TEST_P(CelRuleTest, ReportsFailures) {
  const RuleCase& c = GetParam();
  const std::string schema_yaml = std::string(R"(
type: object
properties:
  spec:
    type: object
    x-kubernetes-validations:
    - )") + c.rule_yaml + R"(
    properties:)" + kSpecProperties;
  const StructuralSchema schema = MustCompile(schema_yaml);
  EXPECT_TRUE(schema.UnsupportedRules().empty());
  EXPECT_EQ(schema.Validate(json{{"spec", json::parse(c.spec)}}), c.errors);
}

INSTANTIATE_TEST_SUITE_P(
    Rules, CelRuleTest,
    ::testing::Values(
        RuleCase{"passes", "{rule: 'self.min <= self.max'}", R"({"min": 1, "max": 2})", {}},
        RuleCase{
            "message",
            "{rule: 'self.min <= self.max', message: 'min must not exceed max'}",
            R"({"min": 3, "max": 2})",
            {{"spec", "FieldValueInvalid", "Invalid value: \"object\": min must not exceed max"}}},
        RuleCase{"default_message",
                 "{rule: '  self.min <= self.max  '}",
                 R"({"min": 3, "max": 2})",
                 {{"spec", "FieldValueInvalid",
                   "Invalid value: \"object\": failed rule: self.min <= self.max"}}},
        RuleCase{"message_expression",
                 "{rule: 'self.name.startsWith(\"web\")', messageExpression: '\"name \" + "
                 "self.name + \" must start with web\"'}",
                 R"({"name": "db"})",
                 {{"spec", "FieldValueInvalid",
                   "Invalid value: \"object\": name db must start with web"}}},
        RuleCase{"reason_forbidden",
                 "{rule: '!has(self.child)', message: 'child is not allowed here', reason: "
                 "FieldValueForbidden}",
                 R"({"child": {}})",
                 {{"spec", "FieldValueForbidden", "Forbidden: child is not allowed here"}}},
        RuleCase{"reason_required",
                 "{rule: 'has(self.name)', message: 'name is needed', reason: "
                 "FieldValueRequired}",
                 R"({})",
                 {{"spec", "FieldValueRequired", "Required value: name is needed"}}},
        RuleCase{"reason_duplicate",
                 "{rule: 'self.tags.all(t, self.tags.filter(u, u == t).size() == 1)', reason: "
                 "FieldValueDuplicate}",
                 R"({"tags": ["a", "a"]})",
                 {{"spec", "FieldValueDuplicate", "Duplicate value: \"object\""}}},
        RuleCase{"field_path",
                 "{rule: 'self.child.value != \"\"', message: 'value must be set', fieldPath: "
                 "'.child.value'}",
                 R"({"child": {"value": ""}})",
                 {{"spec.child.value", "FieldValueInvalid",
                   "Invalid value: \"object\": value must be set"}}},
        RuleCase{"field_path_into_a_map",
                 "{rule: '!has(self.limits.cpu) || self.limits.cpu > 0', message: 'cpu must be "
                 "positive', fieldPath: \".limits['cpu']\"}",
                 R"({"limits": {"cpu": 0}})",
                 {{"spec.limits[cpu]", "FieldValueInvalid",
                   "Invalid value: \"object\": cpu must be positive"}}},
        RuleCase{"runtime_error",
                 "{rule: 'self.name == \"x\"'}",
                 R"({})",
                 {{"spec", "FieldValueInvalid",
                   "Invalid value: \"object\": no such key: name evaluating rule: self.name == "
                   "\"x\""}}},
        RuleCase{"runtime_error_uses_the_message",
                 "{rule: 'self.name == \"x\"', message: 'name must be x'}",
                 R"({})",
                 {{"spec", "FieldValueInvalid",
                   "Invalid value: \"object\": no such key: name evaluating rule: name must be "
                   "x"}}},
        RuleCase{"overload_error",
                 "{rule: 'self.name + 1 == 2'}",
                 R"({"name": "a"})",
                 {{"spec", "FieldValueInvalid",
                   "Invalid value: \"object\": 'no such overload': call arguments did not match "
                   "a supported operator, function or macro signature for rule: self.name + 1 "
                   "== 2"}}},
        RuleCase{"comprehension",
                 "{rule: 'self.tags.all(t, t.matches(\"^[a-z]+$\"))', message: 'tags must be "
                 "lowercase words'}",
                 R"({"tags": ["ok", "Not-OK"]})",
                 {{"spec", "FieldValueInvalid",
                   "Invalid value: \"object\": tags must be lowercase words"}}}),
    [](const auto& info) { return info.param.name; });

TEST(CelRulesTest, RulesOnScalarsAndListItems) {
  const StructuralSchema schema = MustCompile(R"yaml(
type: object
properties:
  spec:
    type: object
    properties:
      hosts:
        type: array
        items:
          type: string
          x-kubernetes-validations:
          - rule: "!self.startsWith('*')"
            message: wildcards are not allowed
      replicas:
        type: integer
        x-kubernetes-validations:
        - rule: self % 2 == 1
)yaml");
  EXPECT_EQ(
      schema.Validate(json::parse(R"({"spec": {"hosts": ["a", "*.b", "*"], "replicas": 2}})")),
      (std::vector<FieldError>{{"spec.hosts[1]", "FieldValueInvalid",
                                "Invalid value: \"string\": wildcards are not allowed"},
                               {"spec.hosts[2]", "FieldValueInvalid",
                                "Invalid value: \"string\": wildcards are not allowed"},
                               {"spec.replicas", "FieldValueInvalid",
                                "Invalid value: \"integer\": failed rule: self % 2 == 1"}}));
}

TEST(CelRulesTest, SkippedWhenTheObjectHasBlockingErrors) {
  const StructuralSchema schema = MustCompile(R"(
type: object
properties:
  spec:
    type: object
    x-kubernetes-validations:
    - rule: self.a < self.b
    properties:
      a: {type: integer}
      b: {type: integer}
      c: {type: string, pattern: '^x'}
)");
  const FieldError notice{"<nil>", "FieldValueInvalid",
                          "Invalid value: \"null\": some validation rules were not checked "
                          "because the object was invalid; correct the existing errors to "
                          "complete validation"};
  auto errors = schema.Validate(json::parse(R"({"spec": {"a": "1", "b": 0}})"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].reason, "FieldValueTypeInvalid");
  EXPECT_EQ(errors[1], notice);
  // A pattern violation is not blocking: the rule still runs.
  errors = schema.Validate(json::parse(R"({"spec": {"a": 2, "b": 1, "c": "y"}})"));
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].field, "spec.c");
  EXPECT_EQ(errors[1].message, "Invalid value: \"object\": failed rule: self.a < self.b");
}

TEST(CelRulesTest, UnsupportedRulesAreReportedAndSkipped) {
  const StructuralSchema schema = MustCompile(R"(
type: object
properties:
  spec:
    type: object
    x-kubernetes-validations:
    - rule: self.name == oldSelf.name
      message: name is immutable
    - rule: self.name.lowerAscii() == self.name
    - rule: size(self.name) < 5
    properties:
      name: {type: string}
)");
  EXPECT_EQ(schema.UnsupportedRules(),
            (std::vector<std::string>{"self.name == oldSelf.name",
                                      "self.name.lowerAscii() == self.name"}));
  EXPECT_TRUE(schema.Validate(json::parse(R"({"spec": {"name": "ABC"}})")).empty());
  EXPECT_EQ(schema.Validate(json::parse(R"({"spec": {"name": "abcdef"}})")).size(), 1u);
}

}  // namespace
}  // namespace certforge::kube
