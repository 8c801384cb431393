#include <gtest/gtest.h>

#include <string>

#include "tests/unit/kube_schema/schema_test_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using testing::MustCompile;

struct DefaultCase {
  std::string name;
  std::string schema;
  std::string before;
  std::string after;
};

class DefaultsTest : public ::testing::TestWithParam<DefaultCase> {};

TEST_P(DefaultsTest, FillsDefaults) {
  const DefaultCase& c = GetParam();
  const StructuralSchema schema = MustCompile(c.schema);
  json object = json::parse(c.before);
  schema.ApplyDefaults(object);
  EXPECT_EQ(object, json::parse(c.after)) << object.dump();
  // Defaulting twice changes nothing more.
  json again = object;
  schema.ApplyDefaults(again);
  EXPECT_EQ(again, object);
}

constexpr const char* kSpecSchema = R"(
type: object
properties:
  spec:
    type: object
    properties:
      policy: {type: string, default: Always}
      size: {type: integer, default: 2048}
      empty: {type: string, default: ""}
      comment: {type: string}
      note: {type: string, nullable: true}
      keystore:
        type: object
        default: {}
        properties:
          create: {type: boolean, default: false}
          profile: {type: string, default: Modern2023}
)";

INSTANTIATE_TEST_SUITE_P(
    Cases, DefaultsTest,
    ::testing::Values(
        DefaultCase{"absent_fields", kSpecSchema, R"({"spec": {}})",
                    R"({"spec": {"policy": "Always", "size": 2048, "empty": "",
                        "keystore": {"create": false, "profile": "Modern2023"}}})"},
        DefaultCase{"present_values_win", kSpecSchema,
                    R"({"spec": {"policy": "Never", "size": 4096, "keystore": {"create": true}}})",
                    R"({"spec": {"policy": "Never", "size": 4096, "empty": "",
                        "keystore": {"create": true, "profile": "Modern2023"}}})"},
        DefaultCase{"null_in_non_nullable_field_takes_the_default", kSpecSchema,
                    R"({"spec": {"policy": null, "keystore": null}})",
                    R"({"spec": {"policy": "Always", "size": 2048, "empty": "",
                        "keystore": {"create": false, "profile": "Modern2023"}}})"},
        DefaultCase{"null_without_default_is_dropped", kSpecSchema,
                    R"({"spec": {"comment": null, "note": null}})",
                    R"({"spec": {"policy": "Always", "size": 2048, "empty": "", "note": null,
                        "keystore": {"create": false, "profile": "Modern2023"}}})"},
        DefaultCase{"parent_absent_means_no_defaults_below", kSpecSchema, R"({"status": {}})",
                    R"({"status": {}})"},
        DefaultCase{"array_items",
                    "{type: object, properties: {ports: {type: array, items: {type: object, "
                    "default: {protocol: TCP}, properties: {protocol: {type: string, default: "
                    "TCP}, port: {type: integer}}}}}}",
                    R"({"ports": [{"port": 80}, null, {"port": 53, "protocol": "UDP"}]})",
                    R"({"ports": [{"port": 80, "protocol": "TCP"}, {"protocol": "TCP"},
                        {"port": 53, "protocol": "UDP"}]})"},
        DefaultCase{"map_values",
                    "{type: object, properties: {m: {type: object, additionalProperties: {type: "
                    "object, properties: {weight: {type: integer, default: 1}}}}}}",
                    R"({"m": {"a": {}, "b": {"weight": 5}, "c": null}})",
                    R"({"m": {"a": {"weight": 1}, "b": {"weight": 5}}})"}),
    [](const auto& info) { return info.param.name; });

TEST(DefaultsTest, DefaultsAreCopies) {
  const StructuralSchema schema = MustCompile(
      "{type: object, properties: {a: {type: object, default: {list: [1]}, properties: {list: "
      "{type: array, items: {type: integer}}}}}}");
  json first = json::object();
  schema.ApplyDefaults(first);
  first["a"]["list"].push_back(2);
  json second = json::object();
  schema.ApplyDefaults(second);
  EXPECT_EQ(second, json::parse(R"({"a": {"list": [1]}})"));
}

}  // namespace
}  // namespace certforge::kube
