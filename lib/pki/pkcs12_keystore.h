#pragma once
// keystore.p12 and truststore.p12 as cert-manager writes them (issuing/internal/keystore.go,
// through go-pkcs12's encoders), for spec.keystores.pkcs12.
//
// Profiles (go-pkcs12 v0.7): encryption iterations 2048 everywhere.
//   LegacyRC2 (default): certificates pbeWithSHA1And40BitRC2-CBC, key pbeWithSHA1And3-KeyTripleDES,
//                        MAC HMAC-SHA-1 (1 iteration), 8-byte salts.
//   LegacyDES:           certificates and key pbeWithSHA1And3-KeyTripleDES, MAC as LegacyRC2.
//   Modern2023:          PBES2 (PBKDF2-HMAC-SHA-256, AES-256-CBC), MAC HMAC-SHA-256 with 2048
//                        iterations, 16-byte salts.
//   Modern2026:          as Modern2023 but the MAC is PBMAC1 (RFC 9579: PBKDF2-HMAC-SHA-256,
//                        32-byte key, HMAC-SHA-256), which OpenSSL < 3.4 and Java < 26 cannot read.

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

enum class Pkcs12Profile { kLegacyRC2, kLegacyDES, kModern2023, kModern2026 };

// cert-manager's spellings ("LegacyRC2", "LegacyDES", "Modern2023", "Modern2026", exact case);
// "" is the default, LegacyRC2. Anything else is InvalidArgument.
absl::StatusOr<Pkcs12Profile> ParsePkcs12Profile(std::string_view name);
std::string_view Pkcs12ProfileName(Pkcs12Profile profile);

// keystore.p12: the private key (PKCS#8, shrouded) and one encrypted safe of certificates: the
// chain's leaf (localKeyID = SHA-1 of its DER, shared with the key), the rest of the chain, then
// `cas`. No friendlyName, as go-pkcs12. `chain` must hold at least the leaf; the key is not
// checked against it (cert-manager does not either). The password is text: invalid UTF-8 bytes
// count as U+FFFD and characters outside the BMP are InvalidArgument, as in go-pkcs12.
absl::StatusOr<std::string> EncodePkcs12Keystore(const PrivateKey& key,
                                                 const std::vector<Certificate>& chain,
                                                 const std::vector<Certificate>& cas,
                                                 std::string_view password, Pkcs12Profile profile);

// truststore.p12: `cas` (at least one) as trusted certificate entries for Java: each bag has
// Oracle's trusted-key-usage attribute (anyExtendedKeyUsage) and, as friendlyName, the subject
// in Go's pkix.Name.String() form.
absl::StatusOr<std::string> EncodePkcs12Truststore(const std::vector<Certificate>& cas,
                                                   std::string_view password,
                                                   Pkcs12Profile profile);

}  // namespace certforge::pki
