#pragma once
// The PKCS#12 PFX envelope with a PBMAC1 integrity MAC (RFC 9579), which OpenSSL 3.0 can neither
// write nor verify (3.4 can): cert-manager's Modern2026 profile uses it.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::pki {

// PFX { version 3, authSafe = data(`authenticated_safe`), macData } where `authenticated_safe`
// is the DER of the AuthenticatedSafe (SEQUENCE OF ContentInfo). The MAC is HMAC-SHA-256 keyed
// by PBKDF2-HMAC-SHA-256(`password` as UTF-8, random salt, `iterations`, 32 bytes). As go-pkcs12
// writes it: the legacy macSalt is empty and the legacy iterations field is 0 (both ignored by
// readers), and the AlgorithmIdentifiers carry no NULL parameters.
absl::StatusOr<std::string> EncodePfxWithPbmac1(std::string_view authenticated_safe,
                                                std::string_view password, int iterations,
                                                size_t salt_length);

}  // namespace certforge::pki
