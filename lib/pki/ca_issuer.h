#pragma once
// The signing side of a cert-manager CA Issuer: the CA Secret's certificate chain and key, with
// the chain worked out once the way cert-manager's ParseSingleCertificateChain builds tls.crt and
// ca.crt for every certificate it issues.

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

class CaIssuer {
 public:
  // `certificates`: the Secret's tls.crt chain, signing certificate first, then (as
  // cert-manager's SecretTLSKeyPairAndCA appends it) the first certificate of ca.crt, if any.
  // Duplicates are dropped; the rest must form one chain whose bottom is the signing
  // certificate, which must be a CA and belong to `key`. Errors are InvalidArgument with
  // cert-manager's messages ("certificate chain is malformed or broken", ...).
  static absl::StatusOr<std::shared_ptr<const CaIssuer>> Create(
      std::vector<Certificate> certificates, PrivateKey key);
  // The same from the Secret's PEM data (`ca_crt` may be empty).
  static absl::StatusOr<std::shared_ptr<const CaIssuer>> FromSecretData(std::string_view tls_crt,
                                                                        std::string_view tls_key,
                                                                        std::string_view ca_crt);

  const Certificate& signing_certificate() const { return chain_.front(); }
  const PrivateKey& key() const { return key_; }
  // The signing certificate's subjectKeyIdentifier ("" without one): issued certificates'
  // authorityKeyIdentifier.
  const std::string& subject_key_id() const { return subject_key_id_; }
  // The chain from the signing certificate up to the top, in order.
  const std::vector<Certificate>& chain() const { return chain_; }
  // What follows an issued leaf in tls.crt: the chain without self-signed certificates.
  const std::string& chain_pem() const { return chain_pem_; }
  // What goes in ca.crt / status.ca: the top of the chain (a root, or the highest
  // intermediate when no root was given).
  const std::string& ca_pem() const { return ca_pem_; }

 private:
  CaIssuer(std::vector<Certificate> chain, PrivateKey key);

  std::vector<Certificate> chain_;
  PrivateKey key_;
  std::string subject_key_id_;
  std::string chain_pem_;
  std::string ca_pem_;
};

// Go's CheckSignatureFrom(parent): `parent` may sign certificates (v1, or basicConstraints cA,
// and keyUsage absent or with certSign) and its key verifies `child`'s signature.
bool IsSignedByCa(const Certificate& child, const Certificate& parent);

}  // namespace certforge::pki
