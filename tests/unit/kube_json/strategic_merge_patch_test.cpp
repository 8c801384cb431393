#include "lib/kube/strategic_merge_patch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

// Fields shaped like Kubernetes' strategic-merge test type: keyed lists merge by "name", int lists
// merge as sets, anything else replaces.
StrategicMergeSchema TestSchema() {
  StrategicMergeSchema schema;
  schema.merge_keys = {{"mergingList", "name"},
                       {"mergingList[].mergingList", "name"},
                       {"retainKeysMap.mergingList", "name"}};
  schema.merged_scalar_lists = {"mergingIntList", "mergingList[].mergingIntList",
                                "retainKeysMap.mergingIntList"};
  return schema;
}

bool HasDirectiveKey(const json& value) {
  if (value.is_object()) {
    for (const auto& [key, child] : value.items()) {
      if (!key.empty() && key[0] == '$') return true;
      if (HasDirectiveKey(child)) return true;
    }
  } else if (value.is_array()) {
    for (const auto& child : value) {
      if (HasDirectiveKey(child)) return true;
    }
  }
  return false;
}

struct SmpCase {
  std::string name;
  std::string original;
  std::string patch;
  std::string result;
};

void RunCases(const std::vector<SmpCase>& cases, const StrategicMergeSchema& schema) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = ApplyStrategicMergePatch(json::parse(c.original), json::parse(c.patch), schema);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(*result, json::parse(c.result)) << result->dump();
    EXPECT_FALSE(HasDirectiveKey(*result)) << result->dump();
  }
}

// The apply bodies kubectl sends for built-ins (kube-api-surface.md §5.2).
TEST(StrategicMergePatch, KubectlSecretApplyBody) {
  json secret = json::parse(R"({
    "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
    "metadata": {"name": "demo-secret", "namespace": "default", "uid": "u-1",
                 "resourceVersion": "41", "labels": {"app": "demo"},
                 "annotations": {
                   "kubectl.kubernetes.io/last-applied-configuration": "{\"old\":1}\n"}},
    "data": {"password": "b2xk", "username": "YWRtaW4="}})");
  json patch = json::parse(R"({
    "data": {"password": "bmV3cGFzcw=="},
    "metadata": {"annotations": {
                   "kubectl.kubernetes.io/last-applied-configuration": "{\"new\":1}\n"},
                 "labels": {"tier": "backend"}},
    "stringData": null})");
  auto result = ApplyStrategicMergePatch(secret, patch, StrategicMergeSchema::ForObjectMeta());
  ASSERT_TRUE(result.ok()) << result.status();
  json expected = secret;
  expected["data"]["password"] = "bmV3cGFzcw==";
  expected["metadata"]["labels"]["tier"] = "backend";
  expected["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"] =
      "{\"new\":1}\n";
  EXPECT_EQ(*result, expected);
  EXPECT_FALSE(result->contains("stringData"));
}

TEST(StrategicMergePatch, KubectlIngressApplyReplacesUnkeyedLists) {
  json ingress = json::parse(R"({
    "metadata": {"name": "web", "annotations": {"cert-manager.io/cluster-issuer": "ca"}},
    "spec": {"ingressClassName": "nginx",
             "rules": [{"host": "web.example.com", "http": {"paths": [{"path": "/"}]}}],
             "tls": [{"hosts": ["web.example.com"], "secretName": "web-cert-tls"}]}})");
  json patch = json::parse(R"({
    "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "{}"}},
    "spec": {"rules": [{"host": "web.example.com"}, {"host": "www.example.com"}],
             "tls": [{"hosts": ["web.example.com", "www.example.com"],
                      "secretName": "web-cert-tls"}]}})");
  auto result = ApplyStrategicMergePatch(ingress, patch, StrategicMergeSchema::ForObjectMeta());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ((*result)["spec"]["rules"], patch["spec"]["rules"]);
  EXPECT_EQ((*result)["spec"]["tls"], patch["spec"]["tls"]);
  EXPECT_EQ((*result)["spec"]["ingressClassName"], "nginx");
  EXPECT_EQ((*result)["metadata"]["annotations"].size(), 2u);
}

