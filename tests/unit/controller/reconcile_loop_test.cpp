// A loop of several reconcilers over one queue: each runs only when woken for a key, in order,
// never two at once for the same key, and each keeps its own retries.

#include "services/controller/reconcile_loop.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/wait_for.h"

namespace certforge::controller {
namespace {

using namespace std::chrono_literals;

// Every call of every reconciler, in order, shared by the test's reconcilers.
struct Calls {
  std::mutex mu;
  std::vector<std::string> log;  // "name:key"
  std::atomic<int> running_for_a{0};
  std::atomic<int> max_running_for_a{0};

  void Add(const std::string& entry) {
    std::lock_guard lock(mu);
    log.push_back(entry);
  }
  std::vector<std::string> Log() {
    std::lock_guard lock(mu);
    return log;
  }
  int Count(const std::string& entry) {
    std::lock_guard lock(mu);
    return static_cast<int>(std::count(log.begin(), log.end(), entry));
  }
};

class RecordingReconciler : public Reconciler {
 public:
  RecordingReconciler(const char* name, Calls& calls, int failures = 0)
      : name_(name), calls_(calls), failures_left_(failures) {}
  const char* name() const override { return name_; }
  ReconcileResult Reconcile(const std::string& key) override {
    if (key == "a") {
      int now = ++calls_.running_for_a;
      calls_.max_running_for_a = std::max(calls_.max_running_for_a.load(), now);
      std::this_thread::sleep_for(1ms);
      --calls_.running_for_a;
    }
    calls_.Add(std::string(name_) + ":" + key);
    if (failures_left_ > 0) {
      --failures_left_;
      return ReconcileResult::Error(absl::UnavailableError("not yet"));
    }
    return ReconcileResult::Done();
  }

 private:
  const char* name_;
  Calls& calls_;
  std::atomic<int> failures_left_;
};

// Waits up to five seconds for `done`.
bool Eventually(const std::function<bool()>& done) { return testing::WaitFor(done, 5s, 10ms); }

std::vector<std::unique_ptr<Reconciler>> Three(Calls& calls, int second_fails = 0) {
  std::vector<std::unique_ptr<Reconciler>> all;
  all.push_back(std::make_unique<RecordingReconciler>("first", calls));
  all.push_back(std::make_unique<RecordingReconciler>("second", calls, second_fails));
  all.push_back(std::make_unique<RecordingReconciler>("third", calls));
  return all;
}

TEST(ReconcileLoop, RunsTheWokenReconcilersInOrder) {
  Calls calls;
  ReconcileLoop loop(Three(calls), 1);
  loop.Enqueue("k", 0b101);  // first and third
  loop.Start();
  ASSERT_TRUE(Eventually([&] { return calls.Log().size() == 2; }));
  loop.Enqueue("k");  // all of them
  ASSERT_TRUE(Eventually([&] { return calls.Log().size() == 5; }));
  loop.Stop();
  EXPECT_EQ(calls.Log(),
            (std::vector<std::string>{"first:k", "third:k", "first:k", "second:k", "third:k"}));
  EXPECT_EQ(loop.sync_calls(0), 2u);
  EXPECT_EQ(loop.sync_calls(1), 1u);
  EXPECT_STREQ(loop.name(1), "second");
}

TEST(ReconcileLoop, AFailureRetriesOnlyTheReconcilerThatFailed) {
  Calls calls;
  ReconcileLoop loop(Three(calls, /*second_fails=*/1), 1);
  loop.Start();
  loop.Enqueue("k");
  // The retry comes after the loop's first backoff step (1s).
  ASSERT_TRUE(Eventually([&] { return calls.Count("second:k") == 2; }));
  std::this_thread::sleep_for(50ms);
  loop.Stop();
  EXPECT_EQ(calls.Count("first:k"), 1);
  EXPECT_EQ(calls.Count("third:k"), 1);
  EXPECT_EQ(loop.sync_errors(1), 1u);
  EXPECT_EQ(loop.sync_errors(0), 0u);
}

TEST(ReconcileLoop, NoTwoReconcilersRunForOneKeyAtOnce) {
  Calls calls;
  ReconcileLoop loop(Three(calls), 4);
  loop.Start();
  for (int i = 0; i < 100; ++i) {
    loop.Enqueue("a", ReconcileLoop::Reconcilers{1} << (i % 3));
    loop.Enqueue("k" + std::to_string(i % 7));
    std::this_thread::sleep_for(100us);
  }
  ASSERT_TRUE(Eventually([&] { return calls.Count("third:k6") >= 1; }));
  std::this_thread::sleep_for(50ms);
  loop.Stop();
  EXPECT_EQ(calls.max_running_for_a.load(), 1);
  EXPECT_GE(calls.Count("first:a"), 1);
  EXPECT_GE(calls.Count("second:a"), 1);
}

TEST(ReconcileLoop, RefusesNoReconcilersOrMoreThanItCanTell) {
  EXPECT_THROW(ReconcileLoop({}, 1), std::invalid_argument);
  Calls calls;
  std::vector<std::unique_ptr<Reconciler>> many;
  for (int i = 0; i < 33; ++i) many.push_back(std::make_unique<RecordingReconciler>("r", calls));
  EXPECT_THROW(ReconcileLoop(std::move(many), 1), std::invalid_argument);
}

}  // namespace
}  // namespace certforge::controller
