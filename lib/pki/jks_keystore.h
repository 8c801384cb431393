#pragma once
// keystore.jks and truststore.jks as cert-manager writes them (issuing/internal/keystore.go,
// through keystore-go v4), for spec.keystores.jks.
//
// Java KeyStore, version 2, big-endian throughout:
//   magic 0xFEEDFEED, version 2, entry count, entries, SHA-1(password bytes ||
//   "Mighty Aphrodite" || everything before the hash).
//   private key entry:  tag 1, alias (u16 length + bytes), creation ms (u64), u32 length +
//                       the key protected by Sun's KeyProtector, u32 chain length, certificates.
//   trusted entry:      tag 2, alias, creation ms, one certificate.
//   certificate:        type "X509" (u16 length + bytes), u32 length + DER.
// No Debian package writes JKS (only Java itself does), hence this small encoder.
//
// As keystore-go: aliases are lower-cased (ASCII letters here; keystore-go also lower-cases
// non-ASCII ones), a later entry with the same alias replaces an earlier one, and the password
// bytes are widened one byte at a time ({0, b}), which equals Java's UTF-16 only for ASCII.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

// keystore.jks: a private key entry under `alias` (cert-manager's default is "certificate") with
// `chain` (leaf first, as tls.crt holds it), then each of `cas` as a trusted certificate entry
// "ca", "ca-1", "ca-2", ... The key is stored as PKCS#8 encrypted with the password.
absl::StatusOr<std::string> EncodeJksKeystore(const PrivateKey& key,
                                              const std::vector<Certificate>& chain,
                                              const std::vector<Certificate>& cas,
                                              std::string_view password, std::string_view alias,
                                              Certificate::TimePoint created);

// truststore.jks: `cas` (at least one) as trusted certificate entries "ca", "ca-1", ...
absl::StatusOr<std::string> EncodeJksTruststore(const std::vector<Certificate>& cas,
                                                std::string_view password,
                                                Certificate::TimePoint created);

}  // namespace certforge::pki
