#include "lib/pki/signature_algorithm.h"

#include <openssl/obj_mac.h>

#include <string_view>

#include "absl/strings/str_cat.h"

namespace certforge::pki {
namespace {

struct SignatureAlgorithmEntry {
  std::string_view name;
  KeyAlgorithm key;
  const EVP_MD* (*digest)();
};

const EVP_MD* NoDigest() { return nullptr; }

constexpr SignatureAlgorithmEntry kSignatureAlgorithms[] = {
    {"SHA256WithRSA", KeyAlgorithm::kRsa, EVP_sha256},
    {"SHA384WithRSA", KeyAlgorithm::kRsa, EVP_sha384},
    {"SHA512WithRSA", KeyAlgorithm::kRsa, EVP_sha512},
    {"ECDSAWithSHA256", KeyAlgorithm::kEcdsa, EVP_sha256},
    {"ECDSAWithSHA384", KeyAlgorithm::kEcdsa, EVP_sha384},
    {"ECDSAWithSHA512", KeyAlgorithm::kEcdsa, EVP_sha512},
    {"PureEd25519", KeyAlgorithm::kEd25519, NoDigest},
};

const SignatureAlgorithmEntry* FindSignatureAlgorithm(std::string_view name) {
  for (const SignatureAlgorithmEntry& entry : kSignatureAlgorithms) {
    if (entry.name == name) return &entry;
  }
  return nullptr;
}

const EVP_MD* RsaDigest(int bits) {
  if (bits >= 4096) return EVP_sha512();
  if (bits >= 3072) return EVP_sha384();
  return EVP_sha256();
}

}  // namespace

const EVP_MD* CertificateSignatureDigest(const PrivateKey& signer) {
  switch (signer.algorithm()) {
    case KeyAlgorithm::kRsa:
      return RsaDigest(signer.size());
    case KeyAlgorithm::kEcdsa:
      return SignatureDigest(signer);
    case KeyAlgorithm::kEd25519:
      return nullptr;
  }
  return nullptr;
}

absl::StatusOr<KeyAlgorithm> SignatureAlgorithmKeyType(const std::string& signature_algorithm) {
  const SignatureAlgorithmEntry* entry = FindSignatureAlgorithm(signature_algorithm);
  if (entry == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported signature algorithm: ", signature_algorithm));
  }
  return entry->key;
}

absl::StatusOr<const EVP_MD*> CsrSignatureDigest(const CertificateSpec& spec,
                                                 const PrivateKey& key) {
  const std::string& algorithm = spec.private_key.algorithm;
  KeyAlgorithm spec_key;
  if (algorithm.empty() || algorithm == "RSA") {
    spec_key = KeyAlgorithm::kRsa;
  } else if (algorithm == "ECDSA") {
    spec_key = KeyAlgorithm::kEcdsa;
  } else if (algorithm == "Ed25519") {
    spec_key = KeyAlgorithm::kEd25519;
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("unsupported algorithm specified: ", algorithm,
                     ". should be either 'ecdsa', 'ed25519' or 'rsa"));
  }

  KeyAlgorithm wanted_key = spec_key;
  const EVP_MD* digest = nullptr;
  if (!spec.signature_algorithm.empty()) {
    const SignatureAlgorithmEntry* entry = FindSignatureAlgorithm(spec.signature_algorithm);
    if (entry == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("unsupported signature algorithm: ", spec.signature_algorithm));
    }
    wanted_key = entry->key;
    digest = entry->digest();
  } else {
    int size = spec.private_key.size;
    switch (spec_key) {
      case KeyAlgorithm::kRsa:
        if (size == 0) size = 2048;
        if (size < 2048) {
          return absl::InvalidArgumentError(
              absl::StrCat("invalid size ", size, " for RSA key on signing certificate"));
        }
        digest = RsaDigest(size);
        break;
      case KeyAlgorithm::kEcdsa:
        if (size == 0 || size == 256) {
          digest = EVP_sha256();
        } else if (size == 384) {
          digest = EVP_sha384();
        } else if (size == 521) {
          digest = EVP_sha512();
        } else {
          return absl::InvalidArgumentError(
              absl::StrCat("unsupported ecdsa keysize specified: ", size));
        }
        break;
      case KeyAlgorithm::kEd25519:
        digest = nullptr;
        break;
    }
  }
  // Go's signingParamsForKey: the algorithm must belong to the key that actually signs.
  if (wanted_key != key.algorithm()) {
    return absl::InvalidArgumentError(
        "x509: requested SignatureAlgorithm does not match private key type");
  }
  return digest;
}

}  // namespace certforge::pki
