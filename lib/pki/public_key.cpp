#include "lib/pki/public_key.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/params.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/private_key_der.h"

namespace certforge::pki {
namespace {

// Which of the algorithms cert-manager issues this encoded key is, judged from its OIDs alone.
absl::StatusOr<KeyAlgorithm> EncodedKeyAlgorithm(const X509_PUBKEY* pubkey) {
  ASN1_OBJECT* algorithm = nullptr;
  X509_ALGOR* algor = nullptr;
  if (X509_PUBKEY_get0_param(&algorithm, nullptr, nullptr, &algor, pubkey) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "malformed public key");
  }
  int nid = OBJ_obj2nid(algorithm);
  if (nid == NID_rsaEncryption) return KeyAlgorithm::kRsa;
  if (nid == NID_ED25519) return KeyAlgorithm::kEd25519;
  if (nid == NID_X9_62_id_ecPublicKey) {
    int param_type = 0;
    const void* param = nullptr;
    X509_ALGOR_get0(nullptr, &param_type, &param, algor);
    int curve = param_type == V_ASN1_OBJECT ? OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(param))
                                            : NID_undef;
    if (curve == NID_X9_62_prime256v1 || curve == NID_secp384r1 || curve == NID_secp521r1) {
      return KeyAlgorithm::kEcdsa;
    }
    return absl::InvalidArgumentError("unsupported EC public key: curve must be P-256/384/521");
  }
  char oid[80] = {};
  OBJ_obj2txt(oid, sizeof(oid), algorithm, 0);
  return absl::InvalidArgumentError(absl::StrCat("unsupported public key algorithm ", oid));
}

// An X509_PUBKEY from an algorithm OID, its parameter and the raw key bits.
absl::StatusOr<X509PubkeyPtr> AssemblePubkey(int algorithm_nid, int param_type, int param_nid,
                                             std::string_view bits) {
  X509PubkeyPtr pubkey(X509_PUBKEY_new());
  OpenSslBytesPtr encoded(static_cast<unsigned char*>(OPENSSL_memdup(bits.data(), bits.size())));
  if (!pubkey || !encoded) return OpenSslError(absl::StatusCode::kInternal, "allocating key");
  // Built-in OIDs from OBJ_nid2obj are static: handing them over transfers nothing to free.
  void* param = param_nid == NID_undef ? nullptr : OBJ_nid2obj(param_nid);
  if (X509_PUBKEY_set0_param(pubkey.get(), OBJ_nid2obj(algorithm_nid), param_type, param,
                             encoded.get(), static_cast<int>(bits.size())) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "assembling public key");
  }
  encoded.release();  // now owned by pubkey
  return pubkey;
}

// A copy of an AlgorithmIdentifier parameter, to hand to X509_PUBKEY_set0_param.
void* CopyAlgorithmParameter(int type, const void* value) {
  switch (type) {
    case V_ASN1_UNDEF:
    case V_ASN1_NULL:
      return nullptr;
    case V_ASN1_OBJECT:
      return OBJ_dup(static_cast<const ASN1_OBJECT*>(value));
    default:  // SEQUENCE and the string types are all ASN1_STRINGs
      return ASN1_STRING_dup(static_cast<const ASN1_STRING*>(value));
  }
}

void FreeAlgorithmParameter(int type, void* value) {
  if (value == nullptr) return;
  if (type == V_ASN1_OBJECT) {
    ASN1_OBJECT_free(static_cast<ASN1_OBJECT*>(value));
  } else {
    ASN1_STRING_free(static_cast<ASN1_STRING*>(value));
  }
}

// Curve group names for EVP_PKEY_fromdata.
const char* CurveGroupName(const X509_PUBKEY* pubkey) {
  X509_ALGOR* algor = nullptr;
  if (X509_PUBKEY_get0_param(nullptr, nullptr, nullptr, &algor, pubkey) != 1) return nullptr;
  int param_type = 0;
  const void* param = nullptr;
  X509_ALGOR_get0(nullptr, &param_type, &param, algor);
  if (param_type != V_ASN1_OBJECT) return nullptr;
  switch (OBJ_obj2nid(static_cast<const ASN1_OBJECT*>(param))) {
    case NID_X9_62_prime256v1:
      return "P-256";
    case NID_secp384r1:
      return "P-384";
    case NID_secp521r1:
      return "P-521";
    default:
      return nullptr;
  }
}

}  // namespace

PublicKey::PublicKey(X509PubkeyPtr pubkey, KeyAlgorithm algorithm)
    : pubkey_(std::move(pubkey)), algorithm_(algorithm) {}

