#pragma once
// certificates-revision-manager: deletes a Ready Certificate's old CertificateRequests beyond
// spec.revisionHistoryLimit (1 when unset, as cert-manager since v1.18).

#include "services/controller/certificate_wakeups.h"
#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class RevisionManager : public Reconciler {
 public:
  // What wakes it besides its Certificate. Its requests only: it garbage-collects old ones.
  static constexpr unsigned kWakeOn = CertificateWakeups::kOnRequests;

  explicit RevisionManager(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificates-revision-manager"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  ControllerContext ctx_;
};

}  // namespace certforge::controller
