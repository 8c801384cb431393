#pragma once
// certificates-issuing: when the next revision's CertificateRequest is issued, writes the
// Secret (certificate, next private key, CA, keystores, annotations) and records the new
// revision; when it failed, ends the attempt with lastFailureTime so the trigger backs off.

#include "services/controller/certificate_wakeups.h"
#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class CertificateIssuing : public Reconciler {
 public:
  // What wakes it besides its Certificate. Its requests, its next private key and its Secret.
  static constexpr unsigned kWakeOn = CertificateWakeups::kOnRequests |
                                      CertificateWakeups::kOnOwnedSecrets |
                                      CertificateWakeups::kOnNamedSecret;

  explicit CertificateIssuing(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificates-issuing"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  ReconcileResult Failed(const nlohmann::json& certificate, const nlohmann::json& request);
  ReconcileResult Issue(const nlohmann::json& certificate, const nlohmann::json& request,
                        int revision);
  // A keystore password from spec.keystores.<kind>.password or its passwordSecretRef.
  absl::StatusOr<std::optional<std::string>> KeystorePassword(const nlohmann::json& certificate,
                                                              const char* kind);
  // The Secret as this controller knows it (see SecretReader), as a copy to edit.
  absl::StatusOr<nlohmann::json> KnownSecret(const std::string& ns, const std::string& name);
  absl::Status WriteSecret(const nlohmann::json& certificate, const nlohmann::json& data,
                           const nlohmann::json& annotations);
  // After issuance: rewrites the Secret when its labels, annotations, key encoding, output
  // formats or keystores no longer match the spec (no re-issuance needed for those).
  ReconcileResult RefreshSecret(const nlohmann::json& certificate,
                                const std::shared_ptr<const nlohmann::json>& secret);
  // While issuing, with cert-manager.io/issue-temporary-certificate: a placeholder certificate
  // for the next key when the Secret holds no usable pair.
  ReconcileResult EnsureTemporaryCertificate(const nlohmann::json& certificate,
                                             const std::shared_ptr<const nlohmann::json>& secret);

  ControllerContext ctx_;
};

}  // namespace certforge::controller
