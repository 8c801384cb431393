#include "lib/kube/json_pointer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using nlohmann::json;

// RFC 6901 section 5: every pointer into the example document.
TEST(JsonPointer, Rfc6901Section5) {
  const json doc = json::parse(R"({
    "foo": ["bar", "baz"], "": 0, "a/b": 1, "c%d": 2, "e^f": 3, "g|h": 4,
    "i\\j": 5, "k\"l": 6, " ": 7, "m~n": 8})");
  const std::vector<std::pair<std::string, json>> cases = {
      {"", doc},         {"/foo", json::parse(R"(["bar","baz"])")},
      {"/foo/0", "bar"}, {"/", 0},
      {"/a~1b", 1},      {"/c%d", 2},
      {"/e^f", 3},       {"/g|h", 4},
      {"/i\\j", 5},      {"/k\"l", 6},
      {"/ ", 7},         {"/m~0n", 8},
  };
  for (const auto& [text, expected] : cases) {
    SCOPED_TRACE(text);
    auto pointer = JsonPointer::Parse(text);
    ASSERT_TRUE(pointer.ok()) << pointer.status();
    const json* found = pointer->Find(doc);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, expected);
  }
}

TEST(JsonPointer, EscapesDecodeInOrder) {
  // "~01" is "~1" (a tilde then "1"), not "/".
  auto pointer = JsonPointer::Parse("/~01/a~1b~0");
  ASSERT_TRUE(pointer.ok());
  EXPECT_EQ(pointer->tokens(), (std::vector<std::string>{"~1", "a/b~"}));
}

TEST(JsonPointer, MissingLocationsAreNotFound) {
  const json doc = json::parse(R"({"a":[1,2],"s":"text"})");
  for (const char* text : {"/b", "/a/2", "/a/-", "/a/01", "/a/x", "/s/0", "/a/0/x"}) {
    SCOPED_TRACE(text);
    auto pointer = JsonPointer::Parse(text);
    ASSERT_TRUE(pointer.ok());
    EXPECT_EQ(pointer->Find(doc), nullptr);
  }
}

TEST(JsonPointer, RejectsMalformedPointers) {
  for (const char* text : {"a/b", "/a~", "/a~2", "~0"}) {
    SCOPED_TRACE(text);
    auto pointer = JsonPointer::Parse(text);
    ASSERT_FALSE(pointer.ok());
    EXPECT_EQ(pointer.status().code(), absl::StatusCode::kInvalidArgument);
  }
}

TEST(JsonPointer, IsInside) {
  auto parent = *JsonPointer::Parse("/a/b");
  EXPECT_TRUE(JsonPointer::Parse("/a/b/c")->IsInside(parent));
  EXPECT_FALSE(JsonPointer::Parse("/a/b")->IsInside(parent));
  EXPECT_FALSE(JsonPointer::Parse("/a/bc")->IsInside(parent));
  EXPECT_FALSE(JsonPointer::Parse("/a")->IsInside(parent));
}

}  // namespace
}  // namespace certforge::kube