TEST(StrategicMergePatch, ObjectMetaOwnerReferencesAndFinalizers) {
  const std::string meta = R"({"metadata": {"name": "x",
      "ownerReferences": [{"apiVersion": "v1", "kind": "A", "name": "a", "uid": "u-a"},
                          {"apiVersion": "v1", "kind": "B", "name": "b", "uid": "u-b"}],
      "finalizers": ["f.io/a", "f.io/b", "f.io/c"]}})";
  const std::vector<SmpCase> cases = {
      {"owner merged by uid, new owner appended", meta,
       R"({"metadata":{"ownerReferences":[{"uid":"u-b","controller":true},
                                          {"uid":"u-c","kind":"C","name":"c"}]}})",
       R"({"metadata":{"name":"x",
           "ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"u-a"},
                              {"apiVersion":"v1","kind":"B","name":"b","uid":"u-b",
                               "controller":true},
                              {"uid":"u-c","kind":"C","name":"c"}],
           "finalizers":["f.io/a","f.io/b","f.io/c"]}})"},
      {"kubectl adds an owner with $setElementOrder", meta,
       R"({"metadata":{"$setElementOrder/ownerReferences":
                          [{"uid":"u-a"},{"uid":"u-c"},{"uid":"u-b"}],
                       "ownerReferences":[{"uid":"u-c","kind":"C","name":"c"}]}})",
       R"({"metadata":{"name":"x",
           "ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"u-a"},
                              {"uid":"u-c","kind":"C","name":"c"},
                              {"apiVersion":"v1","kind":"B","name":"b","uid":"u-b"}],
           "finalizers":["f.io/a","f.io/b","f.io/c"]}})"},
      {"owner removed with $patch: delete", meta,
       R"({"metadata":{"$setElementOrder/ownerReferences":[{"uid":"u-b"}],
                       "ownerReferences":[{"$patch":"delete","uid":"u-a"}]}})",
       R"({"metadata":{"name":"x",
           "ownerReferences":[{"apiVersion":"v1","kind":"B","name":"b","uid":"u-b"}],
           "finalizers":["f.io/a","f.io/b","f.io/c"]}})"},
      {"owners replaced with $patch: replace", meta,
       R"({"metadata":{"ownerReferences":[{"$patch":"replace"},{"uid":"u-z","name":"z"}]}})",
       R"({"metadata":{"name":"x","ownerReferences":[{"uid":"u-z","name":"z"}],
           "finalizers":["f.io/a","f.io/b","f.io/c"]}})"},
      {"kubectl removes a finalizer", meta,
       R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["f.io/b"],
                       "$setElementOrder/finalizers":["f.io/a","f.io/c"]}})",
       R"({"metadata":{"name":"x",
           "ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"u-a"},
                              {"apiVersion":"v1","kind":"B","name":"b","uid":"u-b"}],
           "finalizers":["f.io/a","f.io/c"]}})"},
      {"finalizers union, duplicates dropped", meta,
       R"({"metadata":{"finalizers":["f.io/c","f.io/d"]}})",
       R"({"metadata":{"name":"x",
           "ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"u-a"},
                              {"apiVersion":"v1","kind":"B","name":"b","uid":"u-b"}],
           "finalizers":["f.io/a","f.io/b","f.io/c","f.io/d"]}})"},
      {"kubectl reorders finalizers", meta,
       R"({"metadata":{"$setElementOrder/finalizers":["f.io/c","f.io/a","f.io/b"]}})",
       R"({"metadata":{"name":"x",
           "ownerReferences":[{"apiVersion":"v1","kind":"A","name":"a","uid":"u-a"},
                              {"apiVersion":"v1","kind":"B","name":"b","uid":"u-b"}],
           "finalizers":["f.io/c","f.io/a","f.io/b"]}})"},
      {"finalizers set on an object without any", R"({"metadata":{"name":"x"}})",
       R"({"metadata":{"finalizers":["f.io/a"],"$setElementOrder/finalizers":["f.io/a"]}})",
       R"({"metadata":{"name":"x","finalizers":["f.io/a"]}})"},
      {"finalizers cleared with null", meta,
       R"({"metadata":{"finalizers":null,"ownerReferences":null}})",
       R"({"metadata":{"name":"x"}})"},
  };
  RunCases(cases, StrategicMergeSchema::ForObjectMeta());
}

