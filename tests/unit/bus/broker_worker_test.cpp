// Broker and workers in one process over tcp://127.0.0.1: dispatch, capacity, ids, errors, stop.

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <stdexcept>
#include <thread>

#include "absl/strings/str_cat.h"
#include "tests/support/wait_for.h"
#include "tests/unit/bus/bus_test_util.h"

namespace certforge::bus {
namespace {

using certforge::testing::WaitFor;
using namespace certforge::bus::testing;
using std::chrono::milliseconds;

TEST(BrokerWorker, RunsJobsAndCarriesPayloadsAndErrors) {
  auto broker = StartBroker(FastBrokerOptions());
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "signer"),
                            [](const std::string& type, const std::string&,
                               const std::string& payload) -> absl::StatusOr<std::string> {
                              if (type == "fail")
                                return absl::FailedPreconditionError("issuer not ready");
                              if (type == "throw") throw std::runtime_error("handler bug");
                              return "signed:" + payload;
                            });
  ASSERT_TRUE(WaitFor([&] { return worker->connected(); }));
  EXPECT_EQ(broker->WorkerCount("signer"), 1u);
  EXPECT_EQ(broker->WorkerCount("acme-worker"), 0u);

  struct Case {
    std::string type;
    absl::StatusCode code;
    std::string payload_or_message;
  };
  std::vector<Case> cases = {
      {"sign", absl::StatusCode::kOk, "signed:csr"},
      {"fail", absl::StatusCode::kFailedPrecondition, "issuer not ready"},
      {"throw", absl::StatusCode::kInternal, "job handler threw: handler bug"},
      {"sign", absl::StatusCode::kOk, "signed:csr"},  // the worker survived the throw
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    ResultCollector done;
    broker->Submit("signer", cases[i].type, absl::StrCat("job-", i), "csr", done.Callback());
    ASSERT_TRUE(done.WaitForCount(1)) << cases[i].type;
    auto result = done.results()[0];
    EXPECT_EQ(result.job_id, absl::StrCat("job-", i));
    EXPECT_EQ(result.status.code(), cases[i].code) << result.status;
    EXPECT_EQ(result.status.ok() ? result.payload : std::string(result.status.message()),
              cases[i].payload_or_message);
  }
  EXPECT_EQ(broker->PendingJobs("signer"), 0u);
}

TEST(BrokerWorker, JobsWaitUntilAWorkerOfTheirServiceConnects) {
  auto broker = StartBroker(FastBrokerOptions());
  ResultCollector done;
  broker->Submit("dns-solver", "present", "a", "1", done.Callback());
  broker->Submit("dns-solver", "present", "b", "2", done.Callback());
  EXPECT_EQ(broker->PendingJobs("dns-solver"), 2u);
  auto wrong = StartWorker(FastWorkerOptions(broker->endpoint(), "http-solver"), EchoHandler());
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("http-solver") == 1; }));
  EXPECT_FALSE(done.WaitForCount(1, milliseconds(300)));
  auto right = StartWorker(FastWorkerOptions(broker->endpoint(), "dns-solver"), EchoHandler("dns"));
  ASSERT_TRUE(done.WaitForCount(2));
  auto results = done.results();
  std::map<std::string, std::string> by_id;
  for (const auto& r : results) by_id[r.job_id] = r.payload;
  EXPECT_EQ(by_id["a"], "dns:1");
  EXPECT_EQ(by_id["b"], "dns:2");
}

TEST(BrokerWorker, SpreadsByFreeCapacityAndNeverExceedsIt) {
  auto broker = StartBroker(FastBrokerOptions());
  std::mutex mu;
  std::map<std::string, int> running, peak, total;
  Gate gate;
  auto handler_for = [&](const std::string& name) -> JobHandler {
    return [&, name](const std::string&, const std::string&,
                     const std::string&) -> absl::StatusOr<std::string> {
      {
        std::lock_guard lock(mu);
        peak[name] = std::max(peak[name], ++running[name]);
        ++total[name];
      }
      gate.Wait();
      std::lock_guard lock(mu);
      --running[name];
      return name;
    };
  };
  auto a = StartWorker(FastWorkerOptions(broker->endpoint(), "signer", 2), handler_for("a"));
  auto b = StartWorker(FastWorkerOptions(broker->endpoint(), "signer", 3), handler_for("b"));
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("signer") == 2; }));
  ResultCollector done;
  for (int i = 0; i < 12; ++i) {
    broker->Submit("signer", "sign", absl::StrCat("j", i), "", done.Callback());
  }
  // Five slots in all: both workers fill up, the other seven wait at the broker.
  ASSERT_TRUE(WaitFor([&] {
    std::lock_guard lock(mu);
    return running["a"] == 2 && running["b"] == 3;
  }));
  std::this_thread::sleep_for(milliseconds(200));  // nothing more may arrive meanwhile
  {
    std::lock_guard lock(mu);
    EXPECT_EQ(total["a"] + total["b"], 5);
  }
  EXPECT_EQ(broker->PendingJobs("signer"), 12u);
  gate.Open();
  ASSERT_TRUE(done.WaitForCount(12));
  std::lock_guard lock(mu);
  EXPECT_LE(peak["a"], 2);
  EXPECT_LE(peak["b"], 3);
  EXPECT_EQ(total["a"] + total["b"], 12);
}

