#include "lib/kube/field_selector.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace certforge::kube {

// Found by argument-dependent lookup from gtest's comparisons.
bool operator==(const FieldSelector::Requirement& a, const FieldSelector::Requirement& b) {
  return a.field == b.field && a.equals == b.equals && a.value == b.value;
}

std::ostream& operator<<(std::ostream& os, const FieldSelector::Requirement& r) {
  return os << r.field << (r.equals ? "=" : "!=") << r.value;
}

namespace {

using nlohmann::json;
using ::testing::HasSubstr;

using Requirements = std::vector<FieldSelector::Requirement>;

TEST(FieldSelectorParse, Terms) {
  const std::vector<std::pair<std::string, Requirements>> cases = {
      {"", {}},
      {"metadata.name=web-cert", {{"metadata.name", true, "web-cert"}}},
      {"metadata.name==web-cert", {{"metadata.name", true, "web-cert"}}},
      {"metadata.name!=web-cert", {{"metadata.name", false, "web-cert"}}},
      {"metadata.name=", {{"metadata.name", true, ""}}},
      {"status.phase!=", {{"status.phase", false, ""}}},
      // kubectl describe (kube-api-surface.md §5.9): order varies, Kubernetes sorts the terms.
      {"involvedObject.uid=a291b706,involvedObject.name=web-cert,"
       "involvedObject.namespace=default,involvedObject.kind=Certificate",
       {{"involvedObject.kind", true, "Certificate"},
        {"involvedObject.name", true, "web-cert"},
        {"involvedObject.namespace", true, "default"},
        {"involvedObject.uid", true, "a291b706"}}},
      {"a=b,", {{"a", true, "b"}}},
      // Kubernetes escaping: \, \= and \\ in values.
      {R"(a=x\,y)", {{"a", true, "x,y"}}},
      {R"(a=x\=y)", {{"a", true, "x=y"}}},
      {R"(a=x\\y)", {{"a", true, R"(x\y)"}}},
      {R"(a==\=)", {{"a", true, "="}}},
      {R"(b=z,a=x\,y)", {{"a", true, "x,y"}, {"b", true, "z"}}},
      {R"(a!=\\\,)", {{"a", false, R"(\,)"}}},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto selector = FieldSelector::Parse(text);
    ASSERT_TRUE(selector.ok()) << selector.status();
    EXPECT_EQ(selector->requirements(), expected);
    EXPECT_EQ(selector->Empty(), expected.empty());
    auto again = FieldSelector::Parse(selector->ToString());
    ASSERT_TRUE(again.ok()) << again.status();
    EXPECT_EQ(again->requirements(), expected);
  }
}

TEST(FieldSelectorParse, Errors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"metadata.name", "\"metadata.name\""},
      {"a=b,c", "\"c\""},
      {"=x", "missing field name"},
      {"!=x", "missing field name"},
      {R"(a=x\y)", R"(\y)"},
      {"a=x=y", "unescaped '='"},
      {"a==x=y", "unescaped '='"},
      {R"(a=x\)", "lone"},
  };
  for (const auto& [text, part] : cases) {
    SCOPED_TRACE(text);
    auto selector = FieldSelector::Parse(text);
    ASSERT_FALSE(selector.ok()) << selector->ToString();
    EXPECT_EQ(selector.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(selector.status().message()), HasSubstr(part));
  }
}

TEST(FieldSelectorMatches, MissingFieldsCountAsEmpty) {
  const std::map<std::string, std::string> fields = {{"metadata.name", "web-cert"},
                                                     {"metadata.namespace", "default"}};
  auto value_of = [&](const std::string& field) -> std::optional<std::string> {
    auto it = fields.find(field);
    if (it == fields.end()) return std::nullopt;
    return it->second;
  };
  const std::vector<std::pair<std::string, bool>> cases = {
      {"", true},
      {"metadata.name=web-cert", true},
      {"metadata.name=other", false},
      {"metadata.name!=other", true},
      {"metadata.name!=web-cert", false},
      {"metadata.name=web-cert,metadata.namespace=default", true},
      {"metadata.name=web-cert,metadata.namespace=kube-system", false},
      {"spec.nodeName=", true},
      {"spec.nodeName!=", false},
      {"spec.nodeName!=x", true},
      {"spec.nodeName=x", false},
  };
  for (const auto& [text, matches] : cases) {
    SCOPED_TRACE(text);
    auto selector = FieldSelector::Parse(text);
    ASSERT_TRUE(selector.ok()) << selector.status();
    EXPECT_EQ(selector->Matches(value_of), matches);
  }
}

TEST(JsonFieldValue, RendersLikeKubernetes) {
  const json event = json::parse(R"({
    "metadata": {"name": "web-cert.1", "namespace": "default", "generation": 3},
    "involvedObject": {"kind": "Certificate", "name": "web-cert", "uid": "a291b706"},
    "spec": {"issuerRef": {"name": "ca"}, "replicas": 2, "ratio": 1.5, "suspend": false,
             "labels": {"a": "b"}, "list": [1], "nothing": null}})");
  const std::vector<std::pair<std::string, std::optional<std::string>>> cases = {
      {"metadata.name", "web-cert.1"},  {"involvedObject.kind", "Certificate"},
      {"spec.issuerRef.name", "ca"},    {"metadata.generation", "3"},
      {"spec.replicas", "2"},           {"spec.ratio", "1.5"},
      {"spec.suspend", "false"},        {"spec.nothing", std::nullopt},
      {"spec.labels", std::nullopt},    {"spec.list", std::nullopt},
      {"spec.missing", std::nullopt},   {"spec.issuerRef.name.deeper", std::nullopt},
      {"metadata..name", std::nullopt}, {"", std::nullopt},
  };
  for (const auto& [path, expected] : cases) {
    SCOPED_TRACE(path);
    EXPECT_EQ(JsonFieldValue(event, path), expected);
  }

  auto selector = FieldSelector::Parse(
      "involvedObject.uid=a291b706,involvedObject.name=web-cert,involvedObject.kind=Certificate");
  ASSERT_TRUE(selector.ok());
  auto value_of = [&](const std::string& field) { return JsonFieldValue(event, field); };
  EXPECT_TRUE(selector->Matches(value_of));
  EXPECT_FALSE(FieldSelector::Parse("involvedObject.kind=Issuer")->Matches(value_of));
}

}  // namespace
}  // namespace certforge::kube
