#pragma once
// Which digest signs what, as cert-manager chooses: a CSR per the Certificate spec
// (signatureAlgorithm, else the spec's key algorithm and size), a certificate per the signer's
// key (signatureAlgorithmFromPublicKey).

#include <openssl/evp.h>

#include "absl/status/statusor.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

// RSA: SHA-512 from 4096 bits, SHA-384 from 3072, else SHA-256; ECDSA: by curve; Ed25519:
// none (nullptr, it hashes internally).
const EVP_MD* CertificateSignatureDigest(const PrivateKey& signer);

// The digest for a CSR signed by `key` for `spec` (nullptr for Ed25519). InvalidArgument, with
// cert-manager's or Go's message, for an unknown signatureAlgorithm or key algorithm, an
// unsupported ECDSA size, or a signatureAlgorithm of another key type than `key`.
absl::StatusOr<const EVP_MD*> CsrSignatureDigest(const CertificateSpec& spec,
                                                 const PrivateKey& key);

// The key type a spec.signatureAlgorithm value belongs to; InvalidArgument when unknown.
absl::StatusOr<KeyAlgorithm> SignatureAlgorithmKeyType(const std::string& signature_algorithm);

}  // namespace certforge::pki
