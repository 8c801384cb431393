#include "lib/core/work_queue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace certforge::core {
namespace {

using namespace std::chrono_literals;

// Keys handed to workers, in the order they were recorded.
class Received {
 public:
  void Record(const std::string& key) {
    std::lock_guard lock(mu_);
    keys_.push_back(key);
  }
  // Waits up to five seconds for `n` keys.
  void WaitFor(size_t n) {
    for (int i = 0; i < 500 && Count() < n; ++i) std::this_thread::sleep_for(10ms);
  }
  // Workers may record in either order.
  std::vector<std::string> Sorted() {
    std::lock_guard lock(mu_);
    std::vector<std::string> keys = keys_;
    std::sort(keys.begin(), keys.end());
    return keys;
  }

 private:
  size_t Count() {
    std::lock_guard lock(mu_);
    return keys_.size();
  }
  std::mutex mu_;
  std::vector<std::string> keys_;
};

TEST(WorkQueue, AddingTwiceQueuesOnce) {
  WorkQueue q;
  q.Add("a");
  q.Add("a");
  q.Add("b");
  EXPECT_EQ(q.Length(), 2u);
  EXPECT_EQ(q.Get()->key, "a");
  EXPECT_EQ(q.Get()->key, "b");
}

TEST(WorkQueue, KeyAddedWhileProcessingComesBackAfterDone) {
  WorkQueue q;
  q.Add("a");
  auto item = q.Get();
  q.Add("a");  // a second worker must not get it while the first holds it
  EXPECT_EQ(q.Length(), 0u);
  q.Done(item->key);
  EXPECT_EQ(q.Length(), 1u);
  EXPECT_EQ(q.Get()->key, "a");
}

TEST(WorkQueue, DelayedAddWaitsAndKeepsTheEarliestTime) {
  WorkQueue q;
  auto start = WorkQueue::Clock::now();
  q.AddAfter("a", 10s);
  q.AddAfter("a", 30ms);  // earlier: replaces
  q.AddAfter("a", 20s);   // later: ignored
  EXPECT_EQ(q.Length(), 0u);
  EXPECT_EQ(q.Get()->key, "a");
  auto waited = WorkQueue::Clock::now() - start;
  EXPECT_GE(waited, 30ms);
  EXPECT_LT(waited, 10s);
}

TEST(WorkQueue, RateLimitedBacksOffExponentiallyUntilForgotten) {
  WorkQueue q({std::chrono::milliseconds(1), std::chrono::milliseconds(8)});
  for (int i = 0; i < 6; ++i) {
    q.AddRateLimited("a");
    EXPECT_EQ(q.Get()->key, "a");
    q.Done("a");
  }
  EXPECT_EQ(q.Failures("a"), 6);
  q.Forget("a");
  EXPECT_EQ(q.Failures("a"), 0);
}

TEST(WorkQueue, ShutDownReleasesWaitingWorkers) {
  WorkQueue q;
  std::atomic<bool> released{false};
  std::thread worker([&] {
    EXPECT_FALSE(q.Get().has_value());
    released = true;
  });
  std::this_thread::sleep_for(20ms);
  q.ShutDown();
  worker.join();
  EXPECT_TRUE(released);
}

// Workers asleep until a later due time (or with none) must still pick up an earlier one.
TEST(WorkQueue, AnEarlierDelayedKeyReachesWaitingWorkers) {
  WorkQueue q;
  Received received;
  std::vector<std::thread> workers;
  for (int w = 0; w < 3; ++w) {
    workers.emplace_back([&] {
      while (auto item = q.Get()) received.Record(item->key);
    });
  }
  std::this_thread::sleep_for(20ms);  // all three waiting without a due time
  q.AddAfter("late", 1h);
  std::this_thread::sleep_for(20ms);  // and now until "late"
  q.AddAfter("soon", 30ms);
  q.AddAfter("sooner", 10ms);
  received.WaitFor(2);
  q.ShutDown();
  for (auto& w : workers) w.join();
  // Each must have arrived, and "late" not.
  EXPECT_EQ(received.Sorted(), (std::vector<std::string>{"soon", "sooner"}));
}

TEST(WorkQueue, KeysComingDueTogetherReachSeveralWorkers) {
  // One worker is woken for the earliest due time; it must wake another for the second key,
  // since it holds the first (never Done here) and the others sleep without a due time.
  WorkQueue q;
  Received received;
  std::vector<std::thread> workers;
  for (int w = 0; w < 2; ++w) {
    workers.emplace_back([&] {
      if (auto item = q.Get()) received.Record(item->key);
    });
  }
  std::this_thread::sleep_for(20ms);  // both waiting without a due time
  q.AddAfter("first", 10ms);
  q.AddAfter("second", 11ms);
  received.WaitFor(2);
  q.ShutDown();
  for (auto& w : workers) w.join();
  EXPECT_EQ(received.Sorted(), (std::vector<std::string>{"first", "second"}));
}

TEST(WorkQueue, ManyWorkersNeverShareAKey) {
  WorkQueue q;
  std::atomic<int> in_flight_a{0}, max_in_flight_a{0}, processed{0};
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&] {
      while (auto item = q.Get()) {
        if (item->key == "a") {
          int now = ++in_flight_a;
          max_in_flight_a = std::max(max_in_flight_a.load(), now);
          std::this_thread::sleep_for(1ms);
          --in_flight_a;
        }
        ++processed;
        q.Done(item->key);
      }
    });
  }
  for (int i = 0; i < 200; ++i) {
    q.Add("a");
    q.Add("k" + std::to_string(i % 10));
    std::this_thread::sleep_for(100us);
  }
  std::this_thread::sleep_for(50ms);
  q.ShutDown();
  for (auto& w : workers) w.join();
  EXPECT_EQ(max_in_flight_a.load(), 1);
  EXPECT_GT(processed.load(), 10);
}

