#include "lib/bus/broker_state.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"

namespace certforge::bus {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kInterval{100};
constexpr milliseconds kJobTimeout{5000};

// Drives a BrokerState with a fake clock and records what it would send and complete.
class BrokerStateTest : public ::testing::Test {
 protected:
  BrokerStateTest() : state_(BrokerTimings{kInterval, 3, kJobTimeout}) {}

  void Take(BrokerActions actions) {
    for (auto& frame : actions.frames) sent_.push_back(std::move(frame));
    for (auto& completion : actions.completions) {
      for (auto& callback : completion.callbacks) callback(completion.result);
    }
  }
  void Ready(const std::string& worker, const std::string& service, uint32_t capacity) {
    Envelope envelope;
    envelope.set_kind(Envelope::READY);
    envelope.set_service(service);
    envelope.set_capacity(capacity);
    Take(state_.OnEnvelope(worker, envelope, now_));
  }
  void Heartbeat(const std::string& worker) {
    Envelope envelope;
    envelope.set_kind(Envelope::HEARTBEAT);
    Take(state_.OnEnvelope(worker, envelope, now_));
  }
  void Result(const std::string& worker, const std::string& job_id, const std::string& payload,
              absl::Status status = absl::OkStatus()) {
    Envelope envelope;
    envelope.set_kind(Envelope::RESULT);
    envelope.set_job_id(job_id);
    envelope.set_payload(payload);
    SetResultStatus(envelope, status);
    Take(state_.OnEnvelope(worker, envelope, now_));
  }
  void Submit(const std::string& service, const std::string& job_id) {
    Take(state_.Submit(
        service, "echo", job_id, "payload-" + job_id,
        [this](const JobResult& r) { done_.push_back(r); }, now_));
  }
  void Tick(milliseconds advance) {
    now_ += advance;
    Take(state_.OnTick(now_));
  }
  // Job ids sent to `worker` so far, in order.
  std::vector<std::string> JobsSentTo(const std::string& worker) const {
    std::vector<std::string> ids;
    for (const auto& frame : sent_) {
      if (frame.worker == worker && frame.envelope.kind() == Envelope::JOB) {
        ids.push_back(frame.envelope.job_id());
      }
    }
    return ids;
  }
  int FramesOfKind(const std::string& worker, Envelope::Kind kind) const {
    int n = 0;
    for (const auto& frame : sent_) n += frame.worker == worker && frame.envelope.kind() == kind;
    return n;
  }