// Kubernetes' own apply vectors (live object + patch → result), written as JSON.
TEST(StrategicMergePatch, KubernetesListVectors) {
  const std::vector<SmpCase> cases = {
      {"unique scalars when merging", R"({"mergingIntList":[1,2]})", R"({"mergingIntList":[2,3]})",
       R"({"mergingIntList":[1,2,3]})"},
      {"merge scalars with $setElementOrder keeps server-only items",
       R"({"mergingIntList":[1,2,4]})",
       R"({"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3]})",
       R"({"mergingIntList":[1,2,3,4]})"},
      {"patch order wins in a keyed list",
       R"({"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]})",
       R"({"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},{"name":2,"other":"x"}]})",
       R"({"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"},
                         {"name":2,"value":"b","other":"x"}]})"},
      {"server-only items interleave by server order",
       R"({"mergingList":[{"name":1},{"name":2,"value":"b"},{"name":3}]})",
       R"({"mergingList":[{"name":3,"value":"c"},{"name":1,"value":"a"}]})",
       R"({"mergingList":[{"name":2,"value":"b"},{"name":3,"value":"c"},{"name":1,"value":"a"}]})"},
      {"patch order in an int list", R"({"mergingIntList":[1,2,3]})", R"({"mergingIntList":[3,1]})",
       R"({"mergingIntList":[2,3,1]})"},
      {"$setElementOrder names an absent item", R"({"mergingList":[{"name":1},{"name":3}]})",
       R"({"$setElementOrder/mergingList":[{"name":3},{"name":2},{"name":1}],
           "mergingList":[{"name":3,"value":3},{"name":1,"value":1}]})",
       R"({"mergingList":[{"name":3,"value":3},{"name":1,"value":1}]})"},
      {"$setElementOrder alone reorders ints", R"({"mergingIntList":[1,3]})",
       R"({"$setElementOrder/mergingIntList":[3,2,1]})", R"({"mergingIntList":[3,1]})"},
      {"delete all duplicates of a key",
       R"({"mergingList":[{"name":1},{"name":1},{"name":2,"value":"a"},{"name":3},{"name":3}]})",
       R"({"mergingList":[{"name":1,"$patch":"delete"},{"name":3,"$patch":"delete"}]})",
       R"({"mergingList":[{"name":2,"value":"a"}]})"},
      {"$patch: replace alone empties a keyed list", R"({"mergingList":[{"name":1},{"name":2}]})",
       R"({"mergingList":[{"$patch":"replace"}]})", R"({"mergingList":[]})"},
      {"empty keyed lists", R"({"mergingList":[]})", R"({"mergingList":[]})",
       R"({"mergingList":[]})"},
      {"$deleteFromPrimitiveList of an absent value", R"({"mergingIntList":[1,2]})",
       R"({"$deleteFromPrimitiveList/mergingIntList":[3]})", R"({"mergingIntList":[1,2]})"},
      {"$deleteFromPrimitiveList on a null list", R"({"mergingIntList":null})",
       R"({"$deleteFromPrimitiveList/mergingIntList":[3]})", R"({"mergingIntList":null})"},
      {"$deleteFromPrimitiveList on a missing list", R"({"foo":["bar"]})",
       R"({"$deleteFromPrimitiveList/mergingIntList":[3]})", R"({"foo":["bar"]})"},
      {"$deleteFromPrimitiveList on a non-merging list", R"({"nonMergingIntList":[1,2,3]})",
       R"({"$deleteFromPrimitiveList/nonMergingIntList":[2]})", R"({"nonMergingIntList":[1,3]})"},
      {"add and delete in one int list", R"({"mergingIntList":[1,2,3,4]})",
       R"({"mergingIntList":[5],"$deleteFromPrimitiveList/mergingIntList":[2],
           "$setElementOrder/mergingIntList":[1,3,5]})",
       R"({"mergingIntList":[1,3,5,4]})"},
      {"nested keyed list merges",
       R"({"mergingList":[{"name":"a","mergingList":[{"name":"x","v":1}]}]})",
       R"({"mergingList":[{"name":"a","mergingList":[{"name":"y","v":2},{"name":"x","w":3}]}]})",
       R"({"mergingList":[{"name":"a",
                          "mergingList":[{"name":"y","v":2},{"name":"x","v":1,"w":3}]}]})"},
      {"unkeyed list of maps is replaced", R"({"nonMergingList":[{"name":"a"},{"name":"b"}]})",
       R"({"nonMergingList":[{"name":"c"}]})", R"({"nonMergingList":[{"name":"c"}]})"},
      {"keyed list item sets a field to null", R"({"mergingList":[{"name":"a","v":1,"w":2}]})",
       R"({"mergingList":[{"name":"a","v":null}]})", R"({"mergingList":[{"name":"a","w":2}]})"},
  };
  RunCases(cases, TestSchema());
}

