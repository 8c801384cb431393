#include "lib/kube/json_patch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

struct PatchCase {
  std::string name;
  std::string doc;
  std::string ops;
  std::string result;
};

// RFC 6902 Appendix A examples that succeed.
TEST(ApplyJsonPatch, Rfc6902AppendixASuccesses) {
  const std::vector<PatchCase> cases = {
      {"A.1 add object member", R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])",
       R"({"baz":"qux","foo":"bar"})"},
      {"A.2 add array element", R"({"foo":["bar","baz"]})",
       R"([{"op":"add","path":"/foo/1","value":"qux"}])", R"({"foo":["bar","qux","baz"]})"},
      {"A.3 remove object member", R"({"baz":"qux","foo":"bar"})",
       R"([{"op":"remove","path":"/baz"}])", R"({"foo":"bar"})"},
      {"A.4 remove array element", R"({"foo":["bar","qux","baz"]})",
       R"([{"op":"remove","path":"/foo/1"}])", R"({"foo":["bar","baz"]})"},
      {"A.5 replace", R"({"baz":"qux","foo":"bar"})",
       R"([{"op":"replace","path":"/baz","value":"boo"}])", R"({"baz":"boo","foo":"bar"})"},
      {"A.6 move value", R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
       R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
       R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"},
      {"A.7 move array element", R"({"foo":["all","grass","cows","eat"]})",
       R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])",
       R"({"foo":["all","cows","eat","grass"]})"},
      {"A.8 test success", R"({"baz":"qux","foo":["a",2,"c"]})",
       R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}])",
       R"({"baz":"qux","foo":["a",2,"c"]})"},
      {"A.10 add nested member object", R"({"foo":"bar"})",
       R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])",
       R"({"foo":"bar","child":{"grandchild":{}}})"},
      {"A.11 ignore unrecognized members", R"({"foo":"bar"})",
       R"([{"op":"add","path":"/baz","value":"qux","xyz":123}])", R"({"foo":"bar","baz":"qux"})"},
      {"A.14 escape ordering", R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":10}])",
       R"({"/":9,"~1":10})"},
      {"A.16 add array value", R"({"foo":["bar"]})",
       R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])",
       R"({"foo":["bar",["abc","def"]]})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = ApplyJsonPatch(json::parse(c.doc), json::parse(c.ops));
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(*result, json::parse(c.result));
  }
}

TEST(ApplyJsonPatch, MoreOperations) {
  const std::vector<PatchCase> cases = {
      {"add replaces an existing member", R"({"a":1})", R"([{"op":"add","path":"/a","value":2}])",
       R"({"a":2})"},
      {"add at array end index", R"({"a":[1]})", R"([{"op":"add","path":"/a/1","value":2}])",
       R"({"a":[1,2]})"},
      {"add null value", R"({})", R"([{"op":"add","path":"/a","value":null}])", R"({"a":null})"},
      {"add whole document", R"({"a":1})", R"([{"op":"add","path":"","value":[1]}])", R"([1])"},
      {"replace whole document", R"({"a":1})", R"([{"op":"replace","path":"","value":{"b":2}}])",
       R"({"b":2})"},
      {"copy", R"({"a":{"x":1}})", R"([{"op":"copy","from":"/a","path":"/b"}])",
       R"({"a":{"x":1},"b":{"x":1}})"},
      {"copy into array", R"({"a":[1,2]})", R"([{"op":"copy","from":"/a/0","path":"/a/-"}])",
       R"({"a":[1,2,1]})"},
      {"move to itself is a no-op", R"({"a":1})", R"([{"op":"move","from":"/a","path":"/a"}])",
       R"({"a":1})"},
      {"test compares numbers by value", R"({"a":1})", R"([{"op":"test","path":"/a","value":1.0}])",
       R"({"a":1})"},
      {"test compares objects regardless of order", R"({"a":{"x":1,"y":2}})",
       R"([{"op":"test","path":"/a","value":{"y":2,"x":1}}])", R"({"a":{"x":1,"y":2}})"},
      {"empty patch", R"({"a":1})", R"([])", R"({"a":1})"},
      {"ops apply in sequence", R"({"a":[]})",
       R"([{"op":"add","path":"/a/-","value":1},{"op":"add","path":"/a/-","value":2},
           {"op":"remove","path":"/a/0"},{"op":"test","path":"/a","value":[2]}])",
       R"({"a":[2]})"},
      // kubectl patch --type=json and the python client (kube-api-surface.md §5.10, §8).
      {"kubectl add label", R"({"metadata":{"name":"x","labels":{"app":"web"}}})",
       R"([{"op":"add","path":"/metadata/labels/j","value":"1"}])",
       R"({"metadata":{"name":"x","labels":{"app":"web","j":"1"}}})"},
      {"ssa managedFields migration",
       R"({"metadata":{"resourceVersion":"7","managedFields":[{"manager":"kubectl"}]}})",
       R"([{"op":"test","path":"/metadata/resourceVersion","value":"7"},
           {"op":"replace","path":"/metadata/managedFields","value":[{}]}])",
       R"({"metadata":{"resourceVersion":"7","managedFields":[{}]}})"},
      {"annotation key with a slash", R"({"metadata":{"annotations":{}}})",
       R"([{"op":"add","path":"/metadata/annotations/cert-manager.io~1issuer","value":"ca"}])",
       R"({"metadata":{"annotations":{"cert-manager.io/issuer":"ca"}}})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = ApplyJsonPatch(json::parse(c.doc), json::parse(c.ops));
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_EQ(*result, json::parse(c.result));
  }
}

