#pragma once
// A bus worker: a DEALER socket to the broker that announces its service and capacity, runs the
// jobs it is given on a pool of `capacity` threads, heartbeats, and reconnects by itself (new
// socket, READY again, exponential backoff) when the broker goes silent or forgets it.

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>
#include <zmq.hpp>

#include "absl/status/statusor.h"
#include "lib/bus/curve_keys.h"
#include "lib/bus/envelope_codec.h"
#include "lib/bus/job_pool.h"
#include "lib/bus/wakeup.h"

namespace certforge::bus {

struct WorkerOptions {
  std::string broker_endpoint;
  std::string service;  // "signer", "acme-worker", ...
  int capacity = 4;     // jobs run at once (in a pool of that many threads)
  std::chrono::milliseconds heartbeat_interval{1000};
  int heartbeat_liveness = 3;
  std::chrono::milliseconds reconnect_min{100}, reconnect_max{5000};  // exponential backoff
  std::optional<CurveKeyPair> curve;                                  // the worker's own keys
  std::string broker_public_key;                                      // required with curve
};

// Runs one job; an error (or an exception) goes back to the broker as the job's result.
using JobHandler = std::function<absl::StatusOr<std::string>(
    const std::string& job_type, const std::string& job_id, const std::string& payload)>;

class Worker {
 public:
  static absl::StatusOr<std::unique_ptr<Worker>> Start(WorkerOptions options, JobHandler handler);
  ~Worker();  // Stop()
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Has heard from the broker within the liveness window.
  bool connected() const;
  // Sends DISCONNECT, drops jobs not yet started, waits for running handlers, returns.
  // Never call it from a handler.
  void Stop();

 private:
  enum class SessionEnd { kStopped, kBrokerSilent, kBrokerLeft };

  Worker(WorkerOptions options, JobHandler handler);
  absl::StatusOr<zmq::socket_t> NewSocket();
  void Run(zmq::socket_t socket);
  // `heard_any`: whether the broker said anything on this connection (resets the backoff).
  SessionEnd RunSession(zmq::socket_t& socket, bool& heard_any);
  // Returns whether a DISCONNECT arrived.
  bool ReceiveFrames(zmq::socket_t& socket, bool& heard);
  // Waits out a reconnect delay; false when Stop() came meanwhile.
  bool WaitBeforeReconnect(std::chrono::milliseconds delay);
  void RunJob(const Envelope& job);  // on a pool thread
  void SendResults(zmq::socket_t& socket);
  void Send(zmq::socket_t& socket, Envelope envelope);
  std::chrono::milliseconds LivenessWindow() const;

  WorkerOptions options_;
  JobHandler handler_;
  zmq::context_t context_;
  Wakeup wakeup_;

  std::mutex results_mu_;
  std::vector<Envelope> results_;

  std::atomic<bool> stop_requested_{false};
  std::atomic<int64_t> last_heard_ns_{0};  // steady clock; 0 = not heard on this connection
  std::mutex stop_mu_;
  bool stopped_ = false;
  JobPool pool_;
  std::thread socket_thread_;
};

}  // namespace certforge::bus
