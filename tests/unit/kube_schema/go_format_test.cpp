#include "lib/kube/go_format.h"

#include <gtest/gtest.h>

#include <string>

#include "lib/kube/field_error.h"

namespace certforge::kube {
namespace {

TEST(GoQuoteTest, EscapesLikeStrconvQuote) {
  const struct {
    std::string in;
    std::string out;
  } cases[] = {
      {"plain", "\"plain\""},
      {"say \"hi\"", "\"say \\\"hi\\\"\""},
      {"back\\slash", "\"back\\\\slash\""},
      {"line\nbreak\ttab", "\"line\\nbreak\\ttab\""},
      {std::string("nul\0x", 5), "\"nul\\x00x\""},
      {"h\xc3\xa9llo", "\"h\xc3\xa9llo\""},  // valid UTF-8 stays as is
      {"bad\xff", "\"bad\\xff\""},           // invalid bytes are escaped
  };
  for (const auto& c : cases) EXPECT_EQ(GoQuote(c.in), c.out) << c.in;
}

TEST(GoFloatTest, FormatsLikePercentV) {
  const struct {
    double in;
    std::string out;
  } cases[] = {
      {1.5, "1.5"},       {2, "2"},           {65535, "65535"},
      {100000, "100000"}, {1e6, "1e+06"},     {1234567, "1.234567e+06"},
      {0.0001, "0.0001"}, {0.00001, "1e-05"}, {-2.25, "-2.25"},
      {0, "0"},           {1e21, "1e+21"},
  };
  for (const auto& c : cases) EXPECT_EQ(GoFloat(c.in), c.out) << c.in;
}

TEST(GoJsonMarshalTest, UsesEncodingJsonNumberRules) {
  EXPECT_EQ(GoJsonMarshal(nlohmann::json(1e6)), "1000000");
  EXPECT_EQ(GoJsonMarshal(nlohmann::json(1e21)), "1e+21");
  EXPECT_EQ(GoJsonMarshal(nlohmann::json(0.5)), "0.5");
  EXPECT_EQ(GoJsonMarshal(nlohmann::json(3)), "3");
  EXPECT_EQ(GoJsonMarshal(nlohmann::json::parse(R"({"b":[1,true],"a":null})")),
            R"({"a":null,"b":[1,true]})");
}

TEST(GoSyntaxTest, PrintsMapsAndSlicesLikePercentSharpV) {
  EXPECT_EQ(GoSyntax(nlohmann::json::parse(R"({"name":"a","port":80})")),
            R"(map[string]interface {}{"name":"a", "port":80})");
  EXPECT_EQ(GoSyntax(nlohmann::json::parse(R"(["x", 1.5, null])")),
            R"([]interface {}{"x", 1.5, interface {}(nil)})");
  EXPECT_EQ(GoSyntax(nlohmann::json::object()), "map[string]interface {}{}");
}

TEST(RuneCountTest, CountsCodePoints) {
  EXPECT_EQ(RuneCount(""), 0);
  EXPECT_EQ(RuneCount("abc"), 3);
  EXPECT_EQ(RuneCount("h\xc3\xa9\xc3\xa9"), 3);  // 5 bytes
  EXPECT_EQ(RuneCount("\xf0\x9f\x94\x92"), 1);   // one 4-byte emoji
  EXPECT_EQ(RuneCount("a\xff"
                      "b"),
            3);  // an invalid byte counts as one
}

TEST(FieldErrorTest, RendersBodiesLikeApimachinery) {
  EXPECT_EQ(RequiredError("spec.a").ToString(), "spec.a: Required value");
  EXPECT_EQ(InvalidError("spec.a", 3, "too big").ToString(), "spec.a: Invalid value: 3: too big");
  EXPECT_EQ(InvalidError("spec.a", nullptr, "x").message, "Invalid value: \"null\": x");
  EXPECT_EQ(InvalidError("spec.a", true, "x").message, "Invalid value: true: x");
  EXPECT_EQ(NotSupportedError("spec.a", "Foo", {"A", "B"}).message,
            "Unsupported value: \"Foo\": supported values: \"A\", \"B\"");
  EXPECT_EQ(TooLongError("spec.a", 5).message, "Too long: may not be more than 5 bytes");
  EXPECT_EQ(TooManyError("spec.a", 4, 3).message, "Too many: 4: must have at most 3 items");
  EXPECT_EQ(DuplicateError("spec.a[1]", "x").message, "Duplicate value: \"x\"");
  EXPECT_EQ(ForbiddenError("spec.a", "no").message, "Forbidden: no");
  EXPECT_EQ(TypeInvalidError("spec.a", "string", "bad").reason, "FieldValueTypeInvalid");
}

}  // namespace
}  // namespace certforge::kube