struct ErrorCase {
  std::string name;
  std::string doc;
  std::string ops;
  absl::StatusCode code;
  std::vector<std::string> message_parts;
};

TEST(ApplyJsonPatch, Errors) {
  constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
  constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;
  const std::vector<ErrorCase> cases = {
      // RFC 6902 A.9, A.12 and A.15.
      {"A.9 failed test",
       R"({"baz":"qux"})",
       R"([{"op":"test","path":"/baz","value":"bar"}])",
       kPrecondition,
       {"op[0]", "test", "/baz"}},
      {"A.12 add to nonexistent target",
       R"({"foo":"bar"})",
       R"([{"op":"add","path":"/baz/bat","value":"qux"}])",
       kPrecondition,
       {"op[0]", "add", "/baz/bat", "does not exist"}},
      {"A.15 string is not number",
       R"({"/":9,"~1":10})",
       R"([{"op":"test","path":"/~01","value":"10"}])",
       kPrecondition,
       {"test", "/~01"}},
      // Operations that cannot apply.
      {"remove missing member",
       R"({"a":{}})",
       R"([{"op":"add","path":"/x","value":1},{"op":"remove","path":"/a/b"}])",
       kPrecondition,
       {"op[1]", "remove", "/a/b"}},
      {"replace missing member",
       R"({})",
       R"([{"op":"replace","path":"/a","value":1}])",
       kPrecondition,
       {"replace", "/a"}},
      {"add past array end",
       R"({"a":[1,2]})",
       R"([{"op":"add","path":"/a/3","value":0}])",
       kPrecondition,
       {"add", "/a/3", "out of range"}},
      {"add with leading zero index",
       R"({"a":[1,2]})",
       R"([{"op":"add","path":"/a/01","value":0}])",
       kPrecondition,
       {"/a/01"}},
      {"remove past array end",
       R"({"a":[1]})",
       R"([{"op":"remove","path":"/a/1"}])",
       kPrecondition,
       {"remove", "/a/1"}},
      {"remove array append marker",
       R"({"a":[1]})",
       R"([{"op":"remove","path":"/a/-"}])",
       kPrecondition,
       {"remove", "/a/-"}},
      {"replace non-numeric array index",
       R"({"a":[1]})",
       R"([{"op":"replace","path":"/a/x","value":1}])",
       kPrecondition,
       {"/a/x"}},
      {"add into a scalar",
       R"({"a":"s"})",
       R"([{"op":"add","path":"/a/b","value":1}])",
       kPrecondition,
       {"/a/b", "not an object or an array"}},
      {"remove whole document",
       R"({"a":1})",
       R"([{"op":"remove","path":""}])",
       kPrecondition,
       {"remove"}},
      {"move from missing",
       R"({})",
       R"([{"op":"move","from":"/x","path":"/y"}])",
       kPrecondition,
       {"move", "/y", "/x"}},
      {"move into own child",
       R"({"a":{"b":{}}})",
       R"([{"op":"move","from":"/a","path":"/a/b/c"}])",
       kPrecondition,
       {"move", "/a/b/c"}},
      {"copy from missing",
       R"({})",
       R"([{"op":"copy","from":"/x","path":"/y"}])",
       kPrecondition,
       {"copy", "/y"}},
      {"test missing path",
       R"({})",
       R"([{"op":"test","path":"/x","value":1}])",
       kPrecondition,
       {"test", "/x", "does not exist"}},
      // Malformed patch documents.
      {"not an array", R"({})", R"({"op":"add","path":"/a","value":1})", kInvalid, {"array"}},
      {"op not an object", R"({})", R"([1])", kInvalid, {"op[0]"}},
      {"missing op", R"({})", R"([{"path":"/a","value":1}])", kInvalid, {"\"op\""}},
      {"op not a string", R"({})", R"([{"op":1,"path":"/a","value":1}])", kInvalid, {"\"op\""}},
      {"unknown op", R"({})", R"([{"op":"frobnicate","path":"/a"}])", kInvalid, {"frobnicate"}},
      {"missing path", R"({})", R"([{"op":"remove"}])", kInvalid, {"\"path\""}},
      {"path not a string", R"({})", R"([{"op":"remove","path":5}])", kInvalid, {"\"path\""}},
      {"missing value for add", R"({})", R"([{"op":"add","path":"/a"}])", kInvalid, {"value"}},
      {"missing value for replace",
       R"({"a":1})",
       R"([{"op":"replace","path":"/a"}])",
       kInvalid,
       {"value"}},
      {"missing value for test",
       R"({"a":1})",
       R"([{"op":"test","path":"/a"}])",
       kInvalid,
       {"value"}},
      {"missing from for move",
       R"({"a":1})",
       R"([{"op":"move","path":"/b"}])",
       kInvalid,
       {"\"from\""}},
      {"missing from for copy",
       R"({"a":1})",
       R"([{"op":"copy","path":"/b"}])",
       kInvalid,
       {"\"from\""}},
      {"pointer without slash",
       R"({"a":1})",
       R"([{"op":"remove","path":"a"}])",
       kInvalid,
       {"must start with /"}},
      {"bad tilde escape",
       R"({"a":1})",
       R"([{"op":"remove","path":"/a~2"}])",
       kInvalid,
       {"escape"}},
      // A malformed later op is reported as malformed even when earlier ops would fail.
      {"malformed beats failing",
       R"({})",
       R"([{"op":"remove","path":"/missing"},{"op":"bogus","path":"/a"}])",
       kInvalid,
       {"op[1]", "bogus"}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto result = ApplyJsonPatch(json::parse(c.doc), json::parse(c.ops));
    ASSERT_FALSE(result.ok()) << result->dump();
    EXPECT_EQ(result.status().code(), c.code) << result.status();
    for (const auto& part : c.message_parts) {
      EXPECT_THAT(std::string(result.status().message()), HasSubstr(part));
    }
  }
}

TEST(ApplyJsonPatch, FailureLeavesDocumentUnchanged) {
  const json doc = json::parse(R"({"a":1})");
  auto result = ApplyJsonPatch(doc, json::parse(R"([{"op":"add","path":"/b","value":2},
                                                     {"op":"test","path":"/a","value":5}])"));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(doc, json::parse(R"({"a":1})"));
}

}  // namespace
}  // namespace certforge::kube
