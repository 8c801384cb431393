#pragma once
// certificates-key-manager: while a Certificate is Issuing, keeps its next private key in a
// temporary Secret (labelled cert-manager.io/next-private-key) before anything uses it, so a
// crash never loses or duplicates a key; reuses the current key under rotationPolicy Never;
// removes the temporary Secret once issuing is over.

#include "services/controller/certificate_wakeups.h"
#include "services/controller/controller_context.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class KeyManager : public Reconciler {
 public:
  // What wakes it besides its Certificate. Its next private key Secret and its Secret (whose key
  // rotationPolicy Never reuses); not requests.
  static constexpr unsigned kWakeOn =
      CertificateWakeups::kOnOwnedSecrets | CertificateWakeups::kOnNamedSecret;

  explicit KeyManager(ControllerContext ctx) : ctx_(std::move(ctx)) {}
  const char* name() const override { return "certificates-key-manager"; }
  ReconcileResult Reconcile(const std::string& key) override;

 private:
  struct NextKeyPem {
    std::string pem;  // PKCS#8
    bool reused = false;
  };
  // The current key (rotationPolicy Never) or a new one from a signer; nullopt while the keygen
  // job runs.
  absl::StatusOr<std::optional<NextKeyPem>> NextKey(const std::string& key,
                                                    const nlohmann::json& certificate);
  absl::Status StoreKey(const nlohmann::json& certificate, const std::string& secret_name,
                        const std::string& key_pem, bool reused);
  // Next-private-key Secrets owned by the Certificate (names).
  std::vector<std::string> OwnedKeySecrets(const nlohmann::json& certificate) const;

  ControllerContext ctx_;
};

}  // namespace certforge::controller
