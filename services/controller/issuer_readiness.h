#pragma once
// issuers / clusterissuers: the Ready condition of SelfSigned and CA issuers, as cert-manager
// sets it. Keys are IssuerKey()s ("Issuer/ns/name", "ClusterIssuer//name").

#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

// Why a CA Secret cannot sign, or "" when it can (a CA certificate with its matching key).
std::string CaKeyPairProblem(const nlohmann::json& secret);

class IssuerReadiness : public Reconciler {
 public:
  explicit IssuerReadiness(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "issuers"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  ControllerContext ctx_;
};

}  // namespace certforge::controller
