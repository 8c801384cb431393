#pragma once
// Read-modify-write of an object's status through the gateway, retried on conflicts. Each
// controller changes only the status fields it owns. The first attempt starts from the
// informer's copy when there is one (saving a read per write); a conflict means that copy was
// behind, so every retry reads live.

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "lib/kube/gateway_client.h"
#include "lib/kube/informer.h"

namespace certforge::controller {

class StatusWriter {
 public:
  explicit StatusWriter(kube::GatewayClient& client) : client_(client) {}

  // Objects of `gvr` are first read from `informer` (before any Update runs).
  void UseCache(const kube::GroupVersionResource& gvr, const kube::Informer* informer);

  // `mutate` edits the object's status and returns false when there is nothing to write. Returns
  // the stored object (or the unchanged one).
  absl::StatusOr<nlohmann::json> Update(const kube::GroupVersionResource& gvr,
                                        const std::string& ns, const std::string& name,
                                        const std::function<bool(nlohmann::json&)>& mutate);

 private:
  absl::StatusOr<nlohmann::json> Read(const kube::GroupVersionResource& gvr, const std::string& ns,
                                      const std::string& name, bool live) const;

  kube::GatewayClient& client_;
  std::map<std::string, const kube::Informer*> caches_;  // by resource name
};

}  // namespace certforge::controller
