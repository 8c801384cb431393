#pragma once
// Everything a certificate controller decides from, gathered once per reconcile: the
// Certificate, its Secret (read live: the cache keeps Secret metadata only), and its current
// and next CertificateRequests (by the revision annotation).

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>

#include "absl/status/statusor.h"
#include "services/controller/controller_context.h"

namespace certforge::controller {

struct CertificateInputs {
  std::shared_ptr<const nlohmann::json> certificate;
  std::shared_ptr<const nlohmann::json> secret;           // null: no Secret yet
  std::shared_ptr<const nlohmann::json> current_request;  // the request of status.revision
  std::shared_ptr<const nlohmann::json> next_request;     // the request of status.revision + 1
  int revision = 0;  // status.revision, 0 before the first issuance
};

// nullptr certificate when it no longer exists.
absl::StatusOr<CertificateInputs> GatherCertificateInputs(const ControllerContext& ctx,
                                                          const std::string& key);

// The CertificateRequests of a Certificate ("ns/name"), from the cache.
std::vector<std::shared_ptr<const nlohmann::json>> RequestsOf(const ControllerContext& ctx,
                                                              const std::string& key);
// The revision annotation of a CertificateRequest, or nullopt.
std::optional<int> RequestRevision(const nlohmann::json& request);

// A Secret's data value, base64-decoded ("" when absent or malformed).
std::string SecretData(const nlohmann::json& secret, const std::string& key);

}  // namespace certforge::controller
