#pragma once
// Private keys of the three kinds cert-manager issues: RSA, ECDSA (P-256/384/521) and Ed25519.

#include <openssl/evp.h>

#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

enum class KeyAlgorithm { kRsa, kEcdsa, kEd25519 };

// "RSA", "ECDSA", "Ed25519": the spelling of cert-manager's spec.privateKey.algorithm.
std::string_view KeyAlgorithmName(KeyAlgorithm algorithm);

// Immutable once made, so copies share the same EVP_PKEY (reference counted) and may be used
// from several threads at once.
class PrivateKey {
 public:
  // RSA: 2048, 3072, 4096 or 8192 bits; ECDSA: 256, 384 or 521; Ed25519 ignores `size`.
  static absl::StatusOr<PrivateKey> Generate(KeyAlgorithm algorithm, int size);
  // The first private key in `pem`: PKCS#1 "RSA PRIVATE KEY", SEC1 "EC PRIVATE KEY" or PKCS#8
  // "PRIVATE KEY". Encrypted keys, other key types and other curves are refused.
  static absl::StatusOr<PrivateKey> FromPem(std::string_view pem);
  // Adopts a key made elsewhere, with the same checks as FromPem.
  static absl::StatusOr<PrivateKey> FromEvpPkey(EvpPkeyPtr key);

  PrivateKey(const PrivateKey& other);
  PrivateKey& operator=(const PrivateKey& other);
  PrivateKey(PrivateKey&&) noexcept = default;
  PrivateKey& operator=(PrivateKey&&) noexcept = default;
  ~PrivateKey() = default;

  // PKCS#8 "PRIVATE KEY".
  absl::StatusOr<std::string> ToPkcs8Pem() const;
  // cert-manager's "PKCS1" encoding: RSA → "RSA PRIVATE KEY", ECDSA → SEC1 "EC PRIVATE KEY",
  // Ed25519 (which has no such form) → PKCS#8.
  absl::StatusOr<std::string> ToPkcs1Pem() const;
  // The public half as SubjectPublicKeyInfo DER; worked out once per key, copies included.
  absl::StatusOr<std::string> PublicKeyDer() const;

  KeyAlgorithm algorithm() const { return algorithm_; }
  // RSA modulus bits, EC curve bits (256/384/521), 0 for Ed25519.
  int size() const { return size_; }
  // For ECDSA the curve's NID (NID_X9_62_prime256v1, ...), otherwise NID_undef.
  int curve_nid() const { return curve_nid_; }
  EVP_PKEY* get() const { return key_.get(); }

 private:
  PrivateKey(EvpPkeyPtr key, KeyAlgorithm algorithm, int size, int curve_nid);

  // Reading a public key out of OpenSSL 3.0 costs more than the comparisons the controller
  // wants it for, again and again for the same key.
  struct PublicDerCache {
    std::once_flag once;
    absl::StatusOr<std::string> der;
  };

  EvpPkeyPtr key_;
  std::shared_ptr<PublicDerCache> public_der_;  // shared by copies
  KeyAlgorithm algorithm_;
  int size_;
  int curve_nid_;
};

// The digest a signature by `key` uses: SHA-256 for RSA and P-256, SHA-384 for P-384, SHA-512
// for P-521, none (nullptr) for Ed25519, which hashes internally.
const EVP_MD* SignatureDigest(const PrivateKey& key);

}  // namespace certforge::pki
