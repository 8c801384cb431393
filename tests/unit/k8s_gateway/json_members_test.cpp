// Slicing a watch event into its members finds what a parser finds, and refuses what is not one
// whole object.

#include "services/k8s-gateway/json_members.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace certforge::k8sgw {
namespace {

TEST(JsonObjectMembers, SlicesEveryMemberAsAParserReadsIt) {
  const std::string line =
      R"({"type":"MODIFIED","object":{"apiVersion":"v1","kind":"Secret","metadata":)"
      R"({"name":"a\"b","annotations":{"x":"}{]["}},"data":{"k":"dg=="},"n":[1,{"m":null}]},)"
      R"("count": -1.5e3 , "flag":true,"nothing":null})";
  auto members = JsonObjectMembers(line);
  ASSERT_TRUE(members.has_value());
  ASSERT_EQ(members->size(), 5u);
  auto parsed = nlohmann::json::parse(line);
  for (const auto& member : *members) {
    EXPECT_EQ(nlohmann::json::parse(member.value), parsed[std::string(member.key)]) << member.key;
  }
  EXPECT_EQ(MemberValue(*members, "type"), "\"MODIFIED\"");
  EXPECT_EQ(MemberValue(*members, "count"), "-1.5e3");
  EXPECT_EQ(MemberValue(*members, "missing"), "");

  auto object = JsonObjectMembers(MemberValue(*members, "object"));
  ASSERT_TRUE(object.has_value());
  auto metadata = nlohmann::json::parse(MemberValue(*object, "metadata"));
  EXPECT_EQ(metadata["name"], "a\"b");
  EXPECT_EQ(metadata["annotations"]["x"], "}{][");
}

TEST(JsonObjectMembers, EmptyObjectAndSpaces) {
  auto empty = JsonObjectMembers("  { }  ");
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
  auto spaced = JsonObjectMembers("{ \"a\" :\n[ 1 , 2 ] ,\"b\":\"\\\\\" }");
  ASSERT_TRUE(spaced.has_value());
  EXPECT_EQ(MemberValue(*spaced, "a"), "[ 1 , 2 ]");
  EXPECT_EQ(MemberValue(*spaced, "b"), "\"\\\\\"");
}

TEST(JsonObjectMembers, RefusesWhatIsNotOneWholeObject) {
  for (const char* bad :
       {"", "[]", "\"text\"", "{", "{\"a\":1", "{\"a\":\"open}", "{\"a\":}", "{\"a\" 1}",
        "{\"a\":1,}", "{a:1}", "{\"a\":{\"b\":1}", "{} {}", "{\"a\":1}x"}) {
    EXPECT_FALSE(JsonObjectMembers(bad).has_value()) << bad;
  }
}

TEST(JsonArrayElements, SlicesEveryElementAsAParserReadsIt) {
  const std::string text = R"( [ {"a":"],["} , [1,2], "x\"]", -3 ,null ] )";
  auto elements = JsonArrayElements(text);
  ASSERT_TRUE(elements.has_value());
  auto parsed = nlohmann::json::parse(text);
  ASSERT_EQ(elements->size(), parsed.size());
  for (size_t i = 0; i < elements->size(); ++i) {
    EXPECT_EQ(nlohmann::json::parse((*elements)[i]), parsed[i]) << i;
  }
  EXPECT_EQ((*elements)[0], R"({"a":"],["})");
  EXPECT_TRUE(JsonArrayElements("[]")->empty());
  EXPECT_TRUE(JsonArrayElements(" [ ] ")->empty());
}

TEST(JsonArrayElements, RefusesWhatIsNotOneWholeArray) {
  for (const char* bad : {"", "{}", "[1,", "[1 2]", "[1,]x", "[\"open]", "[1] [2]", "[{]"}) {
    EXPECT_FALSE(JsonArrayElements(bad).has_value()) << bad;
  }
}

TEST(ObjectHead, ParsesOnlyTypeAndIdentity) {
  auto head =
      ObjectHead(R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"a","namespace":"ns",)"
                 R"("resourceVersion":"7","labels":{"x":"y"}},"data":{"k":"dg=="}})");
  EXPECT_EQ(head,
            (nlohmann::json{
                {"apiVersion", "v1"},
                {"kind", "Secret"},
                {"metadata", {{"name", "a"}, {"namespace", "ns"}, {"resourceVersion", "7"}}}}));
  EXPECT_TRUE(ObjectHead("[1]").is_null());
}

}  // namespace
}  // namespace certforge::k8sgw