absl::StatusOr<PublicKey> PublicKey::FromPrivateKey(const PrivateKey& key) {
  if (key.get() == nullptr) return absl::InvalidArgumentError("no key");
  absl::StatusOr<X509PubkeyPtr> pubkey;
  switch (key.algorithm()) {
    case KeyAlgorithm::kEcdsa: {
      // OpenSSL hands the point out uncompressed, whatever form the key was read in: the form
      // Go (so cert-manager) always writes, and the one RFC 5480 requires support for.
      unsigned char point[160];
      size_t length = 0;
      if (EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                          sizeof(point), &length) != 1) {
        return OpenSslError(absl::StatusCode::kInternal, "reading EC public key");
      }
      pubkey = AssemblePubkey(NID_X9_62_id_ecPublicKey, V_ASN1_OBJECT, key.curve_nid(),
                              std::string_view(reinterpret_cast<char*>(point), length));
      break;
    }
    case KeyAlgorithm::kEd25519: {
      unsigned char raw[64];
      size_t length = sizeof(raw);
      if (EVP_PKEY_get_raw_public_key(key.get(), raw, &length) != 1) {
        return OpenSslError(absl::StatusCode::kInternal, "reading Ed25519 public key");
      }
      pubkey = AssemblePubkey(NID_ED25519, V_ASN1_UNDEF, NID_undef,
                              std::string_view(reinterpret_cast<char*>(raw), length));
      break;
    }
    case KeyAlgorithm::kRsa: {
      // RSA goes through the encoder: its cost is small next to RSA keygen and signing.
      X509_PUBKEY* encoded = nullptr;
      if (X509_PUBKEY_set(&encoded, key.get()) != 1) {
        return OpenSslError(absl::StatusCode::kInternal, "encoding RSA public key");
      }
      pubkey = X509PubkeyPtr(encoded);
      break;
    }
  }
  if (!pubkey.ok()) return pubkey.status();
  return PublicKey(*std::move(pubkey), key.algorithm());
}

absl::StatusOr<PublicKey> PublicKey::FromDer(std::string_view der) {
  if (der.empty()) return absl::InvalidArgumentError("SubjectPublicKeyInfo DER is empty");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509PubkeyPtr pubkey(d2i_X509_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
  if (!pubkey || p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "malformed SubjectPublicKeyInfo DER");
  }
  absl::StatusOr<KeyAlgorithm> algorithm = EncodedKeyAlgorithm(pubkey.get());
  if (!algorithm.ok()) return algorithm.status();
  return PublicKey(std::move(pubkey), *algorithm);
}

absl::StatusOr<PublicKey> PublicKey::CopyOf(const X509_PUBKEY* source) {
  if (source == nullptr) return absl::InvalidArgumentError("no public key");
  absl::StatusOr<KeyAlgorithm> algorithm = EncodedKeyAlgorithm(source);
  if (!algorithm.ok()) return algorithm.status();
  X509PubkeyPtr pubkey(X509_PUBKEY_new());
  if (!pubkey) return OpenSslError(absl::StatusCode::kInternal, "allocating key");
  if (absl::Status copied = CopyEncodedPublicKey(source, pubkey.get()); !copied.ok()) {
    return copied;
  }
  return PublicKey(std::move(pubkey), *algorithm);
}

absl::StatusOr<PublicKey> PublicKey::FromParts(const X509_ALGOR* algorithm, std::string_view bits) {
  if (algorithm == nullptr) return absl::InvalidArgumentError("no key algorithm");
  const ASN1_OBJECT* oid = nullptr;
  int param_type = V_ASN1_UNDEF;
  const void* param = nullptr;
  X509_ALGOR_get0(&oid, &param_type, &param, algorithm);
  X509PubkeyPtr pubkey(X509_PUBKEY_new());
  Asn1ObjectPtr oid_copy(OBJ_dup(oid));
  void* param_copy = CopyAlgorithmParameter(param_type, param);
  OpenSslBytesPtr bits_copy(
      static_cast<unsigned char*>(OPENSSL_memdup(bits.empty() ? "" : bits.data(), bits.size())));
  bool param_missing = param != nullptr && param_copy == nullptr && param_type != V_ASN1_NULL &&
                       param_type != V_ASN1_UNDEF;
  if (!pubkey || !oid_copy || !bits_copy || param_missing ||
      X509_PUBKEY_set0_param(pubkey.get(), oid_copy.get(), param_type, param_copy, bits_copy.get(),
                             static_cast<int>(bits.size())) != 1) {
    FreeAlgorithmParameter(param_type, param_copy);
    return OpenSslError(absl::StatusCode::kInternal, "assembling public key");
  }
  oid_copy.release();  // all three now belong to pubkey
  bits_copy.release();
  absl::StatusOr<KeyAlgorithm> key_algorithm = EncodedKeyAlgorithm(pubkey.get());
  if (!key_algorithm.ok()) return key_algorithm.status();
  return PublicKey(std::move(pubkey), *key_algorithm);
}