TEST(StrategicMergePatch, MapDirectives) {
  const std::vector<SmpCase> cases = {
      {"null deletes, maps merge", R"({"a":{"x":1,"y":2},"b":1})",
       R"({"a":{"y":null,"z":3},"b":null})", R"({"a":{"x":1,"z":3}})"},
      {"$patch: delete empties a nested map", R"({"simpleMap":{"key1":1,"key2":1}})",
       R"({"simpleMap":{"$patch":"delete"}})", R"({"simpleMap":{}})"},
      {"$patch: replace at the root", R"({"name":1,"value":1})", R"({"$patch":"replace"})",
       R"({})"},
      {"$patch: replace keeps the patch's own keys", R"({"name":1,"value":1})",
       R"({"other":"a","$patch":"replace"})", R"({"other":"a"})"},
      {"$patch: replace on a nested map", R"({"m":{"a":1,"b":{"c":2}},"k":1})",
       R"({"m":{"$patch":"replace","b":{"d":3}}})", R"({"m":{"b":{"d":3}},"k":1})"},
      {"$patch: merge is the default", R"({"m":{"a":1}})", R"({"m":{"$patch":"merge","b":2}})",
       R"({"m":{"a":1,"b":2}})"},
      {"type change replaces", R"({"a":{"x":1},"b":[1]})",
       R"({"a":"s","b":{"k":{"$patch":"merge"}}})", R"({"a":"s","b":{"k":{}}})"},
      {"unknown $ keys are dropped", R"({"a":{"x":1}})",
       R"({"$unknown":1,"a":{"$foo":"bar","y":2},"l":[{"$x":1,"k":"v"}]})",
       R"({"a":{"x":1,"y":2},"l":[{"k":"v"}]})"},
      {"directives inside new maps are applied, not stored", R"({})",
       R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}},
           "mergingList":[{"name":"a","$patch":"delete"},{"name":"b"}]})",
       R"({"spec":{"strategy":{"type":"Recreate"}},"mergingList":[{"name":"b"}]})"},
      // kubectl's body for switching a Deployment strategy (strategy uses retainKeys).
      {"$retainKeys drops unlisted fields",
       R"({"spec":{"strategy":{"type":"RollingUpdate",
                                "rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
                   "replicas":2}})",
       R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}})",
       R"({"spec":{"strategy":{"type":"Recreate"},"replicas":2}})"},
      {"$retainKeys merges the fields it keeps",
       R"({"retainKeysMap":{"name":"foo","value":"bar",
                           "simpleMap":{"key1":"new","key2":"b","key3":"c"}}})",
       R"({"retainKeysMap":{"$retainKeys":["name","simpleMap","value"],
                           "simpleMap":{"key1":"modified"}}})",
       R"({"retainKeysMap":{"name":"foo","value":"bar",
                           "simpleMap":{"key1":"modified","key2":"b","key3":"c"}}})"},
      {"$retainKeys with list directives",
       R"({"retainKeysMap":{"name":"foo","mergingIntList":[1,2,3,4],"extra":true}})",
       R"({"retainKeysMap":{"$retainKeys":["mergingIntList","name"],"mergingIntList":[5],
           "$deleteFromPrimitiveList/mergingIntList":[2],
           "$setElementOrder/mergingIntList":[1,3,5]}})",
       R"({"retainKeysMap":{"name":"foo","mergingIntList":[1,3,5,4]}})"},
      {"$retainKeys with a keyed-list delete",
       R"({"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"b"},{"name":"x"}]}})",
       R"({"retainKeysMap":{"$retainKeys":["mergingList","name"],
           "$setElementOrder/mergingList":[{"name":"a"}],
           "mergingList":[{"name":"b","$patch":"delete"}]}})",
       R"({"retainKeysMap":{"name":"foo","mergingList":[{"name":"a"},{"name":"x"}]}})"},
      {"null original is an empty object", R"(null)", R"({"a":{"b":null,"c":1}})",
       R"({"a":{"c":1}})"},
  };
  RunCases(cases, TestSchema());
}

