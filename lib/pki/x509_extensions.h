#pragma once
// Writers for the X.509 v3 extensions CertificateBuilder sets, each DER-encoded from OpenSSL's own
// structures (no config-string parsing).

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "lib/pki/key_usage.h"

namespace certforge::pki {

// Critical, as RFC 5280 asks; cA omitted (FALSE) for end-entity certificates.
absl::Status AddBasicConstraints(X509* x509, bool is_ca, std::optional<int> max_path_length);
// Critical.
absl::Status AddKeyUsage(X509* x509, const std::vector<KeyUsage>& usages);
absl::Status AddExtKeyUsage(X509* x509, const std::vector<ExtKeyUsage>& usages);
// `ip_octets` as ParseIpAddress returns them. Critical when the subject is empty (RFC 5280).
absl::Status AddSubjectAltNames(X509* x509, const std::vector<std::string>& dns_names,
                                const std::vector<std::string>& ip_octets, bool critical);
absl::Status AddSubjectKeyId(X509* x509, std::string_view id);
absl::Status AddAuthorityKeyId(X509* x509, std::string_view id);

// RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits.
std::string KeyIdentifier(std::string_view public_key_bits);

}  // namespace certforge::pki
