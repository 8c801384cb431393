#pragma once
// A public key kept as an encoded SubjectPublicKeyInfo (X509_PUBKEY).
//
// Why encoded: on OpenSSL 3.0, every EVP_PKEY <-> SubjectPublicKeyInfo conversion (X509_set_pubkey,
// i2d_PUBKEY, d2i_PUBKEY) goes through the provider encoder/decoder and costs 100-300 µs, while
// the ECDSA signature on a certificate costs ~25 µs. Certificates are therefore built by copying
// these bytes (from a CSR, or assembled directly from the key's raw public point) instead.

#include <openssl/x509.h>

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

class PublicKey {
 public:
  // The public half of `key`; ECDSA and Ed25519 keys are assembled without the encoder. EC
  // points are always uncompressed (where i2d_PUBKEY would keep a compressed key compressed).
  static absl::StatusOr<PublicKey> FromPrivateKey(const PrivateKey& key);
  // Parses SubjectPublicKeyInfo DER (this decodes the key, so it is the slow path).
  static absl::StatusOr<PublicKey> FromDer(std::string_view der);
  // Copies an encoded key, e.g. a CSR's, without decoding it.
  static absl::StatusOr<PublicKey> CopyOf(const X509_PUBKEY* pubkey);
  // Assembles a key from a SubjectPublicKeyInfo's two parts (as read from DER without
  // OpenSSL's eager key decoding): its AlgorithmIdentifier and subjectPublicKey bits.
  static absl::StatusOr<PublicKey> FromParts(const X509_ALGOR* algorithm, std::string_view bits);

  // Move-only: duplicating an X509_PUBKEY with OpenSSL decodes it again.
  PublicKey(PublicKey&&) noexcept = default;
  PublicKey& operator=(PublicKey&&) noexcept = default;

  // RSA, ECDSA (P-256/384/521) or Ed25519: anything else is refused when the key is made.
  KeyAlgorithm algorithm() const { return algorithm_; }
  std::string ToDer() const;
  // The subjectPublicKey BIT STRING's contents, which key identifiers hash (RFC 5280 4.2.1.2).
  std::string_view KeyBits() const;
  // Overwrites a fresh `target` (e.g. X509_get_X509_PUBKEY of a new X509) with a copy of this
  // key's encoding. A decoded key cached in `target` would not be updated.
  absl::Status CopyInto(X509_PUBKEY* target) const;
  const X509_PUBKEY* get() const { return pubkey_.get(); }

  // A usable EVP_PKEY (e.g. to verify a signature). EC and Ed25519 keys are imported from their
  // raw point, several times cheaper on OpenSSL 3.0 than the decoder; RSA goes through it.
  absl::StatusOr<EvpPkeyPtr> Decode() const;
  // True when the two encodings are the same key (byte-equal DER, or equal decoded keys).
  bool SameKeyAs(const PublicKey& other) const;

 private:
  PublicKey(X509PubkeyPtr pubkey, KeyAlgorithm algorithm);

  X509PubkeyPtr pubkey_;
  KeyAlgorithm algorithm_;
};

// Copies the encoded key `source` into a fresh `target` without decoding it (see above).
absl::Status CopyEncodedPublicKey(const X509_PUBKEY* source, X509_PUBKEY* target);

}  // namespace certforge::pki
