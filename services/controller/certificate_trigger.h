#pragma once
// certificates-trigger: decides whether a Certificate needs issuing (the trigger policy chain),
// sets its Issuing condition, waits out the failure backoff, and schedules the next look at
// renewal time.

#include "services/controller/certificate_wakeups.h"
#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class CertificateTrigger : public Reconciler {
 public:
  // What wakes it besides its Certificate. Its requests and its Secret.
  static constexpr unsigned kWakeOn =
      CertificateWakeups::kOnRequests | CertificateWakeups::kOnNamedSecret;

  explicit CertificateTrigger(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificates-trigger"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  ControllerContext ctx_;
};

// How long issuance must still wait after the last failure (0: go ahead). No wait when the
// failed request no longer matches the spec: a changed spec is retried at once.
std::chrono::seconds RemainingBackoff(const nlohmann::json& certificate,
                                      const nlohmann::json* next_request, std::chrono::seconds min,
                                      std::chrono::seconds max, core::TimePoint now);

}  // namespace certforge::controller
