#include "lib/kube/label_selector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

TEST(LabelSelectorParse, CanonicalText) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"   ", ""},
      {"app=web", "app=web"},
      {"app==web", "app=web"},
      {"app!=web", "app!=web"},
      {"env in (prod, staging)", "env in (prod,staging)"},
      {"env in (staging,prod,prod)", "env in (prod,staging)"},
      {"env notin (dev)", "env notin (dev)"},
      {"app", "app"},
      {"!app", "!app"},
      {" app = web , tier != db ", "app=web,tier!=db"},
      {"z=1,a=2,m", "a=2,m,z=1"},
      {"example.com/name=x", "example.com/name=x"},
      {"app.kubernetes.io/name in (cert-manager,webhook)",
       "app.kubernetes.io/name in (cert-manager,webhook)"},
      {"a=", "a="},
      {"a in ()", "a in ()"},
      {"a in (x,)", "a in (,x)"},
      {"a=in,b=notin", "a=in,b=notin"},
      {"x>5,y<10", "x>5,y<10"},
      {"app=web,!legacy", "app=web,!legacy"},
  };
  for (const auto& [text, canonical] : cases) {
    SCOPED_TRACE(text);
    auto selector = LabelSelector::Parse(text);
    ASSERT_TRUE(selector.ok()) << selector.status();
    EXPECT_EQ(selector->ToString(), canonical);
    EXPECT_EQ(selector->Empty(), canonical.empty());
    // The canonical form parses back to itself.
    auto again = LabelSelector::Parse(selector->ToString());
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->ToString(), canonical);
  }
}

TEST(LabelSelectorParse, RequirementStructure) {
  auto selector = LabelSelector::Parse("env notin (b,a),app");
  ASSERT_TRUE(selector.ok());
  ASSERT_EQ(selector->requirements().size(), 2u);
  EXPECT_EQ(selector->requirements()[0].key, "app");
  EXPECT_EQ(selector->requirements()[0].op, LabelSelector::Operator::kExists);
  EXPECT_EQ(selector->requirements()[1].op, LabelSelector::Operator::kNotIn);
  EXPECT_EQ(selector->requirements()[1].values, (std::vector<std::string>{"a", "b"}));
}

struct MatchCase {
  std::string selector;
  std::string labels;
  bool matches;
};

TEST(LabelSelectorMatches, Table) {
  const std::vector<MatchCase> cases = {
      {"", "null", true},
      {"", R"({"a":"b"})", true},
      {"app=web", R"({"app":"web"})", true},
      {"app=web", R"({"app":"db"})", false},
      {"app=web", R"({})", false},
      {"app=web", "null", false},
      {"app==web", R"({"app":"web","x":"y"})", true},
      // != and notin select objects that lack the label, like Kubernetes.
      {"app!=web", R"({})", true},
      {"app!=web", "null", true},
      {"app!=web", R"({"app":"db"})", true},
      {"app!=web", R"({"app":"web"})", false},
      {"env notin (dev)", "null", true},
      {"env notin (dev)", R"({"env":"dev"})", false},
      {"env notin (dev,qa)", R"({"env":"prod"})", true},
      {"env in (a,b)", R"({"env":"b"})", true},
      {"env in (a,b)", R"({"env":"c"})", false},
      {"env in (a,b)", R"({})", false},
      {"app", R"({"app":""})", true},
      {"app", R"({})", false},
      {"!app", R"({})", true},
      {"!app", "null", true},
      {"!app", R"({"app":"x"})", false},
      {"a=", R"({"a":""})", true},
      {"a=", R"({})", false},
      {"a in ()", R"({"a":""})", true},
      {"x>5", R"({"x":"6"})", true},
      {"x>5", R"({"x":"5"})", false},
      {"x>5", R"({"x":"abc"})", false},
      {"x>5", R"({})", false},
      {"x<5", R"({"x":"-1"})", true},
      {"x<5", R"({"x":"7"})", false},
      {"app=web,tier!=db", R"({"app":"web","tier":"fe"})", true},
      {"app=web,tier!=db", R"({"app":"web","tier":"db"})", false},
      {"app=web,tier!=db", R"({"app":"web"})", true},
      {"example.com/team in (a),!legacy", R"({"example.com/team":"a"})", true},
      {"example.com/team in (a),!legacy", R"({"example.com/team":"a","legacy":"1"})", false},
      {"app=web", R"({"app":5})", false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.selector + " on " + c.labels);
    auto selector = LabelSelector::Parse(c.selector);
    ASSERT_TRUE(selector.ok()) << selector.status();
    EXPECT_EQ(selector->Matches(json::parse(c.labels)), c.matches);
  }
}

