#include "lib/bus/worker.h"

#include <algorithm>
#include <exception>
#include <zmq_addon.hpp>

#include "lib/bus/backoff.h"
#include "lib/bus/broker_state.h"
#include "lib/bus/curve_socket.h"
#include "spdlog/spdlog.h"

namespace certforge::bus {
namespace {

// A leaving worker's DISCONNECT gets this long to reach the broker.
constexpr int kGoodbyeLingerMs = 200;

Envelope Control(Envelope::Kind kind, const std::string& service) {
  Envelope envelope;
  envelope.set_kind(kind);
  envelope.set_service(service);
  return envelope;
}

int64_t SteadyNanos(BusClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

}  // namespace

absl::StatusOr<std::unique_ptr<Worker>> Worker::Start(WorkerOptions options, JobHandler handler) {
  if (options.broker_endpoint.empty() || options.service.empty() || !handler) {
    return absl::InvalidArgumentError(
        "a bus worker needs a broker endpoint, a service and a handler");
  }
  if (options.capacity < 1 || options.heartbeat_liveness < 1 ||
      options.heartbeat_interval <= std::chrono::milliseconds(0)) {
    return absl::InvalidArgumentError(
        "bus worker capacity, heartbeat interval and liveness must be positive");
  }
  if (options.curve && options.broker_public_key.empty()) {
    return absl::InvalidArgumentError("a CURVE worker needs the broker's public key");
  }
  std::unique_ptr<Worker> worker(new Worker(std::move(options), std::move(handler)));
  if (!worker->wakeup_.valid()) return absl::InternalError("eventfd failed");
  // The first socket is made here so that a bad endpoint or key is reported to the caller.
  auto socket = worker->NewSocket();
  if (!socket.ok()) return socket.status();
  worker->socket_thread_ =
      std::thread([w = worker.get(), s = std::move(*socket)]() mutable { w->Run(std::move(s)); });
  return worker;
}

Worker::Worker(WorkerOptions options, JobHandler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      context_(1),
      pool_(options_.capacity) {}

Worker::~Worker() { Stop(); }

bool Worker::connected() const {
  int64_t heard = last_heard_ns_;
  if (heard == 0) return false;
  auto silence = std::chrono::nanoseconds(SteadyNanos(BusClock::now()) - heard);
  return silence <= LivenessWindow();
}

void Worker::Stop() {
  {
    std::lock_guard lock(stop_mu_);
    if (stopped_) return;
    stopped_ = true;
  }
  stop_requested_ = true;
  wakeup_.Notify();
  if (socket_thread_.joinable()) socket_thread_.join();
  pool_.Stop();
  spdlog::info("bus worker for {} stopped", options_.service);
}

std::chrono::milliseconds Worker::LivenessWindow() const {
  return options_.heartbeat_interval * options_.heartbeat_liveness;
}

absl::StatusOr<zmq::socket_t> Worker::NewSocket() {
  try {
    zmq::socket_t socket(context_, zmq::socket_type::dealer);
    socket.set(zmq::sockopt::linger, 0);
    socket.set(zmq::sockopt::reconnect_ivl, static_cast<int>(options_.reconnect_min.count()));
    socket.set(zmq::sockopt::reconnect_ivl_max, static_cast<int>(options_.reconnect_max.count()));
    if (options_.curve) {
      auto status = ConfigureCurveClient(socket, *options_.curve, options_.broker_public_key);
      if (!status.ok()) return status;
    }
    socket.connect(options_.broker_endpoint);
    return socket;
  } catch (const zmq::error_t& e) {
    return absl::InvalidArgumentError("bus worker cannot connect to " + options_.broker_endpoint +
                                      ": " + e.what());
  }
}

void Worker::Run(zmq::socket_t socket) {
  Backoff backoff(options_.reconnect_min, options_.reconnect_max);
  try {
    while (true) {
      bool heard = false;
      SessionEnd end = RunSession(socket, heard);
      last_heard_ns_ = 0;
      if (end == SessionEnd::kStopped) {
        socket.set(zmq::sockopt::linger, kGoodbyeLingerMs);
        socket.close();
        return;
      }
      socket.close();
      if (heard) backoff.Reset();
      auto delay = backoff.Next();
      spdlog::info("bus worker for {}: broker {}; reconnecting in {} ms", options_.service,
                   end == SessionEnd::kBrokerLeft ? "sent DISCONNECT" : "went silent",
                   delay.count());
      if (!WaitBeforeReconnect(delay)) return;
      auto next = NewSocket();
      while (!next.ok()) {
        spdlog::error("{}", next.status().ToString());
        if (!WaitBeforeReconnect(backoff.Next())) return;
        next = NewSocket();
      }
      socket = *std::move(next);
    }
  } catch (const zmq::error_t& e) {
    spdlog::error("bus worker socket thread failed: {}", e.what());
  }
}

Worker::SessionEnd Worker::RunSession(zmq::socket_t& socket, bool& heard_any) {
  Envelope ready = Control(Envelope::READY, options_.service);
  ready.set_capacity(static_cast<uint32_t>(options_.capacity));
  Send(socket, std::move(ready));
  auto now = BusClock::now();
  auto last_heard = now;  // the broker gets one liveness window to answer
  auto next_heartbeat = now + options_.heartbeat_interval;
  std::vector<zmq::pollitem_t> items = {
      {socket.handle(), 0, ZMQ_POLLIN, 0},
      {nullptr, wakeup_.fd(), ZMQ_POLLIN, 0},
  };
  while (true) {
    if (stop_requested_) {
      Send(socket, Control(Envelope::DISCONNECT, options_.service));
      return SessionEnd::kStopped;
    }
    auto deadline = std::min(next_heartbeat, last_heard + LivenessWindow());
    auto wait = std::max(std::chrono::milliseconds(0),
                         std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
    zmq::poll(items, wait);
    if (items[1].revents & ZMQ_POLLIN) {
      wakeup_.Drain();
      SendResults(socket);
    }
    bool heard = false;
    bool broker_left = (items[0].revents & ZMQ_POLLIN) && ReceiveFrames(socket, heard);
    now = BusClock::now();
    heard_any = heard_any || heard;
    if (broker_left) return SessionEnd::kBrokerLeft;
    if (heard) {
      if (last_heard_ns_ == 0) {
        spdlog::info("bus worker for {} connected to {}", options_.service,
                     options_.broker_endpoint);
      }
      last_heard = now;
      last_heard_ns_ = SteadyNanos(now);
    }
    if (now >= next_heartbeat) {
      Send(socket, Control(Envelope::HEARTBEAT, options_.service));
      next_heartbeat = now + options_.heartbeat_interval;
    }
    if (now - last_heard >= LivenessWindow()) return SessionEnd::kBrokerSilent;
  }
}

bool Worker::ReceiveFrames(zmq::socket_t& socket, bool& heard) {
  constexpr int kBatch = 256;
  for (int i = 0; i < kBatch; ++i) {
    std::vector<zmq::message_t> frames;
    if (!zmq::recv_multipart(socket, std::back_inserter(frames), zmq::recv_flags::dontwait)) {
      return false;
    }
    if (frames.size() != 1) {
      spdlog::warn("bus worker dropped a message of {} frames", frames.size());
      continue;
    }
    auto envelope = DecodeEnvelope(frames[0].to_string_view());
    if (!envelope.ok()) {
      spdlog::warn("bus worker dropped a frame: {}", envelope.status().ToString());
      continue;
    }
    heard = true;
    switch (envelope->kind()) {
      case Envelope::JOB:
        spdlog::debug("job {} ({}) received", envelope->job_id(), envelope->job_type());
        pool_.Post([this, job = *std::move(envelope)] { RunJob(job); });
        break;
      case Envelope::HEARTBEAT:
        break;
      case Envelope::DISCONNECT:
        return true;
      default:
        spdlog::warn("bus worker got an unexpected {} frame",
                     Envelope::Kind_Name(envelope->kind()));
    }
  }
  return false;
}

bool Worker::WaitBeforeReconnect(std::chrono::milliseconds delay) {
  auto deadline = BusClock::now() + delay;
  std::vector<zmq::pollitem_t> items = {{nullptr, wakeup_.fd(), ZMQ_POLLIN, 0}};
  while (!stop_requested_) {
    auto now = BusClock::now();
    if (now >= deadline) return true;
    zmq::poll(items, std::chrono::ceil<std::chrono::milliseconds>(deadline - now));
    if (items[0].revents & ZMQ_POLLIN) {
      wakeup_.Drain();
      // The broker re-dispatches jobs of a lost connection, so their results have no taker.
      std::lock_guard lock(results_mu_);
      if (!results_.empty())
        spdlog::debug("dropping {} results of a lost connection", results_.size());
      results_.clear();
    }
  }
  return false;
}

void Worker::RunJob(const Envelope& job) {
  Envelope result;
  result.set_kind(Envelope::RESULT);
  result.set_service(options_.service);
  result.set_job_id(job.job_id());
  try {
    auto output = handler_(job.job_type(), job.job_id(), job.payload());
    if (output.ok()) {
      result.set_payload(*std::move(output));
    } else {
      SetResultStatus(result, output.status());
    }
  } catch (const std::exception& e) {
    SetResultStatus(result, absl::InternalError(std::string("job handler threw: ") + e.what()));
  } catch (...) {
    SetResultStatus(result, absl::InternalError("job handler threw"));
  }
  spdlog::debug("job {} finished: {}", job.job_id(),
                result.error().empty() ? std::string("ok") : result.error());
  {
    std::lock_guard lock(results_mu_);
    results_.push_back(std::move(result));
  }
  wakeup_.Notify();
}

void Worker::SendResults(zmq::socket_t& socket) {
  std::vector<Envelope> results;
  {
    std::lock_guard lock(results_mu_);
    results.swap(results_);
  }
  for (auto& result : results) Send(socket, std::move(result));
}

void Worker::Send(zmq::socket_t& socket, Envelope envelope) {
  std::string body = EncodeEnvelope(std::move(envelope));
  // Never block the socket thread: a frame that does not fit now is lost like on a dead link.
  if (!socket.send(zmq::buffer(body), zmq::send_flags::dontwait)) {
    spdlog::debug("bus worker could not queue a frame for the broker");
  }
}

}  // namespace certforge::bus
