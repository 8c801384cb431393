#pragma once
// Issues a certificate for a CertificateRequest the way cert-manager's SelfSigned and CA
// issuers do (pkg/controller/certificaterequests/{selfsigned,ca}, pkg/util/pki
// CertificateTemplateFromCertificateRequest + SignCertificate / SignCSRTemplate, Go's
// x509.CreateCertificate).

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/ca_issuer.h"
#include "lib/pki/certificate.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

// cert-manager's warning event (reason BadConfig) for a self-signed certificate without subject.
inline constexpr char kEmptyIssuerDnWarning[] =
    "Certificate will be issued with an empty Issuer DN, which contravenes RFC 5280 and could "
    "break some strict clients";

struct SignOptions {
  using TimePoint = std::chrono::system_clock::time_point;

  // The CertificateRequest's spec.duration; unset means 90 days. notAfter = now + duration,
  // not capped at the CA's own notAfter (cert-manager does not cap it either).
  std::optional<std::chrono::nanoseconds> duration;
  // spec.isCA and spec.usages. No usages means ["digital signature", "key encipherment"];
  // isCA adds cert sign. A CSR that carries keyUsage/extendedKeyUsage or basicConstraints
  // extensions must ask for exactly these (cert-manager refuses it otherwise).
  bool is_ca = false;
  std::vector<std::string> usages;

  // Exactly one issuer. SelfSigned: the private key the request names (its public half must be
  // the CSR's key). CA: the issuer's certificate chain and key.
  std::optional<PrivateKey> self_signed_key;
  std::shared_ptr<const CaIssuer> ca;

  // From the Issuer spec: CRL distribution points (both kinds); OCSP servers and issuing
  // certificate URLs (authorityInfoAccess; CA issuers only).
  std::vector<std::string> crl_distribution_points;
  std::vector<std::string> ocsp_servers;
  std::vector<std::string> issuing_certificate_urls;

  // Unset: the current time.
  std::optional<TimePoint> now;
};

struct IssuedCertificate {
  Certificate certificate;
  std::string certificate_pem;  // the leaf
  // tls.crt / status.certificate: the leaf, then the CA chain without self-signed certificates.
  std::string chain_pem;
  // ca.crt / status.ca: the certificate itself for SelfSigned; the top of the issuer's chain
  // for CA.
  std::string ca_pem;
  // Events cert-manager would record (kEmptyIssuerDnWarning).
  std::vector<std::string> warnings;
};

// InvalidArgument for a request cert-manager would fail (with its message: "encoded CSR error:
// ...", "CSR not signed by referenced private key", "unknown key usages: [...]").
absl::StatusOr<IssuedCertificate> IssueFromCsr(const ParsedCsr& csr, const SignOptions& options);

}  // namespace certforge::pki
