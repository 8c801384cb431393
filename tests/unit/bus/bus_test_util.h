#pragma once
// Helpers for the bus's socket tests: collected results, fast timings, hand-driven sockets that
// play a misbehaving worker or broker.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "lib/bus/broker.h"
#include "lib/bus/envelope_codec.h"
#include "lib/bus/worker.h"

namespace certforge::bus::testing {

// Records `done` calls from the broker's callback thread.
class ResultCollector {
 public:
  JobDoneCallback Callback();
  // Waits until at least `n` results arrived.
  bool WaitForCount(size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(10));
  std::vector<JobResult> results() const;
  size_t count() const;

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<JobResult> results_;
};

// A gate handlers wait on, so that tests decide when a job finishes.
class Gate {
 public:
  void Open();
  bool Wait(std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

inline constexpr std::chrono::milliseconds kFastHeartbeat{100};

BrokerOptions FastBrokerOptions();
WorkerOptions FastWorkerOptions(const std::string& endpoint, const std::string& service,
                                int capacity = 4);
std::unique_ptr<Broker> StartBroker(BrokerOptions options);
std::unique_ptr<Worker> StartWorker(WorkerOptions options, JobHandler handler);
// A handler that answers `tag + ":" + payload` for every job.
JobHandler EchoHandler(const std::string& tag = "echo");

Envelope MakeEnvelope(Envelope::Kind kind, const std::string& service = "",
                      const std::string& job_id = "");

// Receives one message (all its frames) within `timeout`.
std::optional<std::vector<zmq::message_t>> Receive(zmq::socket_t& socket,
                                                   std::chrono::milliseconds timeout);
// Receives until an envelope of `kind` arrives (skipping others), within `timeout`.
std::optional<Envelope> ReceiveKind(zmq::socket_t& socket, Envelope::Kind kind,
                                    std::chrono::milliseconds timeout,
                                    std::string* identity = nullptr);

}  // namespace certforge::bus::testing
