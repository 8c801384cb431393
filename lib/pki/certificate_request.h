#pragma once
// A parsed PKCS#10 certificate signing request, read the way cert-manager's signers read one
// (Go's x509.ParseCertificateRequest + CheckSignature + CertificateTemplateFromCSR).
//
// The public key stays encoded: OpenSSL 3.0's d2i_X509_REQ decodes it through the provider
// decoder (several times the cost of the ECDSA signature on the certificate), so the CSR is
// split with a small DER walker instead and the key imported only to check the signature.

#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/general_names.h"
#include "lib/pki/key_usage.h"
#include "lib/pki/public_key.h"

namespace certforge::pki {

struct ParsedCsrState;

struct BasicConstraintsValue {
  bool is_ca = false;
  std::optional<int> max_path_length;
};

// Immutable; copies share the parsed state.
class ParsedCsr {
 public:
  // The first "CERTIFICATE REQUEST" (or "NEW CERTIFICATE REQUEST") PEM block. The signature is
  // verified: a CSR not signed by its own key is InvalidArgument.
  static absl::StatusOr<ParsedCsr> FromPem(std::string_view pem);
  static absl::StatusOr<ParsedCsr> FromDer(std::string_view der);
  // For comparisons only (as cert-manager's RequestMatchesSpec decodes without verifying).
  static absl::StatusOr<ParsedCsr> FromPemUnverified(std::string_view pem);

  const std::string& der() const;

  // Subject as encoded, as an OpenSSL name, and as RFC 2253 text ("CN=app,O=Example").
  std::string_view subject_der() const;
  const X509_NAME* subject() const;
  std::string SubjectText() const;
  bool subject_empty() const;
  // The last commonName, as Go's pkix.Name.CommonName.
  std::string CommonName() const;

  const SubjectAltNames& alt_names() const;
  // The requested subjectAltName extension as sent (null without one): signers copy it as is.
  const X509_EXTENSION* subject_alt_name_extension() const;

  // nullopt when the CSR has no such extension.
  const std::optional<std::vector<KeyUsage>>& key_usages() const;
  const std::optional<std::vector<ExtKeyUsage>>& ext_key_usages() const;
  // Extended key usage OIDs not in ExtKeyUsage, dotted.
  const std::vector<std::string>& unknown_ext_key_usages() const;
  const std::optional<BasicConstraintsValue>& basic_constraints() const;
  const std::optional<NameConstraints>& name_constraints() const;
  // All requested extensions, in order.
  const STACK_OF(X509_EXTENSION) * extensions() const;

  const PublicKey& public_key() const;
  KeyAlgorithm key_algorithm() const { return public_key().algorithm(); }
  // NID of the CSR's signature algorithm (NID_ecdsa_with_SHA256, ...).
  int signature_nid() const;

 private:
  explicit ParsedCsr(std::shared_ptr<const ParsedCsrState> state);
  static absl::StatusOr<ParsedCsr> Parse(std::string_view der, bool verify);
  static absl::StatusOr<ParsedCsr> ParsePem(std::string_view pem, bool verify);

  std::shared_ptr<const ParsedCsrState> state_;
};

}  // namespace certforge::pki
