#pragma once
// certificaterequests-approver: approves every CertificateRequest that nobody has approved or
// denied yet and that has not finished, as cert-manager's built-in approver does.

#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class RequestApprover : public Reconciler {
 public:
  explicit RequestApprover(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificaterequests-approver"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  ControllerContext ctx_;
};

}  // namespace certforge::controller