  BusClock::time_point now_ = BusClock::time_point() + std::chrono::hours(1);
  BrokerState state_;
  std::vector<OutgoingFrame> sent_;
  std::vector<JobResult> done_;
};

TEST_F(BrokerStateTest, ReadyWorkerGetsAnImmediateHeartbeatAndJobs) {
  Ready("w1", "signer", 2);
  EXPECT_EQ(FramesOfKind("w1", Envelope::HEARTBEAT), 1);
  Submit("signer", "j1");
  ASSERT_EQ(JobsSentTo("w1"), std::vector<std::string>{"j1"});
  const auto& job = sent_.back().envelope;
  EXPECT_EQ(job.job_type(), "echo");
  EXPECT_EQ(job.payload(), "payload-j1");
  EXPECT_EQ(job.service(), "signer");
  EXPECT_EQ(state_.PendingJobs("signer"), 1u);
  Result("w1", "j1", "out");
  ASSERT_EQ(done_.size(), 1u);
  EXPECT_TRUE(done_[0].status.ok());
  EXPECT_EQ(done_[0].payload, "out");
  EXPECT_EQ(state_.PendingJobs("signer"), 0u);
}

TEST_F(BrokerStateTest, JobsWaitInFifoUntilAWorkerOfTheServiceComes) {
  Submit("signer", "j1");
  Submit("signer", "j2");
  Submit("signer", "j3");
  Ready("other", "acme-worker", 4);
  EXPECT_TRUE(JobsSentTo("other").empty());
  EXPECT_EQ(state_.PendingJobs("signer"), 3u);
  Ready("w1", "signer", 2);
  EXPECT_EQ(JobsSentTo("w1"), (std::vector<std::string>{"j1", "j2"}));
  Result("w1", "j1", "");
  EXPECT_EQ(JobsSentTo("w1"), (std::vector<std::string>{"j1", "j2", "j3"}));
}

TEST_F(BrokerStateTest, DispatchesToTheWorkerWithMostFreeCapacityAndNeverBeyondIt) {
  Ready("small", "signer", 1);
  Ready("large", "signer", 3);
  for (int i = 0; i < 6; ++i) Submit("signer", absl::StrCat("j", i));
  // Free 3/1 → large, 2/1 → large, 1/1 (tie: first in order) → large, then 0/1 → small.
  EXPECT_EQ(JobsSentTo("large").size(), 3u);
  EXPECT_EQ(JobsSentTo("small").size(), 1u);
  EXPECT_EQ(state_.RunningOn("large"), 3u);
  EXPECT_EQ(state_.RunningOn("small"), 1u);
  EXPECT_EQ(state_.PendingJobs("signer"), 6u);
  EXPECT_EQ(JobsSentTo("large").front(), "j0");
  Result("small", JobsSentTo("small").front(), "");
  EXPECT_EQ(JobsSentTo("small").size(), 2u);
  EXPECT_EQ(JobsSentTo("small").back(), "j4");  // the oldest waiting job
}

TEST_F(BrokerStateTest, SameIdJoinsThePendingJobAndEveryCallerIsToldOnce) {
  Ready("w1", "signer", 4);
  Submit("signer", "j1");
  Submit("signer", "j1");  // running: joins
  Submit("signer", "j2");
  EXPECT_EQ(JobsSentTo("w1"), (std::vector<std::string>{"j1", "j2"}));
  Result("w1", "j1", "a");
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_EQ(done_[0].job_id, "j1");
  EXPECT_EQ(done_[1].job_id, "j1");
  Result("w1", "j1", "again");  // a duplicate result: nobody is told twice
  EXPECT_EQ(done_.size(), 2u);
}

TEST_F(BrokerStateTest, QueuedIdIsNotQueuedTwice) {
  Submit("signer", "j1");
  Submit("signer", "j1");
  EXPECT_EQ(state_.PendingJobs("signer"), 1u);
  Ready("w1", "signer", 4);
  EXPECT_EQ(JobsSentTo("w1"), std::vector<std::string>{"j1"});
}

TEST_F(BrokerStateTest, ErrorResultKeepsItsCode) {
  Ready("w1", "signer", 1);
  Submit("signer", "j1");
  Result("w1", "j1", "ignored", absl::PermissionDeniedError("no access"));
  ASSERT_EQ(done_.size(), 1u);
  EXPECT_EQ(done_[0].status.code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(done_[0].status.message(), "no access");
  EXPECT_EQ(done_[0].payload, "");
}

TEST_F(BrokerStateTest, SilentWorkerIsDroppedAndItsJobsGoToAnother) {
  Ready("w1", "signer", 2);
  Submit("signer", "j1");
  Submit("signer", "j2");
  Ready("w2", "signer", 2);
  EXPECT_EQ(JobsSentTo("w1").size(), 2u);
  EXPECT_TRUE(JobsSentTo("w2").empty());
  for (int i = 0; i < 2; ++i) {
    Tick(kInterval);
    Heartbeat("w2");
  }
  EXPECT_EQ(state_.WorkerCount("signer"), 2u);
  Tick(kInterval);  // w1 silent for 3 intervals
  EXPECT_EQ(state_.WorkerCount("signer"), 1u);
  EXPECT_EQ(FramesOfKind("w1", Envelope::DISCONNECT), 1);
  EXPECT_EQ(JobsSentTo("w2"), (std::vector<std::string>{"j1", "j2"}));
  Result("w1", "j1", "late");  // the dropped worker is told to re-register, result ignored
  EXPECT_EQ(FramesOfKind("w1", Envelope::DISCONNECT), 2);
  EXPECT_TRUE(done_.empty());
  Result("w2", "j1", "fresh");
  ASSERT_EQ(done_.size(), 1u);
  EXPECT_EQ(done_[0].payload, "fresh");
}

TEST_F(BrokerStateTest, HeartbeatsGoOutEveryInterval) {
  Ready("w1", "signer", 1);
  for (int i = 0; i < 2; ++i) {
    Heartbeat("w1");
    Tick(kInterval);
  }
  EXPECT_EQ(FramesOfKind("w1", Envelope::HEARTBEAT), 3);  // READY's + two ticks
  EXPECT_EQ(state_.WorkerCount("signer"), 1u);
}

TEST_F(BrokerStateTest, UnknownWorkerIsAskedToReconnect) {
  Heartbeat("stranger");
  EXPECT_EQ(FramesOfKind("stranger", Envelope::DISCONNECT), 1);
  Result("stranger", "j1", "");
  EXPECT_EQ(FramesOfKind("stranger", Envelope::DISCONNECT), 2);
  EXPECT_EQ(state_.WorkerCount(""), 0u);
}

TEST_F(BrokerStateTest, DisconnectRequeuesRunningJobs) {
  Ready("w1", "signer", 1);
  Submit("signer", "j1");
  Envelope bye;
  bye.set_kind(Envelope::DISCONNECT);
  Take(state_.OnEnvelope("w1", bye, now_));
  EXPECT_EQ(state_.WorkerCount("signer"), 0u);
  EXPECT_EQ(state_.PendingJobs("signer"), 1u);
  Ready("w2", "signer", 1);
  EXPECT_EQ(JobsSentTo("w2"), std::vector<std::string>{"j1"});
}

TEST_F(BrokerStateTest, TimedOutJobGoesToAnotherWorkerAndTheLateResultIsIgnored) {
  Ready("w1", "signer", 1);
  Ready("w2", "signer", 1);
  Submit("signer", "j1");
  ASSERT_EQ(JobsSentTo("w1"), std::vector<std::string>{"j1"});
  Submit("signer", "j2");  // occupies w2
  ASSERT_EQ(JobsSentTo("w2"), std::vector<std::string>{"j2"});
  Result("w2", "j2", "");
  // Keep both alive while j1 times out on w1.
  for (milliseconds t{0}; t < kJobTimeout; t += kInterval) {
    Heartbeat("w1");
    Heartbeat("w2");
    Tick(kInterval);
  }
  EXPECT_EQ(JobsSentTo("w2"), (std::vector<std::string>{"j2", "j1"}));
  Result("w1", "j1", "late");
  EXPECT_EQ(done_.size(), 1u);  // only j2
  Result("w2", "j1", "second");
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_EQ(done_[1].payload, "second");
}

TEST_F(BrokerStateTest, TimedOutJobReturnsToTheSameWorkerWhenItIsTheOnlyOne) {
  Ready("w1", "signer", 1);
  Submit("signer", "j1");
  for (milliseconds t{0}; t < kJobTimeout; t += kInterval) {
    Heartbeat("w1");
    Tick(kInterval);
  }
  EXPECT_EQ(JobsSentTo("w1"), (std::vector<std::string>{"j1", "j1"}));
}

TEST_F(BrokerStateTest, CancelCompletesWithCancelledAndFreesTheSlot) {
  Ready("w1", "signer", 1);
  Submit("signer", "running");
  Submit("signer", "queued");
  Submit("signer", "next");
  Take(state_.Cancel("queued", now_));
  ASSERT_EQ(done_.size(), 1u);
  EXPECT_EQ(done_[0].status.code(), absl::StatusCode::kCancelled);
  Take(state_.Cancel("running", now_));
  ASSERT_EQ(done_.size(), 2u);
  EXPECT_EQ(done_[1].job_id, "running");
  EXPECT_EQ(JobsSentTo("w1"), (std::vector<std::string>{"running", "next"}));
  Result("w1", "running", "late");
  EXPECT_EQ(done_.size(), 2u);
  Take(state_.Cancel("unknown", now_));
  EXPECT_EQ(done_.size(), 2u);
}

TEST_F(BrokerStateTest, ShutdownFailsEveryJobWithUnavailableAndSaysGoodbye) {
  Ready("w1", "signer", 1);
  Submit("signer", "j1");
  Submit("signer", "j2");
  Take(state_.Shutdown());
  ASSERT_EQ(done_.size(), 2u);
  for (const auto& r : done_) EXPECT_EQ(r.status.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(FramesOfKind("w1", Envelope::DISCONNECT), 1);
  EXPECT_EQ(state_.WorkerCount("signer"), 0u);
}

TEST_F(BrokerStateTest, NextDeadlineIsTheEarliestHeartbeatExpiryOrTimeout) {
  EXPECT_EQ(state_.NextDeadline(), BusClock::time_point::max());
  Ready("w1", "signer", 1);
  EXPECT_EQ(state_.NextDeadline(), now_ + kInterval);
  Submit("signer", "j1");
  EXPECT_EQ(state_.NextDeadline(), now_ + kInterval);
}

TEST_F(BrokerStateTest, InvalidSubmissionFailsAtOnce) {
  Submit("", "j1");
  Submit("signer", "");
  ASSERT_EQ(done_.size(), 2u);
  for (const auto& r : done_) EXPECT_EQ(r.status.code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(BrokerStateTest, ReadyWithoutServiceIsIgnored) {
  Ready("w1", "", 4);
  EXPECT_EQ(state_.WorkerCount(""), 0u);
  EXPECT_TRUE(sent_.empty());
}

}  // namespace
}  // namespace certforge::bus
