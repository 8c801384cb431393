#include "lib/kube/cel_expression.h"

#include <gtest/gtest.h>

#include <string>

namespace certforge::kube {
namespace {

using json = nlohmann::json;

const json& Self() {
  static const json self = json::parse(R"({
    "tpp": {"url": "https://tpp.example"},
    "name": "web-01",
    "count": 3,
    "ratio": 0.5,
    "enabled": true,
    "tags": ["a", "b", "c"],
    "ports": [80, 443],
    "labels": {"app": "web", "tier": "front"},
    "items": [{"name": "x", "size": 1}, {"name": "y", "size": 5}],
    "empty": {},
    "nothing": null,
    "unicode": "h\u00e9llo"
  })");
  return self;
}

struct ValueCase {
  std::string expression;
  json expected;
};

class CelValueTest : public ::testing::TestWithParam<ValueCase> {};

TEST_P(CelValueTest, Evaluates) {
  auto expression = CelExpression::Parse(GetParam().expression);
  ASSERT_TRUE(expression.ok()) << expression.status();
  auto value = expression->EvaluateToJson(Self());
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(*value, GetParam().expected) << GetParam().expression;
}

INSTANTIATE_TEST_SUITE_P(
    Subset, CelValueTest,
    ::testing::Values(
        // The rule cert-manager's Issuer uses.
        ValueCase{"(has(self.tpp) ? 1 : 0) + (has(self.cloud) ? 1 : 0) + (has(self.ngts) ? 1 : 0) "
                  "== 1",
                  true},
        ValueCase{"has(self.tpp) && has(self.cloud)", false}, ValueCase{"has(self.tpp.url)", true},
        ValueCase{"has(self.labels.app)", true},  // map keys
        ValueCase{"has(self.nothing)", true}, ValueCase{"!has(self.cloud)", true},
        ValueCase{"self.tpp.url", "https://tpp.example"}, ValueCase{"self.labels['tier']", "front"},
        ValueCase{"self.tags[1]", "b"}, ValueCase{"self.items[1].size", 5},
        ValueCase{"size(self.tags)", 3}, ValueCase{"self.tags.size()", 3},
        ValueCase{"size(self.labels)", 2},
        ValueCase{"size(self.unicode)", 5},  // code points, not bytes
        ValueCase{"1 + 2 * 3", 7}, ValueCase{"(1 + 2) * 3", 9}, ValueCase{"7 / 2", 3},
        ValueCase{"-7 / 2", -3}, ValueCase{"7 % 3", 1},
        ValueCase{"10 - 2 - 3", 5},  // left associative
        ValueCase{"-self.count", -3}, ValueCase{"self.ratio * 2.0", 1.0},
        ValueCase{"self.count == 3", true}, ValueCase{"self.count != 3", false},
        ValueCase{"self.count < 4 && self.count <= 3 && self.count > 2 && self.count >= 3", true},
        ValueCase{"self.count == 3.0", true},   // numbers compare across int and double
        ValueCase{"self.count == '3'", false},  // other kinds are simply unequal
        ValueCase{"'a' < 'b'", true}, ValueCase{"self.enabled ? 'on' : 'off'", "on"},
        ValueCase{"false ? 1 : true ? 2 : 3", 2},
        ValueCase{"!self.enabled || self.count > 1", true}, ValueCase{"'b' in self.tags", true},
        ValueCase{"'z' in self.tags", false}, ValueCase{"443 in self.ports", true},
        ValueCase{"'app' in self.labels", true}, ValueCase{"self.name.startsWith('web-')", true},
        ValueCase{"self.name.endsWith('-01')", true}, ValueCase{"self.name.contains('b-0')", true},
        ValueCase{"self.name.matches('^web-[0-9]+$')", true},
        ValueCase{"self.name.matches('[0-9]')", true},  // a search, as RE2's in CEL
        ValueCase{"self.name.matches('^[0-9]')", false},
        ValueCase{"self.tags.all(t, t.size() == 1)", true},
        ValueCase{"self.ports.all(p, p > 100)", false},
        ValueCase{"self.ports.exists(p, p == 80)", true},
        ValueCase{"self.items.exists(i, i.size > 3 && i.name == 'y')", true},
        ValueCase{"self.tags.exists_one(t, t == 'a')", true},
        ValueCase{"self.labels.all(k, k.size() > 2)", true},  // map comprehensions see the keys
        ValueCase{"self.ports.map(p, p + 1)", json::array({81, 444})},
        ValueCase{"self.tags.filter(t, t != 'b')", json::array({"a", "c"})},
        ValueCase{"self.items.all(i, self.tags.exists(t, t == 'a'))", true},  // nesting
        ValueCase{"[1, 2] + [3]", json::array({1, 2, 3})}, ValueCase{"'ab' + 'cd'", "abcd"},
        ValueCase{"size([])", 0}, ValueCase{"int('42') + 1", 43},
        ValueCase{"string(self.count) + 'x'", "3x"}, ValueCase{"double(1) / 4.0", 0.25},
        ValueCase{"\"dq\\n\" == 'dq\\n'", true}, ValueCase{"r'\\d' == '\\\\d'", true},
        ValueCase{"0x10", 16}, ValueCase{"-9223372036854775808 < 0", true},
        ValueCase{"null == self.nothing", true}, ValueCase{"self.empty == self.empty", true},
        // Error absorption: a decisive operand wins over an error in the other.
        ValueCase{"self.missing == 1 || true", true},
        ValueCase{"false && self.missing == 1", false},
        ValueCase{"self.items.exists(i, i.missing == 1 || i.name == 'y')", true}));

struct ErrorCase {
  std::string expression;
  std::string error;
};

class CelRuntimeErrorTest : public ::testing::TestWithParam<ErrorCase> {};

TEST_P(CelRuntimeErrorTest, Fails) {
  auto expression = CelExpression::Parse(GetParam().expression);
  ASSERT_TRUE(expression.ok()) << expression.status();
  auto value = expression->Evaluate(Self());
  ASSERT_FALSE(value.ok()) << GetParam().expression;
  EXPECT_EQ(value.status().message(), GetParam().error);
}

INSTANTIATE_TEST_SUITE_P(
    Subset, CelRuntimeErrorTest,
    ::testing::Values(ErrorCase{"self.cloud.url == 'x'", "no such key: cloud"},
                      ErrorCase{"self.labels['nope'] == 'x'", "no such key: nope"},
                      ErrorCase{"self.tags[5] == 'x'", "index out of bounds: 5"},
                      ErrorCase{"9223372036854775807 + 1 > 0", "integer overflow"},
                      ErrorCase{"self.count / 0 == 1", "division by zero"},
                      ErrorCase{"self.count % 0 == 1", "modulus by zero"},
                      ErrorCase{"self.name + 1 == 'x'", "no such overload"},
                      ErrorCase{"self.count < 'a'", "no such overload"},
                      ErrorCase{"self.count + 1.5 > 0", "no such overload"},
                      ErrorCase{"!self.count", "no such overload"},
                      ErrorCase{"self.count", "no such overload"},  // not a bool
                      ErrorCase{"self.count.size() == 1", "no such overload"},
                      ErrorCase{"self.missing == 1 || false", "no such key: missing"},
                      ErrorCase{"self.ports.all(p, p.x == 1)",
                                "type 'int' does not support field selection"}));

TEST(CelParseTest, RejectsSyntaxErrors) {
  for (const char* source : {"", "1 +", "(1 + 2", "self.", "a ? b", "'unterminated",
                             "self.tags.all(1, true)", "has(self)", "1 === 1", "self.x @ 2"}) {
    auto expression = CelExpression::Parse(source);
    EXPECT_FALSE(expression.ok()) << source;
    if (!expression.ok()) {
      EXPECT_EQ(expression.status().code(), absl::StatusCode::kInvalidArgument) << source;
    }
  }
}

TEST(CelParseTest, RejectsUndeclaredNames) {
  auto expression = CelExpression::Parse("other.x == 1");
  ASSERT_FALSE(expression.ok());
  EXPECT_EQ(expression.status().message(), "undeclared reference to 'other'");
  // A comprehension variable is only in scope inside its body.
  EXPECT_FALSE(CelExpression::Parse("self.tags.all(t, true) && t == 'a'").ok());
}

TEST(CelParseTest, ReportsConstructsOutsideTheSubsetAsUnimplemented) {
  for (const char* source :
       {"self.x == oldSelf.x", "self.name.lowerAscii() == 'a'", "{'a': 1}.size() == 1",
        "self.ports.map(p, p > 1, p) == []", "quantity('1Gi') > 0"}) {
    auto expression = CelExpression::Parse(source);
    ASSERT_FALSE(expression.ok()) << source;
    EXPECT_EQ(expression.status().code(), absl::StatusCode::kUnimplemented) << source;
  }
}

TEST(CelParseTest, RejectsDeepNesting) {
  std::string source(200, '(');
  source += "1";
  source += std::string(200, ')');
  EXPECT_FALSE(CelExpression::Parse(source).ok());
}

TEST(CelExpressionTest, RuleOnAScalarSelf) {
  auto expression = CelExpression::Parse("self.matches('^[a-z]+$') && size(self) <= 5");
  ASSERT_TRUE(expression.ok());
  EXPECT_EQ(expression->Evaluate("abc").value_or(false), true);
  EXPECT_EQ(expression->Evaluate("abcdef").value_or(true), false);
  EXPECT_EQ(expression->Evaluate("ABC").value_or(true), false);
  EXPECT_EQ(expression->source(), "self.matches('^[a-z]+$') && size(self) <= 5");
}

}  // namespace
}  // namespace certforge::kube
