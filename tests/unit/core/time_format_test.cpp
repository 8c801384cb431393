#include "lib/core/time_format.h"

#include <gtest/gtest.h>

namespace certforge::core {
namespace {

using std::chrono::seconds;

TEST(TimeFormat, FormatsUtcSeconds) {
  auto t = std::chrono::system_clock::from_time_t(1795809511);
  EXPECT_EQ(FormatRfc3339(t), "2026-11-27T19:58:31Z");
  EXPECT_EQ(FormatRfc3339Micro(t + std::chrono::microseconds(42)), "2026-11-27T19:58:31.000042Z");
}

TEST(TimeFormat, ParsesZuluOffsetsAndFractions) {
  auto z = ParseRfc3339("2026-11-27T19:58:31Z");
  ASSERT_TRUE(z.ok());
  EXPECT_EQ(std::chrono::system_clock::to_time_t(*z), 1795809511);
  auto offset = ParseRfc3339("2026-11-27T20:58:31+01:00");
  ASSERT_TRUE(offset.ok());
  EXPECT_EQ(*offset, *z);
  auto frac = ParseRfc3339("2026-11-27T19:58:31.5Z");
  ASSERT_TRUE(frac.ok());
  EXPECT_EQ(*frac - *z, std::chrono::milliseconds(500));
}

TEST(TimeFormat, RejectsGarbage) {
  EXPECT_FALSE(ParseRfc3339("yesterday").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-27T19:58:31").ok());
  EXPECT_FALSE(ParseRfc3339("2026-11-27T19:58:31Zjunk").ok());
}

TEST(TimeFormat, HumanDurationMatchesKubectl) {
  EXPECT_EQ(HumanDuration(seconds(36)), "36s");
  EXPECT_EQ(HumanDuration(seconds(119)), "119s");
  EXPECT_EQ(HumanDuration(seconds(310)), "5m10s");
  EXPECT_EQ(HumanDuration(seconds(600)), "10m");
  EXPECT_EQ(HumanDuration(seconds(3 * 3600)), "3h");
  EXPECT_EQ(HumanDuration(seconds(3 * 3600 + 600)), "3h10m");
  EXPECT_EQ(HumanDuration(seconds(2 * 86400)), "2d");
  EXPECT_EQ(HumanDuration(seconds(3 * 86400 + 3600)), "3d1h");
  EXPECT_EQ(HumanDuration(seconds(400 * 86400)), "400d");
  EXPECT_EQ(HumanDuration(seconds(-5)), "<invalid>");
}

}  // namespace
}  // namespace certforge::core
