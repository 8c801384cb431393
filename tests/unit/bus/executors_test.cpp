#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "lib/bus/job_pool.h"
#include "lib/bus/serial_executor.h"
#include "tests/support/wait_for.h"

namespace certforge::bus {
namespace {

using certforge::testing::WaitFor;
using std::chrono::milliseconds;

TEST(SerialExecutor, RunsTasksInOrderOffTheCallerAndInlineAfterStop) {
  SerialExecutor executor;
  std::vector<int> order;
  std::atomic<bool> on_caller{false};
  auto caller = std::this_thread::get_id();
  for (int i = 0; i < 100; ++i) {
    executor.Post([&, i] {
      if (std::this_thread::get_id() == caller) on_caller = true;
      order.push_back(i);
    });
  }
  executor.Post([] { throw std::runtime_error("a bad callback"); });  // logged, not fatal
  executor.Stop();                                                    // runs what was posted first
  ASSERT_EQ(order.size(), 100u);
  for (int i = 0; i < 100; ++i) EXPECT_EQ(order[i], i);
  EXPECT_FALSE(on_caller);
  bool ran = false;
  executor.Post([&] { ran = std::this_thread::get_id() == caller; });
  EXPECT_TRUE(ran);
}

TEST(JobPool, RunsUpToItsSizeAtOnceAndDropsUnstartedTasksOnStop) {
  JobPool pool(3);
  std::atomic<int> running{0}, peak{0}, started{0};
  std::atomic<bool> release{false};
  for (int i = 0; i < 10; ++i) {
    pool.Post([&] {
      ++started;
      int now = ++running;
      int seen = peak;
      while (now > seen && !peak.compare_exchange_weak(seen, now)) {
      }
      while (!release) std::this_thread::sleep_for(milliseconds(5));
      --running;
    });
  }
  ASSERT_TRUE(WaitFor([&] { return running == 3; }));
  std::this_thread::sleep_for(milliseconds(100));
  EXPECT_EQ(peak, 3);
  std::thread stopper([&] { pool.Stop(); });
  std::this_thread::sleep_for(milliseconds(50));
  release = true;  // running tasks finish; the seven queued ones never start
  stopper.join();
  EXPECT_EQ(started, 3);
}

}  // namespace
}  // namespace certforge::bus
