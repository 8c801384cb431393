#include "lib/pki/private_key.h"

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <map>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/pki/private_key_der.h"
#include "lib/pki/public_key.h"

namespace certforge::pki {
namespace {

struct Curve {
  int bits;
  int nid;
  const char* group_name;
};
constexpr Curve kCurves[] = {
    {256, NID_X9_62_prime256v1, "P-256"},
    {384, NID_secp384r1, "P-384"},
    {521, NID_secp521r1, "P-521"},
};

const Curve* CurveByBits(int bits) {
  for (const Curve& c : kCurves) {
    if (c.bits == bits) return &c;
  }
  return nullptr;
}

const Curve* CurveByNid(int nid) {
  for (const Curve& c : kCurves) {
    if (c.nid == nid) return &c;
  }
  return nullptr;
}

bool IsSupportedRsaSize(int bits) {
  return bits == 2048 || bits == 3072 || bits == 4096 || bits == 8192;
}

const char* KeyTypeName(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kRsa:
      return "RSA";
    case KeyAlgorithm::kEcdsa:
      return "EC";
    case KeyAlgorithm::kEd25519:
      return "ED25519";
  }
  return "";
}

// Keygen contexts are kept per thread and reused: on OpenSSL 3.0 setting one up (provider
// fetch) costs more than generating a P-256 key with it.
absl::StatusOr<EVP_PKEY_CTX*> KeygenContext(KeyAlgorithm algorithm, int size) {
  thread_local std::map<std::pair<KeyAlgorithm, int>, EvpPkeyCtxPtr> contexts;
  auto id = std::make_pair(algorithm, size);
  if (auto it = contexts.find(id); it != contexts.end()) return it->second.get();

  EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, KeyTypeName(algorithm), nullptr));
  if (!ctx || EVP_PKEY_keygen_init(ctx.get()) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "setting up key generation");
  }
  bool configured = true;
  if (algorithm == KeyAlgorithm::kRsa) {
    configured = EVP_PKEY_CTX_set_rsa_keygen_bits(ctx.get(), size) > 0;
  } else if (algorithm == KeyAlgorithm::kEcdsa) {
    configured = EVP_PKEY_CTX_set_group_name(ctx.get(), CurveByBits(size)->group_name) > 0;
  }
  if (!configured) return OpenSslError(absl::StatusCode::kInternal, "configuring key generation");
  return contexts.emplace(id, std::move(ctx)).first->second.get();
}

// Never prompt on a terminal for a passphrase: encrypted keys simply fail to load.
int RefusePassphrase(char*, int, int, void*) { return -1; }

EvpPkeyPtr ShareKey(EVP_PKEY* key) {
  if (key == nullptr || EVP_PKEY_up_ref(key) != 1) return nullptr;
  return EvpPkeyPtr(key);
}

}  // namespace

std::string_view KeyAlgorithmName(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kRsa:
      return "RSA";
    case KeyAlgorithm::kEcdsa:
      return "ECDSA";
    case KeyAlgorithm::kEd25519:
      return "Ed25519";
  }
  return "unknown";
}

PrivateKey::PrivateKey(EvpPkeyPtr key, KeyAlgorithm algorithm, int size, int curve_nid)
    : key_(std::move(key)),
      public_der_(std::make_shared<PublicDerCache>()),
      algorithm_(algorithm),
      size_(size),
      curve_nid_(curve_nid) {}

PrivateKey::PrivateKey(const PrivateKey& other)
    : key_(ShareKey(other.key_.get())),
      public_der_(other.public_der_),
      algorithm_(other.algorithm_),
      size_(other.size_),
      curve_nid_(other.curve_nid_) {}

PrivateKey& PrivateKey::operator=(const PrivateKey& other) {
  if (this != &other) *this = PrivateKey(other);
  return *this;
}

absl::StatusOr<PrivateKey> PrivateKey::Generate(KeyAlgorithm algorithm, int size) {
  int curve_nid = NID_undef;
  switch (algorithm) {
    case KeyAlgorithm::kRsa:
      if (!IsSupportedRsaSize(size)) {
        return absl::InvalidArgumentError(
            absl::StrCat("unsupported RSA key size ", size, ": must be 2048, 3072, 4096 or 8192"));
      }
      break;
    case KeyAlgorithm::kEcdsa: {
      const Curve* curve = CurveByBits(size);
      if (curve == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("unsupported ECDSA key size ", size, ": must be 256, 384 or 521"));
      }
      curve_nid = curve->nid;
      break;
    }
    case KeyAlgorithm::kEd25519:
      size = 0;
      break;
    default:
      return absl::InvalidArgumentError("unknown key algorithm");
  }
  absl::StatusOr<EVP_PKEY_CTX*> ctx = KeygenContext(algorithm, size);
  if (!ctx.ok()) return ctx.status();
  EVP_PKEY* generated = nullptr;
  if (EVP_PKEY_keygen(*ctx, &generated) <= 0) {
    return OpenSslError(
        absl::StatusCode::kInternal,
        absl::StrCat("generating ", std::string(KeyAlgorithmName(algorithm)), " key"));
  }
  return PrivateKey(EvpPkeyPtr(generated), algorithm, size, curve_nid);
}

