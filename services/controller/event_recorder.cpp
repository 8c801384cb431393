#include "services/controller/event_recorder.h"

#include "spdlog/spdlog.h"

namespace certforge::controller {

namespace {
constexpr size_t kMaxQueued = 10000;
constexpr size_t kMaxBatch = 100;
}  // namespace

EventRecorder::EventRecorder(kube::GatewayClient& client)
    : client_(client), thread_([this] { Run(); }) {}

EventRecorder::~EventRecorder() { Stop(); }

void EventRecorder::Record(const std::string& component, const nlohmann::json& object,
                           const std::string& type, const std::string& reason,
                           const std::string& message) {
  kube::v1::EventRequest request;
  auto* involved = request.mutable_involved_object();
  const auto& meta = object.at("metadata");
  involved->set_api_version(object.value("apiVersion", ""));
  involved->set_kind(object.value("kind", ""));
  involved->set_namespace_(meta.value("namespace", ""));
  involved->set_name(meta.value("name", ""));
  involved->set_uid(meta.value("uid", ""));
  involved->set_resource_version(meta.value("resourceVersion", ""));
  request.set_type(type);
  request.set_reason(reason);
  request.set_message(message);
  request.set_component(component);
  std::lock_guard lock(mu_);
  if (queue_.size() >= kMaxQueued) queue_.pop_front();
  queue_.push_back(std::move(request));
  cv_.notify_one();
}

void EventRecorder::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void EventRecorder::Run() {
  while (true) {
    // Whatever has queued up goes in one call: a burst of issuances records several events
    // per certificate, and each call costs both processes more than the event itself.
    kube::v1::EventBatch batch;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping with nothing left
      while (!queue_.empty() && static_cast<size_t>(batch.events_size()) < kMaxBatch) {
        *batch.add_events() = std::move(queue_.front());
        queue_.pop_front();
      }
    }
    auto result = client_.RecordEvents(batch);
    if (!result.ok()) {
      spdlog::debug("{} events: {}", batch.events_size(), std::string(result.status().message()));
    } else if (result->failed() > 0) {
      spdlog::debug("{} of {} events not recorded", result->failed(), batch.events_size());
    }
  }
}

}  // namespace certforge::controller
