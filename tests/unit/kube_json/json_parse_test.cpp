#include "lib/kube/json_parse.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace certforge::kube {
namespace {

using nlohmann::json;

// Same values and the same nlohmann types all the way down (operator== alone takes 1 == 1u).
void ExpectIdentical(const json& got, const json& want, const std::string& path = "") {
  SCOPED_TRACE(path);
  ASSERT_EQ(got.type(), want.type());
  ASSERT_EQ(got.size(), want.size());
  if (got.is_object()) {
    for (auto it = want.begin(); it != want.end(); ++it) {
      ASSERT_TRUE(got.contains(it.key())) << it.key();
      ExpectIdentical(got.at(it.key()), it.value(), path + "/" + it.key());
    }
  } else if (got.is_array()) {
    for (size_t i = 0; i < want.size(); ++i) {
      ExpectIdentical(got.at(i), want.at(i), path + "/" + std::to_string(i));
    }
  } else {
    EXPECT_EQ(got.dump(), want.dump());
  }
}

std::string Nested(int depth) { return std::string(depth, '[') + "1" + std::string(depth, ']'); }

// About 38 bytes per member: 300 make 11 KiB, under the fast path's limit; 4,000 make 150 KiB.
std::string ObjectWithMembers(int members) {
  std::string text = "{";
  for (int i = 0; i < members; ++i) {
    if (i) text += ",";
    text += "\"key-" + std::to_string(i) + "\":{\"value\":\"" + std::string(20, 'x') + "\"}";
  }
  return text + "}";
}

TEST(ParseJson, GivesWhatNlohmannGives) {
  const std::vector<std::string> texts = {
      R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"a",
         "labels":{"app":"x"}},"spec":{"dnsNames":["a.example.com","b.example.com"],
         "privateKey":{"size":256},"isCA":false,"duration":null},"status":{}})",
      R"([])",
      R"({})",
      R"("\u00e9\ud83d\ude00 \n\t\"\\\/")",
      "\"caf\xc3\xa9\"",
      "0",
      "-1",
      "1.5",
      "1e3",
      "1E-2",
      "-0.0",
      "0.0",
      "18446744073709551615",
      "9223372036854775807",
      "-9223372036854775808",
      "18446744073709551616",
      "-9223372036854775809",
      "123456789012345678901234567890",
      "true",
      "false",
      "null",
      " \r\n\t{\"a\" : [ 1 , 2 ] }\n ",
      R"({"a":1,"a":2})",
      R"({"b":{"c":[{"d":[]}]},"a":[[[]]]})",
      "\xEF\xBB\xBF{\"bom\":true}",
      Nested(2000),
      ObjectWithMembers(300),
      ObjectWithMembers(4000),
  };
  for (const auto& text : texts) {
    SCOPED_TRACE(text.substr(0, 80));
    ExpectIdentical(ParseJson(text), json::parse(text));
    ExpectIdentical(ParseJsonOrDiscarded(text), json::parse(text));
  }
}

TEST(ParseJson, RejectsWhatNlohmannRejectsWithItsMessage) {
  const std::vector<std::string> texts = {
      "",          "{",  "[1,]",  R"({"a":})", "nul",     R"("\x")", "\"\xff\"",     "{} x",
      "\"a\x01\"", "01", "1e400", "[1 2]",     "{'a':1}", "NaN",     "\xEF\xBB\xBF",
  };
  for (const auto& text : texts) {
    SCOPED_TRACE(text);
    EXPECT_TRUE(ParseJsonOrDiscarded(text).is_discarded());
    std::string want;
    try {
      json parsed = json::parse(text);
    } catch (const json::exception& e) {
      want = e.what();
    }
    ASSERT_FALSE(want.empty()) << "nlohmann accepted it";
    try {
      json parsed = ParseJson(text);
      ADD_FAILURE() << "accepted: " << parsed.dump();
    } catch (const json::exception& e) {
      EXPECT_EQ(e.what(), want);
    }
  }
}

// The texts the services pass around take simdjson's path; those nlohmann reads its own way do not.
TEST(ParseJson, TakesTheFastPathUnlessNlohmannReadsTheTextItsOwnWay) {
  const std::vector<std::string> fast_texts = {
      R"({"metadata":{"name":"a","generation":1},"spec":{}})",
      R"([-0.5,-10e2,"2026-01-05T00:00:00Z"])", ObjectWithMembers(300)};
  for (const auto& text : fast_texts) {
    SCOPED_TRACE(text.substr(0, 80));
    auto fast = ParseJsonFast(text);
    ASSERT_TRUE(fast.has_value());
    ExpectIdentical(*fast, json::parse(text));
  }
  const std::vector<std::string> slow_texts = {"-0.0", R"({"a":-0e1})", "{", "",
                                               ObjectWithMembers(4000)};
  for (const auto& text : slow_texts) {
    SCOPED_TRACE(text.substr(0, 80));
    EXPECT_FALSE(ParseJsonFast(text).has_value());
  }
}

// The one difference from nlohmann: -0 is the unsigned 0, not a signed one.
TEST(ParseJson, ReadsMinusZeroAsZero) {
  for (const std::string text : {"-0", R"({"a":[1,-0]})", R"({"name":"web-0"})"}) {
    SCOPED_TRACE(text);
    EXPECT_EQ(ParseJson(text), json::parse(text));
    EXPECT_EQ(ParseJson(text).dump(), json::parse(text).dump());
  }
}

// Each thread keeps a parser between calls; a large text in between must not disturb the next.
// Parsers are shared between threads through a small pool; each call must get one of its own.
TEST(ParseJson, ParsesFromManyThreadsAtOnce) {
  std::vector<std::string> texts;
  for (int i = 0; i < 8; ++i) texts.push_back(ObjectWithMembers(10 + 30 * i));
  std::vector<json> want;
  for (const auto& text : texts) want.push_back(json::parse(text));
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        size_t which = (t + i) % texts.size();
        if (ParseJson(texts[which]) != want[which]) ++mismatches;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
}

}  // namespace
}  // namespace certforge::kube
