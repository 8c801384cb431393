#pragma once
// cert-manager's policy chains over a Certificate's state, as pure functions: the trigger chain
// (does it need issuing?) and the readiness chain (is it Ready?). The first failing check wins
// and gives the condition's reason and message (internal/controller/certificates/policies).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/time_format.h"
#include "services/controller/renewal.h"

namespace certforge::controller {

struct PolicyInput {
  const nlohmann::json& certificate;
  const nlohmann::json* secret = nullptr;           // null: it does not exist
  const nlohmann::json* current_request = nullptr;  // the request of status.revision
};

struct PolicyViolation {
  std::string reason;  // DoesNotExist, MissingData, InvalidKeyPair, ...
  std::string message;
};

std::optional<PolicyViolation> EvaluateTriggerPolicies(const PolicyInput& input,
                                                       core::TimePoint now);
std::optional<PolicyViolation> EvaluateReadinessPolicies(const PolicyInput& input,
                                                         core::TimePoint now);

// cert-manager's RequestMatchesSpec: the spec fields ("spec.dnsNames", "spec.issuerRef", ...) a
// CertificateRequest no longer matches; an error when its CSR or the spec cannot be read.
absl::StatusOr<std::vector<std::string>> RequestMismatches(const nlohmann::json& request,
                                                           const nlohmann::json& certificate);

// The Certificate's renewal settings (spec.renewBefore, renewBeforePercentage, renewal.policy).
RenewalSpec RenewalSpecOf(const nlohmann::json& certificate);

}  // namespace certforge::controller
