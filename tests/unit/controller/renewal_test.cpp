// RenewalTime and IssuanceBackoff against cert-manager's pkg/util/pki/renewaltime.go (and its
// tests) and the trigger controller's exponential backoff.

#include "services/controller/renewal.h"

#include <gtest/gtest.h>

#include <climits>
#include <optional>
#include <string>
#include <vector>

#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using test::At;

constexpr auto kDay = hours(24);

struct RenewalCase {
  std::string name;
  std::chrono::system_clock::duration lifetime;  // notBefore = 2026-01-01T00:00:00Z
  RenewalSpec spec;
  std::optional<std::string> expected;  // nullopt: no renewal
};

RenewalSpec Before(std::chrono::seconds d) { return {d, std::nullopt, false}; }
RenewalSpec Percent(int p) { return {std::nullopt, p, false}; }

TEST(RenewalTime, Table) {
  const std::vector<RenewalCase> cases = {
      {"default: two thirds of 90 days", 90 * kDay, {}, "2026-03-02T00:00:00Z"},
      {"default follows the actual lifetime, not the requested one",
       30 * kDay,
       {},
       "2026-01-21T00:00:00Z"},
      {"renewBefore", 90 * kDay, Before(10 * kDay), "2026-03-22T00:00:00Z"},
      {"renewBefore of one second", hours(1), Before(seconds(1)), "2026-01-01T00:59:59Z"},
      {"renewBefore equal to the lifetime is ignored", 30 * kDay, Before(30 * kDay),
       "2026-01-21T00:00:00Z"},
      {"renewBefore longer than the lifetime is ignored", 30 * kDay, Before(60 * kDay),
       "2026-01-21T00:00:00Z"},
      {"renewBefore zero is ignored", 30 * kDay, Before(seconds(0)), "2026-01-21T00:00:00Z"},
      {"negative renewBefore is ignored", 30 * kDay, Before(-kDay), "2026-01-21T00:00:00Z"},
      {"renewBeforePercentage", 100 * kDay, Percent(25), "2026-03-17T00:00:00Z"},
      {"renewBeforePercentage 99", 100 * kDay, Percent(99), "2026-01-02T00:00:00Z"},
      {"renewBeforePercentage 1", 100 * kDay, Percent(1), "2026-04-10T00:00:00Z"},
      {"renewBeforePercentage 0 is ignored", 90 * kDay, Percent(0), "2026-03-02T00:00:00Z"},
      {"renewBeforePercentage 100 is ignored", 90 * kDay, Percent(100), "2026-03-02T00:00:00Z"},
      {"negative renewBeforePercentage is ignored", 90 * kDay, Percent(-10),
       "2026-03-02T00:00:00Z"},
      {"renewBefore wins over the percentage",
       90 * kDay,
       {10 * kDay, 50, false},
       "2026-03-22T00:00:00Z"},
      {"percentage when renewBefore is too long",
       90 * kDay,
       {100 * kDay, 50, false},
       "2026-02-15T00:00:00Z"},
      // Sub-second renewal instants are truncated to the second (cert-manager PR #4399):
      // 100 s / 3 = 33.33 s before notAfter is 66.67 s after notBefore, so 66 s.
      {"a third of 100 seconds, truncated", seconds(100), {}, "2026-01-01T00:01:06Z"},
      // Let's Encrypt's 90 days minus one second: a third is 2591999.67 s.
      {"a third of 90 days minus a second, truncated",
       90 * kDay - seconds(1),
       {},
       "2026-03-01T23:59:59Z"},
      {"50% of 101 seconds, truncated", seconds(101), Percent(50), "2026-01-01T00:00:50Z"},
      {"sub-second lifetime, truncated", milliseconds(1000700), {}, "2026-01-01T00:11:07Z"},
      {"disabled", 90 * kDay, {std::nullopt, std::nullopt, true}, std::nullopt},
      {"disabled wins over renewBefore", 90 * kDay, {kDay, std::nullopt, true}, std::nullopt},
  };
  const auto not_before = At("2026-01-01T00:00:00Z");
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto rt = RenewalTime(not_before, not_before + c.lifetime, c.spec);
    if (!c.expected) {
      EXPECT_FALSE(rt.has_value());
      continue;
    }
    ASSERT_TRUE(rt.has_value());
    EXPECT_EQ(core::FormatRfc3339(*rt), *c.expected);
    EXPECT_EQ(*rt, At(*c.expected)) << "not truncated to the second";
  }
}

