#pragma once
// Writers for X.509 v3 extensions, each DER-encoded from OpenSSL's own structures (no
// config-string parsing), into a certificate being built or a CSR's requested extensions.

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "lib/pki/key_usage.h"

namespace certforge::pki {

// Where an extension goes: a certificate, or an extension list for a CSR. Implicit so that
// every writer below takes either an X509* or a list without an overload per target.
class ExtensionSink {
 public:
  ExtensionSink(X509* x509) : x509_(x509) {}                        // NOLINT
  ExtensionSink(STACK_OF(X509_EXTENSION) * *list) : list_(list) {}  // NOLINT

  // Encodes `value` (the OpenSSL structure for `nid`, still owned by the caller) and appends it.
  absl::Status AddEncoded(int nid, void* value, bool critical) const;
  // Appends a copy of `extension` (its value bytes as they are) with the given criticality.
  absl::Status AddCopy(const X509_EXTENSION* extension, bool critical) const;

 private:
  X509* x509_ = nullptr;
  STACK_OF(X509_EXTENSION) ** list_ = nullptr;
};

// Critical, as RFC 5280 asks; cA omitted (FALSE) for end-entity certificates.
absl::Status AddBasicConstraints(ExtensionSink sink, bool is_ca,
                                 std::optional<int> max_path_length);
// Critical.
absl::Status AddKeyUsage(ExtensionSink sink, const std::vector<KeyUsage>& usages);
// `extra_oids` (dotted) follow the known usages, as Go writes UnknownExtKeyUsage.
absl::Status AddExtKeyUsage(ExtensionSink sink, const std::vector<ExtKeyUsage>& usages,
                            const std::vector<std::string>& extra_oids = {});
// `ip_octets` as ParseIpAddress returns them. Critical when the subject is empty (RFC 5280).
absl::Status AddSubjectAltNames(ExtensionSink sink, const std::vector<std::string>& dns_names,
                                const std::vector<std::string>& ip_octets, bool critical);
absl::Status AddSubjectKeyId(ExtensionSink sink, std::string_view id);
absl::Status AddAuthorityKeyId(ExtensionSink sink, std::string_view id);
// authorityInfoAccess: OCSP entries, then caIssuers entries, as Go writes them. Not critical.
absl::Status AddAuthorityInfoAccess(ExtensionSink sink, const std::vector<std::string>& ocsp_urls,
                                    const std::vector<std::string>& issuer_urls);
// cRLDistributionPoints: one distribution point (a full-name URI) per URL. Not critical.
absl::Status AddCrlDistributionPoints(ExtensionSink sink, const std::vector<std::string>& urls);

// RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits.
std::string KeyIdentifier(std::string_view public_key_bits);
// RFC 7093 section 2 method (1): the leftmost 160 bits of the SHA-256 of the key bits, which Go
// (1.25 onwards, so cert-manager) uses for the identifiers it generates for CAs.
std::string Sha256KeyIdentifier(std::string_view public_key_bits);

}  // namespace certforge::pki
