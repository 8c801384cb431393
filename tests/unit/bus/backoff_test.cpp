#include "lib/bus/backoff.h"

#include <gtest/gtest.h>

#include <vector>

namespace certforge::bus {
namespace {

TEST(Backoff, DoublesUpToTheCapAndResets) {
  using std::chrono::milliseconds;
  Backoff backoff(milliseconds(100), milliseconds(500));
  std::vector<long> delays;
  for (int i = 0; i < 5; ++i) delays.push_back(backoff.Next().count());
  EXPECT_EQ(delays, (std::vector<long>{100, 200, 400, 500, 500}));
  backoff.Reset();
  EXPECT_EQ(backoff.Next().count(), 100);
}

TEST(Backoff, ZeroMinimumStillWaits) {
  Backoff backoff(std::chrono::milliseconds(0), std::chrono::milliseconds(0));
  EXPECT_GT(backoff.Next().count(), 0);
}

}  // namespace
}  // namespace certforge::bus
