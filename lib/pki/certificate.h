#pragma once
// A parsed (or freshly signed) X.509 certificate and the fields certforge reads from it.

#include <openssl/x509.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/key_usage.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

class CertificateBuilder;

// Immutable; copies share the underlying X509.
class Certificate {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  // The first certificate in `pem` (other PEM blocks before it are skipped).
  //
  // Parsing leaves the public key encoded: on OpenSSL 3.0 decoding it costs ten times the rest
  // of the certificate, and most readers want names and dates. get() decodes it on first use.
  static absl::StatusOr<Certificate> FromPem(std::string_view pem);
  // Every certificate in a PEM bundle, in order; at least one.
  static absl::StatusOr<std::vector<Certificate>> ChainFromPem(std::string_view pem);
  static absl::StatusOr<Certificate> FromDer(std::string_view der);
  // Adopts a certificate just signed in memory from an encoded public key (never decoded by
  // OpenSSL, see public_key.h); get() supplies the decoded key on first use.
  static Certificate AdoptSigned(X509Ptr x509);

  absl::StatusOr<std::string> ToPem() const;
  std::string ToDer() const;

  // Subject and issuer: the first commonName ("" without one) and every organizationName.
  std::string CommonName() const;
  std::vector<std::string> Organizations() const;
  std::string IssuerCommonName() const;

  // Subject alternative names; IP addresses in canonical text form.
  std::vector<std::string> DnsNames() const;
  std::vector<std::string> IpAddresses() const;

  TimePoint NotBefore() const;
  TimePoint NotAfter() const;

  // basicConstraints cA, and its pathLenConstraint when present.
  bool IsCa() const;
  std::optional<int> MaxPathLength() const;
  // Usages in the keyUsage / extendedKeyUsage extensions (empty without them); extended usages
  // other than those in ExtKeyUsage are left out.
  std::vector<KeyUsage> KeyUsages() const;
  std::vector<ExtKeyUsage> ExtKeyUsages() const;
  // Raw key identifier bytes; "" when the extension (or its keyIdentifier) is absent.
  std::string SubjectKeyId() const;
  std::string AuthorityKeyId() const;

  // Serial number as lower-case hex of its big-endian bytes ("-" prefix if negative).
  std::string SerialHex() const;
  // SubjectPublicKeyInfo DER.
  std::string PublicKeyDer() const;
  const X509_PUBKEY* EncodedPublicKey() const;

  // True when `key` is the private half of this certificate's public key.
  bool MatchesKey(const PrivateKey& key) const;
  // True when `issuer`'s subject is this certificate's issuer and its key verifies the signature.
  bool IsSignedBy(const Certificate& issuer) const;

  // A complete X509 for any OpenSSL use (verification stores, TLS contexts).
  X509* get() const;
  // The X509 for reading names, dates and extensions, whose public key may not be decoded
  // (see FromPem): cheaper than get() on a certificate no one has asked for its key.
  const X509* fields() const { return raw(); }

 private:
  friend class CertificateBuilder;
  struct State;

  // `public_key_decoded` is false for certificates parsed here or signed in memory from an
  // encoded public key: OpenSSL has then no EVP_PKEY for it, which get() supplies on first use.
  Certificate(X509Ptr x509, bool public_key_decoded);
  // The X509 as parsed or built: fine for reading fields, not for X509_get0_pubkey.
  X509* raw() const;

  std::shared_ptr<State> state_;
};

}  // namespace certforge::pki
