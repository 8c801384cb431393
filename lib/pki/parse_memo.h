#pragma once
// Parsing remembered by PEM text.
//
// On OpenSSL 3.0 reading a private key, certificate or CSR goes through the provider decoder
// (100-300 µs, behind a global lock), while the controller reads the same Secrets and requests
// again on every reconcile. Parsed objects are immutable and shared by copy, so each distinct
// PEM text is parsed once while it stays among the most recently used.

#include <string_view>

#include "absl/status/statusor.h"
#include "lib/pki/certificate.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

// As PrivateKey::FromPem, Certificate::FromPem and ParsedCsr::FromPemUnverified.
absl::StatusOr<PrivateKey> MemoPrivateKeyFromPem(std::string_view pem);
absl::StatusOr<Certificate> MemoCertificateFromPem(std::string_view pem);
absl::StatusOr<ParsedCsr> MemoCsrFromPemUnverified(std::string_view pem);

// Records that `pem`, just written from `key`, holds it: reading it back costs no parse.
void RememberPrivateKeyPem(std::string_view pem, const PrivateKey& key);

}  // namespace certforge::pki