namespace {

// The first private key block of `pem` read without OpenSSL's decoder (private_key_der.h), or
// nullptr to leave it to OpenSSL.
EvpPkeyPtr DecodeFirstKeyBlock(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  if (!bio) return nullptr;
  EvpPkeyPtr key;
  while (true) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* data = nullptr;
    long length = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1) break;
    std::string_view type(name);
    bool is_key = type.size() >= 11 && type.substr(type.size() - 11) == "PRIVATE KEY";
    if (is_key && header[0] == '\0') {  // no headers: not a legacy encrypted key
      key = DecodePrivateKeyDer(
          type, std::string_view(reinterpret_cast<const char*>(data), static_cast<size_t>(length)));
    }
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_clear_free(data, static_cast<size_t>(length));
    if (is_key) break;
  }
  ERR_clear_error();  // the end of input, or whatever OpenSSL will say again below
  return key;
}

}  // namespace

absl::StatusOr<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  if (pem.empty()) return absl::InvalidArgumentError("private key PEM is empty");
  if (EvpPkeyPtr fast = DecodeFirstKeyBlock(pem)) return FromEvpPkey(std::move(fast));
  BioPtr bio = MemoryBio(pem);
  if (!bio) return OpenSslError(absl::StatusCode::kInternal, "allocating BIO");
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, &RefusePassphrase, nullptr));
  if (!key) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "no readable private key in PEM (encrypted keys are not supported)");
  }
  return FromEvpPkey(std::move(key));
}

absl::StatusOr<PrivateKey> PrivateKey::FromEvpPkey(EvpPkeyPtr key) {
  if (!key) return absl::InvalidArgumentError("no key");
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA: {
      int bits = EVP_PKEY_get_bits(key.get());
      return PrivateKey(std::move(key), KeyAlgorithm::kRsa, bits, NID_undef);
    }
    case EVP_PKEY_EC: {
      char group[80] = {};
      size_t length = 0;
      if (EVP_PKEY_get_group_name(key.get(), group, sizeof(group), &length) != 1) {
        OpenSslErrors();  // drop the lookup failure: the message below says what matters
        return absl::InvalidArgumentError(
            "EC key without a named curve (explicit curve parameters are not supported)");
      }
      int nid = OBJ_txt2nid(group);
      if (nid == NID_undef) nid = EC_curve_nist2nid(group);
      const Curve* curve = CurveByNid(nid);
      if (curve == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat("unsupported EC curve ", group, ": must be P-256, P-384 or P-521"));
      }
      return PrivateKey(std::move(key), KeyAlgorithm::kEcdsa, curve->bits, curve->nid);
    }
    case EVP_PKEY_ED25519:
      return PrivateKey(std::move(key), KeyAlgorithm::kEd25519, 0, NID_undef);
    default: {
      const char* type = EVP_PKEY_get0_type_name(key.get());
      return absl::InvalidArgumentError(absl::StrCat("unsupported private key type ",
                                                     type != nullptr ? type : "(unknown)",
                                                     ": must be RSA, ECDSA or Ed25519"));
    }
  }
}

absl::StatusOr<std::string> PrivateKey::ToPkcs8Pem() const {
  BioPtr bio = NewMemoryBio();
  if (!bio || PEM_write_bio_PKCS8PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr,
                                            nullptr) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "encoding private key as PKCS#8");
  }
  return BioContents(bio.get());
}

absl::StatusOr<std::string> PrivateKey::ToPkcs1Pem() const {
  if (algorithm_ == KeyAlgorithm::kEd25519) return ToPkcs8Pem();
  BioPtr bio = NewMemoryBio();
  if (!bio || PEM_write_bio_PrivateKey_traditional(bio.get(), key_.get(), nullptr, nullptr, 0,
                                                   nullptr, nullptr) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "encoding private key as PKCS#1/SEC1");
  }
  return BioContents(bio.get());
}

absl::StatusOr<std::string> PrivateKey::PublicKeyDer() const {
  auto encode = [this]() -> absl::StatusOr<std::string> {
    absl::StatusOr<PublicKey> pub = PublicKey::FromPrivateKey(*this);
    if (!pub.ok()) return pub.status();
    return pub->ToDer();
  };
  if (!public_der_) return encode();  // a moved-from key
  std::call_once(public_der_->once, [&] { public_der_->der = encode(); });
  return public_der_->der;
}

const EVP_MD* SignatureDigest(const PrivateKey& key) {
  switch (key.algorithm()) {
    case KeyAlgorithm::kRsa:
      return EVP_sha256();
    case KeyAlgorithm::kEcdsa:
      if (key.curve_nid() == NID_secp384r1) return EVP_sha384();
      if (key.curve_nid() == NID_secp521r1) return EVP_sha512();
      return EVP_sha256();
    case KeyAlgorithm::kEd25519:
      return nullptr;
  }
  return nullptr;
}

}  // namespace certforge::pki
