#pragma once
// Secrets with their data, read live once per resourceVersion.
//
// The Secret informer keeps metadata only, so memory stays flat however many Secrets a cluster
// has. Several controllers read the same Secret on every reconcile, though; this remembers the
// most recently read or written ones and serves them again while the informer reports the same
// resourceVersion, so a Secret's data crosses the gateway about once per change.
//
// A Secret the informer does not know is taken not to exist (no live read), unless this
// controller has just written it: its own writes are remembered until the informer catches up,
// so a controller never mistakes its own fresh Secret for a missing one. Any other lag is
// harmless: the informer's event for the Secret wakes the controllers that read it. Likewise its
// own deletions: while the informer still shows a Secret this controller deleted, it is gone.
// And while this controller is writing a Secret, readers wait for the write's result instead of
// reading live what the informer may already have seen.

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/recent_map.h"
#include "lib/kube/gateway_client.h"
#include "lib/kube/informer.h"

namespace certforge::controller {

class SecretReader {
 public:
  SecretReader(kube::GatewayClient& client, const kube::Informer& metadata)
      : client_(client), metadata_(metadata) {}

  // As GatewayClient::Get of the Secret: NotFound when it does not exist. Shared, not copied:
  // several controllers read the same Secret on every reconcile.
  absl::StatusOr<std::shared_ptr<const nlohmann::json>> Get(const std::string& ns,
                                                            const std::string& name);

  // Marks "ns/name" as being written by this controller for its lifetime.
  class WriteInFlight {
   public:
    WriteInFlight(SecretReader& reader, std::string key);
    ~WriteInFlight();
    WriteInFlight(const WriteInFlight&) = delete;
    WriteInFlight& operator=(const WriteInFlight&) = delete;

   private:
    SecretReader& reader_;
    std::string key_;
  };

  // This controller wrote `secret` (as returned by the API) / deleted it.
  void Written(const nlohmann::json& secret);
  void Deleted(const std::string& ns, const std::string& name);

 private:
  kube::GatewayClient& client_;
  const kube::Informer& metadata_;
  std::mutex mu_;
  std::condition_variable write_done_;
  std::map<std::string, int> writing_;  // "namespace/name" → writes in flight
  core::RecentMap<std::shared_ptr<const nlohmann::json>> secrets_{2048};  // by "namespace/name"
  // Secrets this controller deleted: the resourceVersions the informer may still show for them.
  core::RecentMap<std::vector<std::string>> deleted_{1024};
};

}  // namespace certforge::controller
