// 10,000 tiny jobs through two workers: proves the socket threads keep up without busy polling
// or sleeps on the hot path. Prints the rate; no timing assertion (the machine is shared).

#include <gtest/gtest.h>

#include <cstdio>

#include "absl/strings/str_cat.h"
#include "tests/unit/bus/bus_test_util.h"

namespace certforge::bus {
namespace {

using namespace certforge::bus::testing;

TEST(BusThroughput, TenThousandTinyJobsThroughTwoWorkers) {
  constexpr int kJobs = 10000;
  BrokerOptions broker_options;
  broker_options.endpoint = "tcp://127.0.0.1:0";
  auto broker = StartBroker(broker_options);
  auto a = StartWorker(FastWorkerOptions(broker->endpoint(), "echo", 4), EchoHandler("a"));
  auto b = StartWorker(FastWorkerOptions(broker->endpoint(), "echo", 4), EchoHandler("b"));
  ResultCollector done;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kJobs; ++i) {
    broker->Submit("echo", "noop", absl::StrCat("job-", i), "x", done.Callback());
  }
  ASSERT_TRUE(done.WaitForCount(kJobs, std::chrono::seconds(120)))
      << done.count() << " of " << kJobs << " done";
  auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  size_t ok = 0, by_a = 0;
  for (const auto& r : done.results()) {
    ok += r.status.ok();
    by_a += r.payload == "a:x";
  }
  EXPECT_EQ(ok, static_cast<size_t>(kJobs));
  EXPECT_GT(by_a, 0u);
  EXPECT_LT(by_a, static_cast<size_t>(kJobs));  // both workers took part
  EXPECT_EQ(broker->PendingJobs("echo"), 0u);
  std::printf("[bus] %d jobs through 2 workers in %.3f s: %.0f jobs/s\n", kJobs, seconds,
              kJobs / seconds);
  RecordProperty("jobs_per_second", static_cast<int>(kJobs / seconds));
}

}  // namespace
}  // namespace certforge::bus