absl::StatusOr<EvpPkeyPtr> PublicKey::Decode() const {
  std::string_view bits = KeyBits();
  EVP_PKEY* key = nullptr;
  switch (algorithm_) {
    case KeyAlgorithm::kEcdsa: {
      const char* group = CurveGroupName(pubkey_.get());
      EVP_PKEY_CTX* ctx = EcImportContext();
      if (group == nullptr || ctx == nullptr) break;
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, const_cast<char*>(group), 0),
          OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, const_cast<char*>(bits.data()),
                                            bits.size()),
          OSSL_PARAM_construct_end()};
      if (EVP_PKEY_fromdata_init(ctx) != 1 ||
          EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_PUBLIC_KEY, params) != 1) {
        key = nullptr;
      }
      break;
    }
    case KeyAlgorithm::kEd25519:
      key = EVP_PKEY_new_raw_public_key_ex(nullptr, "ED25519", nullptr,
                                           reinterpret_cast<const unsigned char*>(bits.data()),
                                           bits.size());
      break;
    case KeyAlgorithm::kRsa: {
      std::string der = ToDer();
      const auto* p = reinterpret_cast<const unsigned char*>(der.data());
      key = d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size()));
      break;
    }
  }
  if (key == nullptr) return OpenSslError(absl::StatusCode::kInvalidArgument, "invalid public key");
  return EvpPkeyPtr(key);
}

bool PublicKey::SameKeyAs(const PublicKey& other) const {
  if (algorithm_ != other.algorithm_) return false;
  if (ToDer() == other.ToDer()) return true;
  // The same EC point may be encoded compressed on one side.
  absl::StatusOr<EvpPkeyPtr> mine = Decode();
  absl::StatusOr<EvpPkeyPtr> theirs = other.Decode();
  bool equal = mine.ok() && theirs.ok() && EVP_PKEY_eq(mine->get(), theirs->get()) == 1;
  ERR_clear_error();
  return equal;
}

std::string PublicKey::ToDer() const { return pki::ToDer(pubkey_.get(), i2d_X509_PUBKEY); }

std::string_view PublicKey::KeyBits() const {
  const unsigned char* bits = nullptr;
  int length = 0;
  if (X509_PUBKEY_get0_param(nullptr, &bits, &length, nullptr, pubkey_.get()) != 1) return {};
  return std::string_view(reinterpret_cast<const char*>(bits), static_cast<size_t>(length));
}

absl::Status PublicKey::CopyInto(X509_PUBKEY* target) const {
  return CopyEncodedPublicKey(pubkey_.get(), target);
}

absl::Status CopyEncodedPublicKey(const X509_PUBKEY* source, X509_PUBKEY* target) {
  ASN1_OBJECT* algorithm = nullptr;
  const unsigned char* bits = nullptr;
  int length = 0;
  X509_ALGOR* algor = nullptr;
  if (X509_PUBKEY_get0_param(&algorithm, &bits, &length, &algor, source) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "malformed public key");
  }
  int param_type = V_ASN1_UNDEF;
  const void* param = nullptr;
  X509_ALGOR_get0(nullptr, &param_type, &param, algor);

  Asn1ObjectPtr algorithm_copy(OBJ_dup(algorithm));
  void* param_copy = CopyAlgorithmParameter(param_type, param);
  OpenSslBytesPtr bits_copy(static_cast<unsigned char*>(OPENSSL_memdup(bits, length)));
  bool param_missing = param != nullptr && param_copy == nullptr && param_type != V_ASN1_NULL &&
                       param_type != V_ASN1_UNDEF;
  if (!algorithm_copy || !bits_copy || param_missing ||
      X509_PUBKEY_set0_param(target, algorithm_copy.get(), param_type, param_copy, bits_copy.get(),
                             length) != 1) {
    FreeAlgorithmParameter(param_type, param_copy);
    return OpenSslError(absl::StatusCode::kInternal, "copying public key");
  }
  algorithm_copy.release();  // all three now belong to target
  bits_copy.release();
  return absl::OkStatus();
}

}  // namespace certforge::pki
