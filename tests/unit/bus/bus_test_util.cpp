#include "tests/unit/bus/bus_test_util.h"

#include <gtest/gtest.h>

#include <zmq_addon.hpp>

namespace certforge::bus::testing {

JobDoneCallback ResultCollector::Callback() {
  return [this](const JobResult& result) {
    std::lock_guard lock(mu_);
    results_.push_back(result);
    cv_.notify_all();
  };
}

bool ResultCollector::WaitForCount(size_t n, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return results_.size() >= n; });
}

std::vector<JobResult> ResultCollector::results() const {
  std::lock_guard lock(mu_);
  return results_;
}

size_t ResultCollector::count() const {
  std::lock_guard lock(mu_);
  return results_.size();
}

void Gate::Open() {
  std::lock_guard lock(mu_);
  open_ = true;
  cv_.notify_all();
}

bool Gate::Wait(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return cv_.wait_for(lock, timeout, [&] { return open_; });
}

BrokerOptions FastBrokerOptions() {
  BrokerOptions options;
  options.endpoint = "tcp://127.0.0.1:0";
  options.heartbeat_interval = kFastHeartbeat;
  options.heartbeat_liveness = 3;
  return options;
}

WorkerOptions FastWorkerOptions(const std::string& endpoint, const std::string& service,
                                int capacity) {
  WorkerOptions options;
  options.broker_endpoint = endpoint;
  options.service = service;
  options.capacity = capacity;
  options.heartbeat_interval = kFastHeartbeat;
  options.heartbeat_liveness = 3;
  options.reconnect_min = std::chrono::milliseconds(50);
  options.reconnect_max = std::chrono::milliseconds(400);
  return options;
}

std::unique_ptr<Broker> StartBroker(BrokerOptions options) {
  auto broker = Broker::Start(std::move(options));
  EXPECT_TRUE(broker.ok()) << broker.status();
  return broker.ok() ? *std::move(broker) : nullptr;
}

std::unique_ptr<Worker> StartWorker(WorkerOptions options, JobHandler handler) {
  auto worker = Worker::Start(std::move(options), std::move(handler));
  EXPECT_TRUE(worker.ok()) << worker.status();
  return worker.ok() ? *std::move(worker) : nullptr;
}

JobHandler EchoHandler(const std::string& tag) {
  return [tag](const std::string&, const std::string&,
               const std::string& payload) -> absl::StatusOr<std::string> {
    return tag + ":" + payload;
  };
}

Envelope MakeEnvelope(Envelope::Kind kind, const std::string& service, const std::string& job_id) {
  Envelope envelope;
  envelope.set_kind(kind);
  envelope.set_service(service);
  envelope.set_job_id(job_id);
  return envelope;
}

std::optional<std::vector<zmq::message_t>> Receive(zmq::socket_t& socket,
                                                   std::chrono::milliseconds timeout) {
  std::vector<zmq::pollitem_t> items = {{socket.handle(), 0, ZMQ_POLLIN, 0}};
  if (zmq::poll(items, timeout) == 0) return std::nullopt;
  std::vector<zmq::message_t> frames;
  if (!zmq::recv_multipart(socket, std::back_inserter(frames))) return std::nullopt;
  return frames;
}

std::optional<Envelope> ReceiveKind(zmq::socket_t& socket, Envelope::Kind kind,
                                    std::chrono::milliseconds timeout, std::string* identity) {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    auto frames = Receive(socket, left);
    if (!frames || frames->empty()) return std::nullopt;
    auto envelope = DecodeEnvelope(frames->back().to_string_view());
    if (envelope.ok() && envelope->kind() == kind) {
      if (identity && frames->size() > 1) *identity = frames->front().to_string();
      return *envelope;
    }
  }
}

}  // namespace certforge::bus::testing
