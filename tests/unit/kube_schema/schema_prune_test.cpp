#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/kube_schema/schema_test_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using testing::MustCompile;

struct PruneCase {
  std::string name;
  std::string schema;
  std::string before;
  std::string after;
  std::vector<std::string> removed;
};

class PruneTest : public ::testing::TestWithParam<PruneCase> {};

TEST_P(PruneTest, DropsUndeclaredFields) {
  const PruneCase& c = GetParam();
  const StructuralSchema schema = MustCompile(c.schema);
  json object = json::parse(c.before);
  EXPECT_EQ(schema.Prune(object), c.removed);
  EXPECT_EQ(object, json::parse(c.after));
  // Pruning is idempotent.
  EXPECT_TRUE(schema.Prune(object).empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PruneTest,
    ::testing::Values(
        PruneCase{"nested",
                  "{type: object, properties: {spec: {type: object, properties: {a: {type: "
                  "string}, nested: {type: object, properties: {b: {type: integer}}}}}}}",
                  R"({"spec": {"a": "x", "foo": 1, "nested": {"b": 1, "bar": {"deep": true}}},
                      "extra": 1})",
                  R"({"spec": {"a": "x", "nested": {"b": 1}}})",
                  {"extra", "spec.foo", "spec.nested.bar"}},
        PruneCase{"type_and_object_meta_are_kept",
                  "{type: object, properties: {spec: {type: object}}}",
                  R"({"apiVersion": "x/v1", "kind": "X",
                      "metadata": {"name": "n", "labels": {"a": "b"}, "whatever": 1},
                      "spec": {"gone": 1}})",
                  R"({"apiVersion": "x/v1", "kind": "X",
                      "metadata": {"name": "n", "labels": {"a": "b"}, "whatever": 1},
                      "spec": {}})",
                  {"spec.gone"}},
        PruneCase{"arrays",
                  "{type: object, properties: {items: {type: array, items: {type: object, "
                  "properties: {name: {type: string}}}}}}",
                  R"({"items": [{"name": "a", "bar": 1}, {"name": "b"}, {"bar": 2, "baz": 3}]})",
                  R"({"items": [{"name": "a"}, {"name": "b"}, {}]})",
                  {"items[0].bar", "items[2].bar", "items[2].baz"}},
        PruneCase{"preserve_unknown_fields_subtree",
                  "{type: object, properties: {config: {type: object, "
                  "x-kubernetes-preserve-unknown-fields: true, properties: {known: {type: object, "
                  "properties: {a: {type: string}}}}}}}",
                  R"({"config": {"free": {"form": [1, {"x": 2}]}, "known": {"a": "b", "c": 1}}})",
                  R"({"config": {"free": {"form": [1, {"x": 2}]}, "known": {"a": "b"}}})",
                  {"config.known.c"}},
        PruneCase{"additional_properties_schema",
                  "{type: object, properties: {m: {type: object, additionalProperties: {type: "
                  "object, properties: {port: {type: integer}}}}}}",
                  R"({"m": {"a": {"port": 1, "extra": 2}, "b": {"port": 2}}})",
                  R"({"m": {"a": {"port": 1}, "b": {"port": 2}}})",
                  {"m.a.extra"}},
        PruneCase{"additional_properties_true",
                  "{type: object, properties: {m: {type: object, additionalProperties: true}}}",
                  R"({"m": {"anything": {"nested": 1}}})",
                  R"({"m": {"anything": {"nested": 1}}})",
                  {}},
        PruneCase{"embedded_resource_keeps_its_type_meta",
                  "{type: object, properties: {template: {type: object, "
                  "x-kubernetes-embedded-resource: true, properties: {spec: {type: object, "
                  "properties: {replicas: {type: integer}}}}}}}",
                  R"({"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                      "spec": {"replicas": 1, "unknown": true}, "status": {}}})",
                  R"({"template": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"},
                      "spec": {"replicas": 1}}})",
                  {"template.spec.unknown", "template.status"}},
        PruneCase{"values_of_the_wrong_type_are_left_to_validation",
                  "{type: object, properties: {spec: {type: object, properties: {a: {type: "
                  "object, properties: {b: {type: string}}}}}}}",
                  R"({"spec": {"a": "not an object"}})",
                  R"({"spec": {"a": "not an object"}})",
                  {}}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace certforge::kube
