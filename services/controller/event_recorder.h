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
  EventRecorder(kube::GatewayClient& client, std::string component);
  ~EventRecorder();

  void Normal(const nlohmann::json& object, const std::string& reason, const std::string& message) {
    Record(object, "Normal", reason, message);
  }
  void Warning(const nlohmann::json& object, const std::string& reason,
               const std::string& message) {
    Record(object, "Warning", reason, message);
  }
  void Record(const nlohmann::json& object, const std::string& type, const std::string& reason,
              const std::string& message);
  void Stop();

 private:
  void Run();

  kube::GatewayClient& client_;
  std::string component_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<kube::v1::EventRequest> queue_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace certforge::controller
