#pragma once
// certificaterequests-issuer-selfsigned and -ca: signs approved CertificateRequests that point
// at a SelfSigned or CA issuer, through a `sign` job to a signer, and reports the outcome in the
// request's Ready condition with cert-manager's reasons.

#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class RequestSigner : public Reconciler {
 public:
  explicit RequestSigner(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificaterequests-issuer"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  // Ready=False, reason Pending (waiting for something), with an Event of `event_reason`.
  ReconcileResult Pending(const nlohmann::json& request, const std::string& event_reason,
                          const std::string& message);
  // Ready=False, reason Denied, with failureTime; no Event, as whoever denied it reports that.
  ReconcileResult MarkDenied(const nlohmann::json& request);
  // Ready=False, reason Failed, with failureTime: the request is over.
  ReconcileResult Fail(const nlohmann::json& request, const std::string& reason,
                       const std::string& event_reason, const std::string& message);
  ReconcileResult Issued(const nlohmann::json& request, const std::string& chain_pem,
                         const std::string& ca_pem);

  ControllerContext ctx_;
};

}  // namespace certforge::controller
