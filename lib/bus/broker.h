#pragma once
// The job broker the controller hosts: a ROUTER socket that workers connect to (DEALER), with
// jobs handed out by load, heartbeats both ways and re-dispatch of lost jobs. The bookkeeping is
// BrokerState; this class owns the socket thread (the only one touching the sockets) and the
// callback thread (the only one running `done`).

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
#include "lib/bus/broker_state.h"
#include "lib/bus/curve_keys.h"
#include "lib/bus/job_result.h"
#include "lib/bus/serial_executor.h"
#include "lib/bus/wakeup.h"
#include "lib/bus/zap_authenticator.h"

namespace certforge::bus {

struct BrokerOptions {
  std::string endpoint = "tcp://127.0.0.1:9450";  // ROUTER bind address; port 0 → endpoint()
  std::chrono::milliseconds heartbeat_interval{1000};
  int heartbeat_liveness = 3;  // intervals of silence before a worker is dropped
  // A job held this long without a result goes to another worker; the first worker's slot
  // counts as free again and its late result is ignored.
  std::chrono::milliseconds job_timeout{60000};
  std::optional<CurveKeyPair> curve;            // when set: CURVE server, encryption on
  std::vector<std::string> authorized_clients;  // worker public keys allowed; empty = any
};

class Broker {
 public:
  static absl::StatusOr<std::unique_ptr<Broker>> Start(BrokerOptions options);
  ~Broker();  // Stop(); never destroy a Broker from one of its own `done` callbacks
  Broker(const Broker&) = delete;
  Broker& operator=(const Broker&) = delete;

  // Queues a job for a worker of `service`. An id already queued or running is not sent twice:
  // `done` joins the pending job. `done` runs once, on the callback thread.
  void Submit(const std::string& service, const std::string& job_type, const std::string& job_id,
              std::string payload, std::function<void(const JobResult&)> done);
  // Stops waiting for a job; its callers get CANCELLED.
  void Cancel(const std::string& job_id);
  std::string endpoint() const { return endpoint_; }
  size_t WorkerCount(const std::string& service) const;  // connected, live workers
  size_t PendingJobs(const std::string& service) const;  // queued + running
  // Tells workers goodbye, fails waiting jobs with UNAVAILABLE, and returns once every `done`
  // has run. Later Submits fail at once.
  void Stop();

 private:
  explicit Broker(BrokerOptions options);
  absl::Status Open();
  void Run();
  void ReceiveFrames();
  void FlushOutbox();
  // From any thread: frames go to the socket thread, completions to the callback thread.
  void Apply(BrokerActions actions, bool wake);

  BrokerOptions options_;
  zmq::context_t context_;
  zmq::socket_t router_;
  std::unique_ptr<ZapAuthenticator> zap_;
  Wakeup wakeup_;
  std::string endpoint_;

  mutable std::mutex state_mu_;
  BrokerState state_;
  bool stopped_ = false;  // guarded by state_mu_

  std::mutex outbox_mu_;
  std::vector<OutgoingFrame> outbox_;

  std::atomic<bool> stop_requested_{false};
  SerialExecutor callbacks_;
  std::thread socket_thread_;
};

}  // namespace certforge::bus
