#pragma once
// certificates-request-manager: while a Certificate is Issuing and its next private key is
// stored, makes sure exactly one CertificateRequest for the next revision exists and matches
// the spec and that key: named <certificate>-<revision>, so a restart can never create a second
// one for the same revision.

#include "services/controller/certificate_wakeups.h"
#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class RequestManager : public Reconciler {
 public:
  // What wakes it besides its Certificate. Its requests, its next private key and its Secret.
  static constexpr unsigned kWakeOn = CertificateWakeups::kOnRequests |
                                      CertificateWakeups::kOnOwnedSecrets |
                                      CertificateWakeups::kOnNamedSecret;

  explicit RequestManager(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificates-request-manager"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  absl::Status CreateRequest(const nlohmann::json& certificate, int revision,
                             const std::string& key_secret_name, const std::string& key_pem);

  ControllerContext ctx_;
};

// Annotations a CertificateRequest inherits from its Certificate (--copied-annotation-prefixes).
nlohmann::json CopiedAnnotations(const nlohmann::json& annotations,
                                 const std::vector<std::string>& prefixes);
// "<certificate>-<revision>", as cert-manager names it with StableCertificateRequestName (on by
// default); certificate names over 233 characters become a prefix and their SHA-256.
std::string RequestName(const std::string& certificate_name, int revision);

}  // namespace certforge::controller
