#pragma once
// Read-modify-write of an object's status through the gateway, retried on conflicts. Each
// controller changes only the status fields it owns.
//
// The first attempt starts from the newest copy this process knows: the informer's, or the
// object its own last status write returned while the informer has not caught up with it. So
// reconcilers that write the same object one after the other do not read or conflict. Writes to
// one object are serialized here for the same reason. A conflict means the copy was behind
// someone else's write, so every retry reads live.

#include <array>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "lib/core/recent_map.h"
#include "lib/kube/gateway_client.h"
#include "lib/kube/informer.h"

namespace certforge::controller {

class StatusWriter {
 public:
  explicit StatusWriter(kube::GatewayClient& client) : client_(client) {}

  // Objects of `gvr` are first read from `informer` (before any Update runs).
  void UseCache(const kube::GroupVersionResource& gvr, const kube::Informer* informer);

  // The newest copy of "ns/name" this process knows (see above), or nullptr when the informer
  // does not have it.
  std::shared_ptr<const nlohmann::json> Latest(const kube::GroupVersionResource& gvr,
                                               const std::string& key);

  // `mutate` edits the object's status and returns false when there is nothing to write. OK once
  // written (Latest then has it) or when there was nothing to write.
  absl::Status Update(const kube::GroupVersionResource& gvr, const std::string& ns,
                      const std::string& name, const std::function<bool(nlohmann::json&)>& mutate);

 private:
  // An object as our own write returned it, and the resourceVersion that write started from. Its
  // text is parsed only if Latest needs it before the informer catches up, which is rare: the
  // informer's event for the write is what usually wakes the next reconcile.
  struct OwnWrite {
    std::string base_version;
    std::string text;
    std::shared_ptr<const nlohmann::json> object;  // parsed from text on first use
  };

  std::mutex& KeyLock(const std::string& key);

  kube::GatewayClient& client_;
  std::map<std::string, const kube::Informer*> caches_;  // by resource name
  std::array<std::mutex, 64> key_locks_;                 // striped by key
  std::mutex own_writes_mu_;
  core::RecentMap<OwnWrite> own_writes_{1024};  // by "resource/namespace/name"
};

}  // namespace certforge::controller