TEST(LabelSelectorParse, ErrorsNameTheBadPart) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"app=web=x", "'='"},
      {"a b", "'b'"},
      {"env in a", "'a'"},
      {"env in (a", "end of string"},
      {"env in (a b)", "'b'"},
      {"env in (a=b)", "'='"},
      {"env foo (a)", "'foo'"},
      {"!app=web", "'='"},
      {"a,", "end of string"},
      {",a", "','"},
      {"=a", "'='"},
      {"a==", "a="},
      {"(a)", "'('"},
      {"-bad=x", "\"-bad\""},
      {"Example.com/x=1", "prefix part"},
      {"example.com/=x", "name part must be non-empty"},
      {"a/b/c=x", "a/b/c"},
      {std::string(64, 'k') + "=v", "no more than 63"},
      {"app=-bad", "\"-bad\""},
      {"app in (ok,bad-)", "\"bad-\""},
      {"app=" + std::string(64, 'v'), "no more than 63"},
      {"x>abc", "integer"},
      {"x>", "integer"},
      {"x<1.5", "integer"},
      // Like Kubernetes, > and < values must also be valid label values.
      {"x>-1", "\"-1\""},
  };
  for (const auto& [text, part] : cases) {
    SCOPED_TRACE(text);
    auto selector = LabelSelector::Parse(text);
    if (text == "a==") {
      // "a==" is a valid empty-value equality, like "a=".
      ASSERT_TRUE(selector.ok()) << selector.status();
      EXPECT_EQ(selector->ToString(), part);
      continue;
    }
    ASSERT_FALSE(selector.ok()) << selector->ToString();
    EXPECT_EQ(selector.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(selector.status().message()), HasSubstr(part));
  }
}

TEST(LabelSelectorFromJson, MatchLabelsAndExpressions) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({})", ""},
      {R"({"matchLabels":{}})", ""},
      {R"({"matchLabels":null,"matchExpressions":null})", ""},
      {R"({"matchLabels":{"app":"web"}})", "app=web"},
      {R"({"matchExpressions":[{"key":"env","operator":"In","values":["prod","dev"]}]})",
       "env in (dev,prod)"},
      {R"({"matchExpressions":[{"key":"env","operator":"NotIn","values":["dev"]}]})",
       "env notin (dev)"},
      {R"({"matchExpressions":[{"key":"legacy","operator":"DoesNotExist"}]})", "!legacy"},
      {R"({"matchExpressions":[{"key":"app","operator":"Exists","values":[]}]})", "app"},
      {R"({"matchLabels":{"z":"1"},"matchExpressions":[{"key":"a","operator":"Exists"}]})",
       "a,z=1"},
  };
  for (const auto& [text, canonical] : cases) {
    SCOPED_TRACE(text);
    auto selector = LabelSelector::FromJson(json::parse(text));
    ASSERT_TRUE(selector.ok()) << selector.status();
    EXPECT_EQ(selector->ToString(), canonical);
    EXPECT_FALSE(selector->SelectsNothing());
  }

  auto selector = LabelSelector::FromJson(json::parse(R"({
      "matchLabels": {"app": "web"},
      "matchExpressions": [{"key": "env", "operator": "NotIn", "values": ["dev"]},
                           {"key": "legacy", "operator": "DoesNotExist"}]})"));
  ASSERT_TRUE(selector.ok());
  EXPECT_TRUE(selector->Matches(json::parse(R"({"app":"web"})")));
  EXPECT_TRUE(selector->Matches(json::parse(R"({"app":"web","env":"prod"})")));
  EXPECT_FALSE(selector->Matches(json::parse(R"({"app":"web","env":"dev"})")));
  EXPECT_FALSE(selector->Matches(json::parse(R"({"app":"web","legacy":"y"})")));
  EXPECT_FALSE(selector->Matches(json()));
}

TEST(LabelSelectorFromJson, NullSelectsNothingAndEmptySelectsEverything) {
  auto nothing = LabelSelector::FromJson(json());
  ASSERT_TRUE(nothing.ok());
  EXPECT_TRUE(nothing->SelectsNothing());
  EXPECT_FALSE(nothing->Empty());
  EXPECT_FALSE(nothing->Matches(json::object()));
  EXPECT_FALSE(nothing->Matches(json::parse(R"({"app":"web"})")));

  auto everything = LabelSelector::FromJson(json::object());
  ASSERT_TRUE(everything.ok());
  EXPECT_TRUE(everything->Empty());
  EXPECT_TRUE(everything->Matches(json()));
  EXPECT_TRUE(everything->Matches(json::parse(R"({"app":"web"})")));
}

TEST(LabelSelectorFromJson, Errors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"("app=web")", "object"},
      {R"({"matchLabels":[]})", "matchLabels"},
      {R"({"matchLabels":{"app":5}})", "\"app\""},
      {R"({"matchLabels":{"-bad":"x"}})", "\"-bad\""},
      {R"({"matchLabels":{"app":"bad value"}})", "\"bad value\""},
      {R"({"matchExpressions":{}})", "matchExpressions"},
      {R"({"matchExpressions":[{"operator":"Exists"}]})", "key"},
      {R"({"matchExpressions":[{"key":"a","operator":"Foo"}]})", "\"Foo\""},
      {R"({"matchExpressions":[{"key":"a"}]})", "operator"},
      {R"({"matchExpressions":[{"key":"a","operator":"In","values":[]}]})", "at least one value"},
      {R"({"matchExpressions":[{"key":"a","operator":"In"}]})", "at least one value"},
      {R"({"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})", "must be empty"},
      {R"({"matchExpressions":[{"key":"a","operator":"In","values":[1]}]})", "strings"},
  };
  for (const auto& [text, part] : cases) {
    SCOPED_TRACE(text);
    auto selector = LabelSelector::FromJson(json::parse(text));
    ASSERT_FALSE(selector.ok()) << selector->ToString();
    EXPECT_EQ(selector.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(selector.status().message()), HasSubstr(part));
  }
}

}  // namespace
}  // namespace certforge::kube
