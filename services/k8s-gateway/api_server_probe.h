#pragma once
// Readiness: the API server answered /version recently, or answers now.

#include <atomic>
#include <chrono>
#include <string>

#include "services/k8s-gateway/kube_rest_client.h"

namespace certforge::k8sgw {

class ApiServerProbe {
 public:
  explicit ApiServerProbe(KubeRestClient& client,
                          std::chrono::seconds fresh_for = std::chrono::seconds(10));

  // Called after any successful /version.
  void MarkAnswered();
  // Empty when ready, else why not.
  std::string NotReadyReason();

 private:
  KubeRestClient& client_;
  const std::chrono::seconds fresh_for_;
  std::atomic<int64_t> answered_at_ns_{0};  // steady clock; 0: never
};

}  // namespace certforge::k8sgw
