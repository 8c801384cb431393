#pragma once
// What state a CertificateRequest is in, as cert-manager's apiutil reads its conditions.

#include <nlohmann/json.hpp>

namespace certforge::controller {

bool RequestApproved(const nlohmann::json& request);
bool RequestDenied(const nlohmann::json& request);
bool RequestInvalid(const nlohmann::json& request);  // InvalidRequest=True
// Ready=True with reason Issued.
bool RequestIssued(const nlohmann::json& request);
// Denied, InvalidRequest, or Ready=False with reason Failed: the issuance failed.
bool RequestFailed(const nlohmann::json& request);
// Issued or failed: nothing more will happen to it.
bool RequestFinal(const nlohmann::json& request);
// Whether the request reached its final state before `condition` last changed (a failure from
// an earlier issuance attempt).
bool RequestFinishedBefore(const nlohmann::json& request, const nlohmann::json& condition);

}  // namespace certforge::controller