TEST(RenewalTime, SubSecondNotBeforeIsTruncatedNotRounded) {
  // notAfter 2026-01-01T00:00:10.9Z, renewBefore 1 s: 00:00:09.9 truncates to 00:00:09.
  const auto not_after = At("2026-01-01T00:00:10Z") + milliseconds(900);
  auto rt = RenewalTime(not_after - hours(1), not_after, Before(seconds(1)));
  ASSERT_TRUE(rt.has_value());
  EXPECT_EQ(*rt, At("2026-01-01T00:00:09Z"));
}

TEST(RenewalTime, PercentageOfAVeryLongLifetimeDoesNotOverflow) {
  // 250 years in nanoseconds times 99 overflows int64: cert-manager computes it in float.
  const auto not_before = At("2000-01-01T00:00:00Z");
  const auto lifetime =
      std::chrono::duration_cast<std::chrono::system_clock::duration>(hours(24 * 365 * 250));
  auto rt = RenewalTime(not_before, not_before + lifetime, Percent(99));
  ASSERT_TRUE(rt.has_value());
  auto expected = not_before + lifetime / 100;
  EXPECT_LT(std::chrono::abs(*rt - expected), seconds(2));
}

struct BackoffCase {
  int attempts;
  seconds expected;
};

TEST(IssuanceBackoff, DoublesFromOneHourUpTo32Hours) {
  const std::vector<BackoffCase> cases = {
      {-1, hours(1)},  {0, hours(1)},   {1, hours(1)},   {2, hours(2)},   {3, hours(4)},
      {4, hours(8)},   {5, hours(16)},  {6, hours(32)},  {7, hours(32)},  {8, hours(32)},
      {31, hours(32)}, {32, hours(32)}, {63, hours(32)}, {64, hours(32)}, {INT_MAX, hours(32)},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IssuanceBackoff(c.attempts, hours(1), hours(32)), c.expected)
        << c.attempts << " attempts";
  }
}

TEST(IssuanceBackoff, OtherBounds) {
  EXPECT_EQ(IssuanceBackoff(1, minutes(5), hours(1)), minutes(5));
  EXPECT_EQ(IssuanceBackoff(4, minutes(5), hours(1)), minutes(40));
  EXPECT_EQ(IssuanceBackoff(5, minutes(5), hours(1)), hours(1));
  // A cap that is not a power-of-two multiple of the minimum.
  EXPECT_EQ(IssuanceBackoff(3, hours(1), hours(3)), hours(3));
  // min × 2^(n−1) overflowing int64 seconds is capped, not wrapped.
  const seconds huge(int64_t{1} << 33);
  const seconds longest(LLONG_MAX);
  EXPECT_EQ(IssuanceBackoff(30, huge, longest), seconds(int64_t{1} << 62));
  EXPECT_EQ(IssuanceBackoff(31, huge, longest), longest);
  EXPECT_EQ(IssuanceBackoff(INT_MAX, huge, longest), longest);
  EXPECT_EQ(IssuanceBackoff(40, seconds(1), longest), seconds(int64_t{1} << 39));
  // As cert-manager: never less than the minimum, even with a smaller maximum.
  EXPECT_EQ(IssuanceBackoff(1, hours(2), hours(1)), hours(2));
  EXPECT_EQ(IssuanceBackoff(5, hours(2), hours(1)), hours(2));
  EXPECT_EQ(IssuanceBackoff(3, seconds(0), hours(1)), seconds(0));
}

}  // namespace
}  // namespace certforge::controller