TEST(BrokerWorker, SameIdIsRunOnceAndEveryCallerIsTold) {
  auto broker = StartBroker(FastBrokerOptions());
  std::atomic<int> runs{0};
  Gate gate;
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "signer"),
                            [&](const std::string&, const std::string&,
                                const std::string& payload) -> absl::StatusOr<std::string> {
                              ++runs;
                              gate.Wait();
                              return payload;
                            });
  ResultCollector done;
  broker->Submit("signer", "keygen", "uid/1/keygen", "first", done.Callback());
  ASSERT_TRUE(WaitFor([&] { return runs == 1; }));
  broker->Submit("signer", "keygen", "uid/1/keygen", "second", done.Callback());
  EXPECT_EQ(broker->PendingJobs("signer"), 1u);
  gate.Open();
  ASSERT_TRUE(done.WaitForCount(2));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(runs, 1);
  EXPECT_EQ(done.count(), 2u);
  for (const auto& r : done.results()) EXPECT_EQ(r.payload, "first");
}

TEST(BrokerWorker, CancelTellsCallersOnceAndIgnoresTheLateResult) {
  auto broker = StartBroker(FastBrokerOptions());
  Gate gate;
  std::atomic<int> runs{0};
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "acme-worker", 1),
                            [&](const std::string&, const std::string&,
                                const std::string&) -> absl::StatusOr<std::string> {
                              ++runs;
                              gate.Wait();
                              return "late";
                            });
  ResultCollector done;
  broker->Submit("acme-worker", "finalize", "order-1", "", done.Callback());
  ASSERT_TRUE(WaitFor([&] { return runs == 1; }));
  broker->Cancel("order-1");
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_EQ(done.results()[0].status.code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(broker->PendingJobs("acme-worker"), 0u);
  gate.Open();
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(done.count(), 1u);
}

TEST(BrokerWorker, WorkerStopSaysDisconnectSoTheBrokerForgetsItAtOnce) {
  auto options = FastBrokerOptions();
  options.heartbeat_interval = std::chrono::seconds(5);  // expiry alone would take 15 s
  auto broker = StartBroker(options);
  auto worker_options = FastWorkerOptions(broker->endpoint(), "signer");
  auto worker = StartWorker(worker_options, EchoHandler());
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("signer") == 1; }));
  auto stopped_at = std::chrono::steady_clock::now();
  worker->Stop();
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("signer") == 0; }, std::chrono::seconds(3)));
  EXPECT_LT(std::chrono::steady_clock::now() - stopped_at, std::chrono::seconds(3));
  EXPECT_FALSE(worker->connected());
}

TEST(BrokerWorker, BrokerStopFailsWaitingJobsWithUnavailable) {
  auto broker = StartBroker(FastBrokerOptions());
  ResultCollector done;
  broker->Submit("signer", "sign", "waiting", "", done.Callback());
  broker->Stop();
  ASSERT_EQ(done.count(), 1u);  // Stop returns after every callback ran
  EXPECT_EQ(done.results()[0].status.code(), absl::StatusCode::kUnavailable);
  broker->Submit("signer", "sign", "after-stop", "", done.Callback());
  ASSERT_EQ(done.count(), 2u);
  EXPECT_EQ(done.results()[1].status.code(), absl::StatusCode::kUnavailable);
}

TEST(BrokerWorker, CallbacksRunOnTheCallbackThreadAndMaySubmitMore) {
  auto broker = StartBroker(FastBrokerOptions());
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "signer"), EchoHandler());
  ResultCollector done;
  auto caller = std::this_thread::get_id();
  std::atomic<bool> on_caller{false};
  broker->Submit("signer", "sign", "first", "1", [&](const JobResult& r) {
    on_caller = std::this_thread::get_id() == caller;
    broker->Submit("signer", "sign", "second", r.payload, done.Callback());
  });
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_FALSE(on_caller);
  EXPECT_EQ(done.results()[0].payload, "echo:echo:1");
}

TEST(BrokerWorker, SlowCallbackNeverStallsTheSocketThread) {
  auto broker = StartBroker(FastBrokerOptions());
  std::atomic<int> runs{0};
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "signer"),
                            [&](const std::string&, const std::string&,
                                const std::string&) -> absl::StatusOr<std::string> {
                              ++runs;
                              return "";
                            });
  Gate gate;
  std::atomic<bool> in_callback{false};
  broker->Submit("signer", "sign", "first", "", [&](const JobResult&) {
    in_callback = true;
    gate.Wait();
  });
  ASSERT_TRUE(WaitFor([&] { return in_callback.load(); }));
  // Several liveness windows (300 ms) pass while the callback blocks; heartbeats and jobs go on.
  broker->Submit("signer", "sign", "second", "", nullptr);
  auto until = std::chrono::steady_clock::now() + milliseconds(800);
  while (std::chrono::steady_clock::now() < until) {
    ASSERT_TRUE(worker->connected());
    ASSERT_EQ(broker->WorkerCount("signer"), 1u);
    std::this_thread::sleep_for(milliseconds(50));
  }
  EXPECT_EQ(runs, 2);
  gate.Open();
}

TEST(BrokerWorker, StartRejectsBadOptions) {
  auto options = FastBrokerOptions();
  options.endpoint = "not-an-endpoint";
  EXPECT_FALSE(Broker::Start(options).ok());
  EXPECT_FALSE(Worker::Start(FastWorkerOptions("", "signer"), EchoHandler()).ok());
  EXPECT_FALSE(Worker::Start(FastWorkerOptions("tcp://127.0.0.1:1", ""), EchoHandler()).ok());
  EXPECT_FALSE(Worker::Start(FastWorkerOptions("tcp://127.0.0.1:1", "s", 0), EchoHandler()).ok());
  EXPECT_FALSE(Worker::Start(FastWorkerOptions("bogus://x", "s"), EchoHandler()).ok());
  auto curve = FastWorkerOptions("tcp://127.0.0.1:1", "s");
  curve.curve = CurveKeyPair{"short", "short"};
  curve.broker_public_key = "short";
  EXPECT_FALSE(Worker::Start(curve, EchoHandler()).ok());
}

}  // namespace
}  // namespace certforge::bus
