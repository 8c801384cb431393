#include "lib/core/go_duration.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace certforge::core {
namespace {

using std::chrono::hours;
using std::chrono::microseconds;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::nanoseconds;
using std::chrono::seconds;

struct ParseCase {
  std::string text;
  nanoseconds want;
};

TEST(GoDuration, ParsesWhatTimeParseDurationAccepts) {
  const ParseCase cases[] = {
      {"2160h0m0s", hours(2160)},
      {"90m", minutes(90)},
      {"1h30m", minutes(90)},
      {"0", nanoseconds(0)},
      {"-0", nanoseconds(0)},
      {"+5s", seconds(5)},
      {"-1.5h", -minutes(90)},
      {"1.5s", milliseconds(1500)},
      {".5s", milliseconds(500)},
      {"5.s", seconds(5)},
      {"300ms", milliseconds(300)},
      {"10us", microseconds(10)},
      {"10\xc2\xb5s", microseconds(10)},  // U+00B5 micro sign
      {"10\xce\xbcs", microseconds(10)},  // U+03BC Greek mu
      {"7ns", nanoseconds(7)},
      {"1h1m1s1ms1us1ns",
       hours(1) + minutes(1) + seconds(1) + milliseconds(1) + microseconds(1) + nanoseconds(1)},
      {"1.00000000000000000000001s", seconds(1)},  // digits past precision are ignored
      {"9223372036854775807ns", nanoseconds(INT64_MAX)},
      {"-9223372036854775808ns", nanoseconds(INT64_MIN)},
  };
  for (const ParseCase& c : cases) {
    absl::StatusOr<nanoseconds> got = ParseGoDuration(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status();
    EXPECT_EQ(got->count(), c.want.count()) << c.text;
  }
}

struct ErrorCase {
  std::string text;
  std::string message;
};

TEST(GoDuration, RejectsWithGoMessages) {
  const ErrorCase cases[] = {
      {"", "time: invalid duration \"\""},
      {"-", "time: invalid duration \"-\""},
      {"1", "time: missing unit in duration \"1\""},
      {"1h5", "time: missing unit in duration \"1h5\""},
      {"3d", "time: unknown unit \"d\" in duration \"3d\""},
      {"1 h", "time: unknown unit \" h\" in duration \"1 h\""},
      {".s", "time: invalid duration \".s\""},
      {"h", "time: invalid duration \"h\""},
      {"1.h2", "time: missing unit in duration \"1.h2\""},
      {"9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\""},
      {"3000000h", "time: invalid duration \"3000000h\""},
      {"1\x01s", "time: unknown unit \"\\x01s\" in duration \"1\\x01s\""},
  };
  for (const ErrorCase& c : cases) {
    absl::StatusOr<nanoseconds> got = ParseGoDuration(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.status().message(), c.message) << c.text;
  }
}

struct FormatCase {
  nanoseconds duration;
  std::string want;
};

TEST(GoDuration, FormatsAsDurationString) {
  const FormatCase cases[] = {
      {nanoseconds(0), "0s"},
      {nanoseconds(1), "1ns"},
      {nanoseconds(1100), "1.1\xc2\xb5s"},
      {milliseconds(2200), "2.2s"},
      {milliseconds(1), "1ms"},
      {microseconds(1500), "1.5ms"},
      {seconds(1), "1s"},
      {seconds(90), "1m30s"},
      {minutes(90), "1h30m0s"},
      {hours(2160), "2160h0m0s"},
      {hours(1) + nanoseconds(1), "1h0m0.000000001s"},
      {-minutes(90), "-1h30m0s"},
      {nanoseconds(INT64_MIN), "-2562047h47m16.854775808s"},
      {nanoseconds(INT64_MAX), "2562047h47m16.854775807s"},
  };
  for (const FormatCase& c : cases) {
    EXPECT_EQ(FormatGoDuration(c.duration), c.want) << c.duration.count();
  }
}

TEST(GoDuration, RoundTrips) {
  for (const char* text : {"2160h0m0s", "1h0m0s", "5m0s", "1.5s", "250ms", "-3h2m1.5s"}) {
    absl::StatusOr<nanoseconds> parsed = ParseGoDuration(text);
    ASSERT_TRUE(parsed.ok()) << text;
    EXPECT_EQ(FormatGoDuration(*parsed), text);
  }
}

}  // namespace
}  // namespace certforge::core
