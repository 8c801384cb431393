#pragma once
// certificates-readiness: the Ready condition (the readiness policy chain) and the
// notBefore/notAfter/renewalTime of the certificate in the Secret.

#include "services/controller/certificate_wakeups.h"
#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class CertificateReadiness : public Reconciler {
 public:
  // What wakes it besides its Certificate. Its requests and its Secret.
  static constexpr unsigned kWakeOn =
      CertificateWakeups::kOnRequests | CertificateWakeups::kOnNamedSecret;

  explicit CertificateReadiness(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificates-readiness"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  ControllerContext ctx_;
};

}  // namespace certforge::controller
