#pragma once
// The broker's bookkeeping as pure transitions: workers, per-service queues, running jobs,
// heartbeats and timeouts. No sockets and no clock of its own: every input carries `now`, every
// transition returns the frames to send and the jobs that ended, so it is tested without I/O.

#include <chrono>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "lib/bus/envelope_codec.h"
#include "lib/bus/job_result.h"

namespace certforge::bus {

using BusClock = std::chrono::steady_clock;

struct BrokerTimings {
  std::chrono::milliseconds heartbeat_interval{1000};
  int heartbeat_liveness = 3;
  std::chrono::milliseconds job_timeout{60000};
};

struct OutgoingFrame {
  std::string worker;  // ROUTER identity
  Envelope envelope;
};

struct JobCompletion {
  JobResult result;
  std::vector<JobDoneCallback> callbacks;  // each to be called once with `result`
};

struct BrokerActions {
  std::vector<OutgoingFrame> frames;
  std::vector<JobCompletion> completions;
};

class BrokerState {
 public:
  explicit BrokerState(BrokerTimings timings);

  // A job for `service`; an id already queued or running only gains another callback.
  BrokerActions Submit(const std::string& service, const std::string& job_type,
                       const std::string& job_id, std::string payload, JobDoneCallback done,
                       BusClock::time_point now);
  // Forgets the job and completes it with CANCELLED (a running copy's result is then ignored).
  BrokerActions Cancel(const std::string& job_id, BusClock::time_point now);
  // A decoded frame from `worker`; any frame proves the worker alive.
  BrokerActions OnEnvelope(const std::string& worker, const Envelope& envelope,
                           BusClock::time_point now);
  // Heartbeats due, silent workers dropped, jobs past their timeout re-dispatched.
  BrokerActions OnTick(BusClock::time_point now);
  // Stopping: DISCONNECT to every worker, every job completes with UNAVAILABLE.
  BrokerActions Shutdown();

  // When OnTick next has something to do (time_point::max() when nothing is scheduled).
  BusClock::time_point NextDeadline() const;
  size_t WorkerCount(const std::string& service) const;
  size_t PendingJobs(const std::string& service) const;  // queued + running
  size_t RunningOn(const std::string& worker) const;

 private:
  struct WorkerEntry {
    std::string service;
    size_t capacity = 1;
    std::map<std::string, BusClock::time_point> running;  // job id → dispatched at
    BusClock::time_point expiry;
    BusClock::time_point next_heartbeat;
  };
  struct Job {
    std::string service, type, payload;
    std::vector<JobDoneCallback> callbacks;
    std::string worker;        // empty while queued
    std::string avoid_worker;  // the worker it timed out on
  };
  struct Service {
    std::deque<std::string> queue;  // job ids, oldest first
    std::set<std::string> workers;
  };

  void OnReady(const std::string& worker, const Envelope& envelope, BusClock::time_point now,
               BrokerActions& actions);
  void OnResult(const std::string& worker, const Envelope& envelope, BrokerActions& actions);
  void DropWorker(const std::string& worker, bool say_goodbye, BrokerActions& actions);
  void Requeue(const std::string& service, std::vector<std::string> job_ids);
  void Dispatch(const std::string& service, BusClock::time_point now, BrokerActions& actions);
  WorkerEntry* PickWorker(const Service& service, const std::string& avoid, std::string& id);
  void Complete(const std::string& job_id, JobResult result, BrokerActions& actions);
  BusClock::time_point Expiry(BusClock::time_point now) const;

  BrokerTimings timings_;
  std::map<std::string, WorkerEntry> workers_;
  std::map<std::string, Service> services_;
  std::map<std::string, Job> jobs_;
};

// A printable form of a ROUTER identity (they are binary).
std::string WorkerName(const std::string& identity);

}  // namespace certforge::bus