TEST(WorkQueue, TagsOfOneKeyMergeIntoOneItem) {
  WorkQueue q;
  q.Add("a", 0b001);
  q.Add("a", 0b100);
  q.Add("b", 0b010);
  EXPECT_EQ(q.Length(), 2u);
  auto a = q.Get();
  EXPECT_EQ(a->key, "a");
  EXPECT_EQ(a->tags, 0b101u);
  // Added while being processed: comes back after Done with only the new tag.
  q.Add("a", 0b010);
  EXPECT_EQ(q.Get()->key, "b");
  q.Done("a");
  auto again = q.Get();
  EXPECT_EQ(again->key, "a");
  EXPECT_EQ(again->tags, 0b010u);
}

TEST(WorkQueue, DelaysAreKeptPerTag) {
  WorkQueue q;
  q.AddAfter("a", 1h, 0b01);    // one handler looks again much later
  q.AddAfter("a", 20ms, 0b10);  // another soon: the later time must not swallow it
  auto item = q.Get();
  EXPECT_EQ(item->key, "a");
  EXPECT_EQ(item->tags, 0b10u);
}

TEST(WorkQueue, BackoffIsKeptPerTag) {
  WorkQueue q({std::chrono::milliseconds(1), std::chrono::milliseconds(8)});
  for (int i = 0; i < 3; ++i) {
    q.AddRateLimited("a", 0b01);
    EXPECT_EQ(q.Get()->tags, 0b01u);
    q.Done("a");
  }
  EXPECT_EQ(q.Failures("a", 0b01), 3);
  EXPECT_EQ(q.Failures("a", 0b10), 0);
  q.Forget("a", 0b10);  // another handler's success resets only its own
  EXPECT_EQ(q.Failures("a", 0b01), 3);
  q.Forget("a", 0b01);
  EXPECT_EQ(q.Failures("a", 0b01), 0);
}

}  // namespace
}  // namespace certforge::core
