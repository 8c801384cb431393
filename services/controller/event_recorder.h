#pragma once
// Events on resources (what `kubectl describe` shows), recorded in the background so that a
// slow API server never slows a reconcile. Bounded: under a flood, the oldest are dropped.

#include <condition_variable>
#include <deque>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>

#include "lib/kube/gateway_client.h"

namespace certforge::controller {

class EventRecorder {
 public:
  explicit EventRecorder(kube::GatewayClient& client);
  ~EventRecorder();

  // `component` is the event's source, e.g. "cert-manager-certificates-issuing".
  void Record(const std::string& component, const nlohmann::json& object, const std::string& type,
              const std::string& reason, const std::string& message);
  void Stop();

 private:
  void Run();

  kube::GatewayClient& client_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<kube::v1::EventRequest> queue_;
  bool stop_ = false;
  std::thread thread_;
};

// One controller's view of the recorder: its events carry its name as their source.
class ComponentEvents {
 public:
  ComponentEvents() = default;
  ComponentEvents(EventRecorder* recorder, std::string component)
      : recorder_(recorder), component_(std::move(component)) {}

  void Normal(const nlohmann::json& object, const std::string& reason,
              const std::string& message) const {
    recorder_->Record(component_, object, "Normal", reason, message);
  }
  void Warning(const nlohmann::json& object, const std::string& reason,
               const std::string& message) const {
    recorder_->Record(component_, object, "Warning", reason, message);
  }

 private:
  EventRecorder* recorder_ = nullptr;
  std::string component_;
};

}  // namespace certforge::controller
