#pragma once
// What cert-manager's admission webhook would refuse in a Certificate. certforge has no webhook
// (kubectl talks to the API server directly), so the controller checks the same rules, reports
// them on the Certificate (Ready=False, reason ConfigError, and an Event) and does not issue.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace certforge::controller {

// "<field>: <problem>" messages in the webhook's words; empty when the Certificate is valid.
std::vector<std::string> ValidateCertificate(const nlohmann::json& certificate);

// The condition message for a list of problems.
std::string ValidationMessage(const std::vector<std::string>& problems);

}  // namespace certforge::controller
