#include "services/controller/request_approver.h"

#include "services/controller/conditions.h"
#include "services/controller/request_state.h"
#include "services/controller/resources.h"

namespace certforge::controller {

using nlohmann::json;

ReconcileResult RequestApprover::Reconcile(const std::string& key) {
  auto request = ctx_.requests->Get(key);
  if (!request) return ReconcileResult::Done();
  if (RequestApproved(*request) || RequestDenied(*request) || RequestFinal(*request)) {
    return ReconcileResult::Done();
  }
  auto [ns, name] = SplitKey(key);
  auto updated = ctx_.status->Update(kCertificateRequests, ns, name, [&](json& object) {
    // A user (or another approver) may have decided meanwhile: their decision stands.
    if (RequestApproved(object) || RequestDenied(object)) return false;
    return SetCondition(object, kConditionApproved, "True", "cert-manager.io",
                        "Certificate request has been approved by cert-manager.io", ctx_.now(),
                        /*with_observed_generation=*/false);
  });
  if (!updated.ok() && updated.code() != absl::StatusCode::kNotFound) {
    return ReconcileResult::Error(updated);
  }
  return ReconcileResult::Done();
}

}  // namespace certforge::controller