struct SmpErrorCase {
  std::string name;
  std::string original;
  std::string patch;
  std::string message_part;
};

TEST(StrategicMergePatch, BadDirectivesAreInvalidArgument) {
  const std::vector<SmpErrorCase> cases = {
      {"patch not an object", R"({})", R"([1])", "object"},
      {"original not an object", R"("text")", R"({})", "objects"},
      {"unknown $patch on a map", R"({"m":{}})", R"({"m":{"$patch":"frobnicate"}})", "frobnicate"},
      {"non-string $patch", R"({})", R"({"$patch":5})", "$patch"},
      {"$retainKeys not a list", R"({"m":{}})", R"({"m":{"$retainKeys":"a"}})", "$retainKeys"},
      {"$retainKeys with a number", R"({})", R"({"$retainKeys":[1]})", "$retainKeys"},
      {"patch field missing from $retainKeys", R"({})", R"({"$retainKeys":["a"],"b":1})", "\"b\""},
      {"$setElementOrder not a list", R"({"mergingIntList":[1]})",
       R"({"$setElementOrder/mergingIntList":1})", "$setElementOrder/mergingIntList"},
      {"$setElementOrder without a field", R"({})", R"({"$setElementOrder/":[]})",
       "$setElementOrder/"},
      {"$setElementOrder disagrees with the patch list",
       R"({"mergingList":[{"name":1},{"name":3},{"name":2}]})",
       R"({"$setElementOrder/mergingList":[{"name":1},{"name":2},{"name":3}],
           "mergingList":[{"name":3,"value":3},{"name":1,"value":1}]})",
       "order"},
      {"$setElementOrder disagrees with an int list", R"({"mergingIntList":[1,3,2]})",
       R"({"$setElementOrder/mergingIntList":[1,2,3],"mergingIntList":[3,1]})", "order"},
      {"$setElementOrder entries without merge key", R"({"mergingList":[{"name":1}]})",
       R"({"$setElementOrder/mergingList":[{"value":1}]})", "merge key"},
      {"$deleteFromPrimitiveList not a list", R"({"mergingIntList":[1]})",
       R"({"$deleteFromPrimitiveList/mergingIntList":1})", "$deleteFromPrimitiveList"},
      {"$deleteFromPrimitiveList without a field", R"({})", R"({"$deleteFromPrimitiveList/":[1]})",
       "$deleteFromPrimitiveList/"},
      {"keyed item without merge key", R"({"mergingList":[{"name":1,"value":"a"}]})",
       R"({"mergingList":[{"value":"b"}]})", "merge key \"name\""},
      {"$patch: delete item without merge key", R"({"mergingList":[{"name":1}]})",
       R"({"mergingList":[{"$patch":"delete"}]})", "merge key"},
      {"$patch: merge on a list item", R"({"mergingList":[{"name":1}]})",
       R"({"mergingList":[{"name":1,"$patch":"merge"}]})", "merge"},
      {"unknown $patch on a list item", R"({"mergingList":[]})",
       R"({"mergingList":[{"name":1,"$patch":"bogus"}]})", "bogus"},
      {"merged list mixing maps and scalars", R"({"mergingIntList":[1]})",
       R"({"mergingIntList":[{"a":1}]})", "mix"},
      {"merged list of lists", R"({"mergingIntList":[]})", R"({"mergingIntList":[[1]]})",
       "lists of lists"},
      {"nested error names its path", R"({"mergingList":[{"name":"a","mergingList":[]}]})",
       R"({"mergingList":[{"name":"a","mergingList":[{"v":1}]}]})", "mergingList[].mergingList"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto result =
        ApplyStrategicMergePatch(json::parse(c.original), json::parse(c.patch), TestSchema());
    ASSERT_FALSE(result.ok()) << result->dump();
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_THAT(std::string(result.status().message()), HasSubstr(c.message_part));
  }
}

TEST(StrategicMergePatch, ForObjectMetaSchema) {
  StrategicMergeSchema schema = StrategicMergeSchema::ForObjectMeta();
  EXPECT_EQ(schema.merge_keys.at("metadata.ownerReferences"), "uid");
  EXPECT_EQ(schema.merged_scalar_lists.count("metadata.finalizers"), 1u);
}

}  // namespace
}  // namespace certforge::kube
