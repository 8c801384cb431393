#pragma once
// Read-modify-write of an object's status through the gateway, retried on conflicts. Each
// controller changes only the status fields it owns; reading live (not from a possibly stale
// cache) right before writing keeps conflicts rare when several controllers act on one object.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "lib/kube/gateway_client.h"

namespace certforge::controller {

class StatusWriter {
 public:
  explicit StatusWriter(kube::GatewayClient& client) : client_(client) {}

  // `mutate` edits the object's status and returns false when there is nothing to write. Returns
  // the stored object (or the unchanged one).
  absl::StatusOr<nlohmann::json> Update(const kube::GroupVersionResource& gvr,
                                        const std::string& ns, const std::string& name,
                                        const std::function<bool(nlohmann::json&)>& mutate);

 private:
  kube::GatewayClient& client_;
};

}  // namespace certforge::controller
