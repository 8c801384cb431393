#pragma once
// Reading EC and Ed25519 private keys without OpenSSL's decoder.
//
// On OpenSSL 3.0, PEM_read_bio_PrivateKey goes through the provider decoder (about 1 ms on a
// small machine, behind a global lock), while importing the same key from its parts costs a few
// microseconds. cert-manager's keys are SEC1 or PKCS#8 with a named curve and the public point,
// so those are read here from their DER; anything else is left to OpenSSL.

#include <openssl/evp.h>

#include <optional>
#include <string>
#include <string_view>

#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

// The key in a "PRIVATE KEY" (PKCS#8) or "EC PRIVATE KEY" (SEC1) block's DER when it is a
// P-256/384/521 key carrying its public point, or an Ed25519 key; nullptr for anything else,
// malformed input included (the caller then asks OpenSSL, which says what is wrong).
EvpPkeyPtr DecodePrivateKeyDer(std::string_view pem_type, std::string_view der);

// A private key PEM block re-encoded from its DER without OpenSSL's encoder (about 1 ms per key
// on OpenSSL 3.0), exactly as OpenSSL writes it: `traditional` asks for the form
// PEM_write_bio_PrivateKey_traditional writes, "EC PRIVATE KEY" (SEC1 with its named curve and
// public point) or "RSA PRIVATE KEY" (PKCS#1), from a PKCS#8 block or from that form itself;
// otherwise PKCS#8, from a PKCS#8 block. nullopt for anything else (other key types, SEC1 without
// its curve or point, malformed input): the caller then asks OpenSSL.
std::optional<std::string> ReencodePrivateKeyPem(std::string_view pem, bool traditional);

// An EC import context for this thread: fetching the key manager costs more than an import.
EVP_PKEY_CTX* EcImportContext();

}  // namespace certforge::pki
