#include "lib/bus/broker.h"

#include <algorithm>
#include <zmq_addon.hpp>

#include "lib/bus/curve_socket.h"
#include "spdlog/spdlog.h"

namespace certforge::bus {
namespace {

// Pending DISCONNECTs get this long to leave when the broker stops.
constexpr int kLingerMs = 200;

std::chrono::milliseconds PollTimeout(BusClock::time_point deadline, BusClock::time_point now,
                                      std::chrono::milliseconds cap) {
  if (deadline <= now) return std::chrono::milliseconds(0);
  auto wait = std::chrono::ceil<std::chrono::milliseconds>(deadline - now);
  return std::min(wait, cap);
}

}  // namespace

absl::StatusOr<std::unique_ptr<Broker>> Broker::Start(BrokerOptions options) {
  if (options.heartbeat_interval <= std::chrono::milliseconds(0) ||
      options.job_timeout <= std::chrono::milliseconds(0)) {
    return absl::InvalidArgumentError("bus heartbeat interval and job timeout must be positive");
  }
  std::unique_ptr<Broker> broker(new Broker(std::move(options)));
  if (auto status = broker->Open(); !status.ok()) return status;
  // The sockets move to the socket thread here; starting a thread is a full memory barrier.
  broker->socket_thread_ = std::thread([b = broker.get()] { b->Run(); });
  return broker;
}

Broker::Broker(BrokerOptions options)
    : options_(std::move(options)),
      context_(1),
      state_(BrokerTimings{options_.heartbeat_interval, options_.heartbeat_liveness,
                           options_.job_timeout}) {}

absl::Status Broker::Open() {
  if (!wakeup_.valid()) return absl::InternalError("eventfd failed");
  try {
    if (options_.curve && !options_.authorized_clients.empty()) {
      auto zap = ZapAuthenticator::Bind(context_, options_.authorized_clients);
      if (!zap.ok()) return zap.status();
      zap_ = *std::move(zap);
    }
    router_ = zmq::socket_t(context_, zmq::socket_type::router);
    router_.set(zmq::sockopt::linger, kLingerMs);
    if (options_.curve) {
      if (auto status = ConfigureCurveServer(router_, *options_.curve); !status.ok()) {
        return status;
      }
      router_.set(zmq::sockopt::zap_domain, "certforge-bus");
    }
    router_.bind(options_.endpoint);
    endpoint_ = router_.get(zmq::sockopt::last_endpoint);
  } catch (const zmq::error_t& e) {
    return absl::UnavailableError("bus broker cannot bind " + options_.endpoint + ": " + e.what());
  }
  spdlog::info("bus broker listening on {}{}", endpoint_, options_.curve ? " (CURVE)" : "");
  return absl::OkStatus();
}

Broker::~Broker() { Stop(); }

void Broker::Submit(const std::string& service, const std::string& job_type,
                    const std::string& job_id, std::string payload,
                    std::function<void(const JobResult&)> done) {
  BrokerActions actions;
  {
    std::lock_guard lock(state_mu_);
    if (stopped_) {
      actions.completions.push_back(
          {{job_id, absl::UnavailableError("job broker stopped"), ""}, {std::move(done)}});
    } else {
      actions = state_.Submit(service, job_type, job_id, std::move(payload), std::move(done),
                              BusClock::now());
    }
  }
  Apply(std::move(actions), true);
}

void Broker::Cancel(const std::string& job_id) {
  BrokerActions actions;
  {
    std::lock_guard lock(state_mu_);
    actions = state_.Cancel(job_id, BusClock::now());
  }
  Apply(std::move(actions), true);
}

size_t Broker::WorkerCount(const std::string& service) const {
  std::lock_guard lock(state_mu_);
  return state_.WorkerCount(service);
}

size_t Broker::PendingJobs(const std::string& service) const {
  std::lock_guard lock(state_mu_);
  return state_.PendingJobs(service);
}

void Broker::Stop() {
  BrokerActions actions;
  {
    std::lock_guard lock(state_mu_);
    if (stopped_) return;
    stopped_ = true;
    actions = state_.Shutdown();
  }
  Apply(std::move(actions), false);
  stop_requested_ = true;
  wakeup_.Notify();
  if (socket_thread_.joinable()) socket_thread_.join();
  callbacks_.Stop();
  if (!endpoint_.empty()) spdlog::info("bus broker on {} stopped", endpoint_);
}

void Broker::Apply(BrokerActions actions, bool wake) {
  if (!actions.frames.empty()) {
    {
      std::lock_guard lock(outbox_mu_);
      std::move(actions.frames.begin(), actions.frames.end(), std::back_inserter(outbox_));
    }
    if (wake) wakeup_.Notify();
  }
  for (auto& completion : actions.completions) {
    callbacks_.Post([completion = std::move(completion)] {
      for (const auto& callback : completion.callbacks) {
        if (callback) callback(completion.result);
      }
    });
  }
}

void Broker::Run() {
  try {
    std::vector<zmq::pollitem_t> items = {
        {router_.handle(), 0, ZMQ_POLLIN, 0},
        {nullptr, wakeup_.fd(), ZMQ_POLLIN, 0},
    };
    if (zap_) items.push_back({zap_->socket().handle(), 0, ZMQ_POLLIN, 0});
    while (!stop_requested_) {
      BusClock::time_point deadline;
      {
        std::lock_guard lock(state_mu_);
        deadline = state_.NextDeadline();
      }
      zmq::poll(items, PollTimeout(deadline, BusClock::now(), options_.heartbeat_interval));
      if (items[1].revents & ZMQ_POLLIN) wakeup_.Drain();
      if (zap_ && (items[2].revents & ZMQ_POLLIN)) zap_->HandleRequest();
      if (items[0].revents & ZMQ_POLLIN) ReceiveFrames();
      auto now = BusClock::now();
      if (now >= deadline) {
        BrokerActions actions;
        {
          std::lock_guard lock(state_mu_);
          actions = state_.OnTick(now);
        }
        Apply(std::move(actions), false);
      }
      FlushOutbox();
    }
    FlushOutbox();  // the DISCONNECTs of Stop()
  } catch (const zmq::error_t& e) {
    spdlog::error("bus broker socket thread failed: {}", e.what());
  }
  router_.close();
  if (zap_) zap_->socket().close();
}

void Broker::ReceiveFrames() {
  // Drain what is there, but let heartbeats and sends interleave under a flood.
  constexpr int kBatch = 256;
  for (int i = 0; i < kBatch; ++i) {
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(router_, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      return;
    }
    if (frames.size() != 2) {
      spdlog::warn("bus broker dropped a message of {} frames", frames.size());
      continue;
    }
    std::string worker = frames[0].to_string();
    auto envelope = DecodeEnvelope(frames[1].to_string_view());
    if (!envelope.ok()) {
      spdlog::warn("bus broker dropped a frame from {}: {}", WorkerName(worker),
                   envelope.status().ToString());
      continue;
    }
    BrokerActions actions;
    {
      std::lock_guard lock(state_mu_);
      actions = state_.OnEnvelope(worker, *envelope, BusClock::now());
    }
    Apply(std::move(actions), false);
  }
}

void Broker::FlushOutbox() {
  std::vector<OutgoingFrame> frames;
  {
    std::lock_guard lock(outbox_mu_);
    frames.swap(outbox_);
  }
  for (auto& frame : frames) {
    std::string body = EncodeEnvelope(std::move(frame.envelope));
    // ROUTER drops frames for peers that are gone or full instead of blocking.
    router_.send(zmq::buffer(frame.worker), zmq::send_flags::sndmore | zmq::send_flags::dontwait);
    router_.send(zmq::buffer(body), zmq::send_flags::dontwait);
  }
}

}  // namespace certforge::bus
