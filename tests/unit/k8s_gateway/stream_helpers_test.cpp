#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "services/k8s-gateway/backoff.h"
#include "services/k8s-gateway/line_splitter.h"
#include "services/k8s-gateway/throttled_check.h"
#include "tests/support/temp_dir.h"

namespace certforge::k8sgw {
namespace {

using std::chrono::milliseconds;

TEST(LineSplitterTest, SplitsAcrossChunks) {
  LineSplitter splitter;
  std::vector<std::string> lines;
  auto collect = [&](std::string_view line) {
    lines.emplace_back(line);
    return true;
  };
  EXPECT_TRUE(splitter.Feed("{\"a\":1}\n{\"b\"", collect));
  EXPECT_TRUE(splitter.Feed(":2}\r\n\n  \n{\"c\":3}", collect));
  EXPECT_EQ(lines, (std::vector<std::string>{"{\"a\":1}", "{\"b\":2}"}));
  EXPECT_EQ(splitter.pending(), "{\"c\":3}");
  EXPECT_TRUE(splitter.Feed("\n", collect));
  EXPECT_EQ(lines.back(), "{\"c\":3}");
  EXPECT_TRUE(splitter.pending().empty());
}

TEST(LineSplitterTest, StopsWhenTheCallbackSaysSo) {
  LineSplitter splitter;
  int calls = 0;
  EXPECT_FALSE(splitter.Feed("1\n2\n3\n", [&](std::string_view) { return ++calls < 2; }));
  EXPECT_EQ(calls, 2);
}

// A check that counts how often it is asked and answers `gone`.
struct CountedCheck {
  int asked = 0;
  bool gone = false;
  ThrottledCheck Throttled(std::chrono::milliseconds interval) {
    return ThrottledCheck(
        [this] {
          ++asked;
          return gone;
        },
        interval);
  }
};

TEST(ThrottledCheckTest, AsksOncePerIntervalAndKeepsTheLastAnswer) {
  CountedCheck counted;
  ThrottledCheck check = counted.Throttled(std::chrono::hours(1));
  EXPECT_FALSE(check());  // the first call always asks
  counted.gone = true;
  EXPECT_FALSE(check());  // within the interval: the last answer
  EXPECT_EQ(counted.asked, 1);
}

TEST(ThrottledCheckTest, AYesIsFinal) {
  CountedCheck counted;
  ThrottledCheck check = counted.Throttled(milliseconds(0));
  EXPECT_FALSE(check());
  counted.gone = true;
  EXPECT_TRUE(check());
  counted.gone = false;
  EXPECT_TRUE(check());
  EXPECT_EQ(counted.asked, 2);
}

TEST(BackoffTest, DoublesFrom100msTo5s) {
  Backoff backoff;
  std::vector<long> delays;
  for (int i = 0; i < 9; ++i) delays.push_back(backoff.Next().count());
  EXPECT_EQ(delays, (std::vector<long>{100, 200, 400, 800, 1600, 3200, 5000, 5000, 5000}));
  backoff.Reset();
  EXPECT_EQ(backoff.Next(), milliseconds(100));
}

}  // namespace
}  // namespace certforge::k8sgw
