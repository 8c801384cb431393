#include "lib/pki/private_key_der.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include <optional>
#include <string>

#include "lib/pki/der_encode.h"
#include "lib/pki/der_reader.h"

namespace certforge::pki {
namespace {

// OID contents (after tag and length).
constexpr std::string_view kEcPublicKey("\x2a\x86\x48\xce\x3d\x02\x01", 7);
constexpr std::string_view kEd25519("\x2b\x65\x70", 3);
constexpr std::string_view kRsaEncryption("\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01", 9);

const char* CurveGroup(std::string_view oid) {
  if (oid == std::string_view("\x2a\x86\x48\xce\x3d\x03\x01\x07", 8)) return "P-256";
  if (oid == std::string_view("\x2b\x81\x04\x00\x22", 5)) return "P-384";
  if (oid == std::string_view("\x2b\x81\x04\x00\x23", 5)) return "P-521";
  return nullptr;
}

struct EcParts {
  std::string_view scalar;
  const char* group = nullptr;  // from the key's own parameters, if it has them
  std::string_view point;       // uncompressed or compressed, without the BIT STRING's pad byte
};

// SEC1 ECPrivateKey: SEQUENCE { 1, OCTET STRING d, [0] { OID curve } OPTIONAL,
// [1] { BIT STRING point } OPTIONAL }.
std::optional<EcParts> ReadEcPrivateKey(std::string_view der) {
  auto sequence = ReadDerElement(der, V_ASN1_SEQUENCE, "ECPrivateKey");
  if (!sequence.ok() || !der.empty()) return std::nullopt;
  std::string_view in = sequence->contents;
  auto version = ReadDerElement(in, V_ASN1_INTEGER, "version");
  auto scalar = ReadDerElement(in, V_ASN1_OCTET_STRING, "privateKey");
  if (!version.ok() || version->contents != "\x01" || !scalar.ok()) return std::nullopt;
  EcParts parts{scalar->contents};
  while (!in.empty()) {
    auto field = ReadDerElement(in);
    if (!field.ok() || field->tag_class != V_ASN1_CONTEXT_SPECIFIC) return std::nullopt;
    std::string_view inner = field->contents;
    if (field->tag == 0) {
      auto oid = ReadDerElement(inner, V_ASN1_OBJECT, "namedCurve");
      if (!oid.ok() || (parts.group = CurveGroup(oid->contents)) == nullptr) return std::nullopt;
    } else if (field->tag == 1) {
      auto bits = ReadDerElement(inner, V_ASN1_BIT_STRING, "publicKey");
      if (!bits.ok() || bits->contents.size() < 2 || bits->contents[0] != 0) return std::nullopt;
      parts.point = bits->contents.substr(1);
    }
  }
  return parts;
}

EvpPkeyPtr ImportEc(const EcParts& parts) {
  if (parts.group == nullptr || parts.point.empty()) return nullptr;  // OpenSSL derives these
  // Secret material: cleared when freed.
  std::unique_ptr<BIGNUM, decltype(&BN_clear_free)> scalar(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(parts.scalar.data()),
                static_cast<int>(parts.scalar.size()), nullptr),
      BN_clear_free);
  std::unique_ptr<OSSL_PARAM_BLD, decltype(&OSSL_PARAM_BLD_free)> build(OSSL_PARAM_BLD_new(),
                                                                        OSSL_PARAM_BLD_free);
  if (!scalar || !build ||
      OSSL_PARAM_BLD_push_utf8_string(build.get(), OSSL_PKEY_PARAM_GROUP_NAME, parts.group, 0) !=
          1 ||
      OSSL_PARAM_BLD_push_BN(build.get(), OSSL_PKEY_PARAM_PRIV_KEY, scalar.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(build.get(), OSSL_PKEY_PARAM_PUB_KEY, parts.point.data(),
                                       parts.point.size()) != 1) {
    return nullptr;
  }
  std::unique_ptr<OSSL_PARAM, decltype(&OSSL_PARAM_free)> params(
      OSSL_PARAM_BLD_to_param(build.get()), OSSL_PARAM_free);
  EVP_PKEY_CTX* ctx = EcImportContext();
  EVP_PKEY* key = nullptr;
  if (!params || ctx == nullptr || EVP_PKEY_fromdata_init(ctx) != 1 ||
      EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params.get()) != 1) {
    return nullptr;
  }
  return EvpPkeyPtr(key);
}

// PKCS#8 PrivateKeyInfo: SEQUENCE { version, AlgorithmIdentifier { OID, parameters }, OCTET
// STRING key, ... }.
struct Pkcs8Parts {
  std::string_view algorithm;   // OID contents
  std::string_view parameters;  // what follows the OID in the AlgorithmIdentifier
  std::string_view key;         // the algorithm's own private key encoding
};

std::optional<Pkcs8Parts> ReadPkcs8Parts(std::string_view der) {
  auto sequence = ReadDerElement(der, V_ASN1_SEQUENCE, "PrivateKeyInfo");
  if (!sequence.ok() || !der.empty()) return std::nullopt;
  std::string_view in = sequence->contents;
  auto version = ReadDerElement(in, V_ASN1_INTEGER, "version");
  auto algorithm = ReadDerElement(in, V_ASN1_SEQUENCE, "privateKeyAlgorithm");
  auto key = ReadDerElement(in, V_ASN1_OCTET_STRING, "privateKey");
  if (!version.ok() || !algorithm.ok() || !key.ok()) return std::nullopt;
  std::string_view algorithm_in = algorithm->contents;
  auto oid = ReadDerElement(algorithm_in, V_ASN1_OBJECT, "algorithm");
  if (!oid.ok()) return std::nullopt;
  return Pkcs8Parts{oid->contents, algorithm_in, key->contents};
}

// The EC key of a PKCS#8 ecPublicKey payload, its curve named by the parameters (and by the key
// itself, if it says, the same one). `curve_oid` receives the curve's OID contents.
std::optional<EcParts> ReadPkcs8EcKey(const Pkcs8Parts& pkcs8, std::string_view* curve_oid) {
  std::string_view parameters = pkcs8.parameters;
  auto curve = ReadDerElement(parameters, V_ASN1_OBJECT, "namedCurve");
  if (!curve.ok()) return std::nullopt;
  const char* group = CurveGroup(curve->contents);
  auto parts = ReadEcPrivateKey(pkcs8.key);
  if (!parts || group == nullptr) return std::nullopt;
  if (parts->group != nullptr && parts->group != group) return std::nullopt;  // contradicts itself
  parts->group = group;
  if (curve_oid) *curve_oid = curve->contents;
  return parts;
}

EvpPkeyPtr ReadPkcs8(std::string_view der) {
  auto pkcs8 = ReadPkcs8Parts(der);
  if (!pkcs8) return nullptr;
  if (pkcs8->algorithm == kEd25519) {
    std::string_view key_in = pkcs8->key;
    auto seed = ReadDerElement(key_in, V_ASN1_OCTET_STRING, "CurvePrivateKey");
    if (!seed.ok() || seed->contents.size() != 32 || !key_in.empty()) return nullptr;
    return EvpPkeyPtr(EVP_PKEY_new_raw_private_key_ex(
        nullptr, "ED25519", nullptr, reinterpret_cast<const unsigned char*>(seed->contents.data()),
        seed->contents.size()));
  }
  if (pkcs8->algorithm != kEcPublicKey) return nullptr;
  auto parts = ReadPkcs8EcKey(*pkcs8, nullptr);
  return parts ? ImportEc(*parts) : nullptr;
}

struct PemBlock {
  std::string type;
  std::string der;
};

std::optional<PemBlock> ReadPemBlock(std::string_view pem) {
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;
  if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1) return std::nullopt;
  PemBlock block{name, std::string(reinterpret_cast<const char*>(data), length)};
  bool encrypted = header != nullptr && header[0] != '\0';
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_clear_free(data, length);  // key material
  if (encrypted) return std::nullopt;
  return block;
}

std::optional<std::string> WritePemBlock(const PemBlock& block) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio(bio.get(), block.type.c_str(), "",
                            reinterpret_cast<const unsigned char*>(block.der.data()),
                            static_cast<long>(block.der.size())) <= 0) {
    return std::nullopt;
  }
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, length);
}

// PKCS#8 → SEC1 (with the curve moved in as [0]) or PKCS#1 (the PKCS#8 payload as it is).
std::optional<PemBlock> TraditionalFromPkcs8(std::string_view der) {
  auto pkcs8 = ReadPkcs8Parts(der);
  if (!pkcs8) return std::nullopt;
  if (pkcs8->algorithm == kRsaEncryption) {
    std::string_view rsa = pkcs8->key;
    auto rsa_key = ReadDerElement(rsa, V_ASN1_SEQUENCE, "RSAPrivateKey");
    if (!rsa_key.ok() || !rsa.empty()) return std::nullopt;
    return PemBlock{"RSA PRIVATE KEY", std::string(pkcs8->key)};
  }
  if (pkcs8->algorithm != kEcPublicKey) return std::nullopt;
  std::string_view curve_oid;
  auto parts = ReadPkcs8EcKey(*pkcs8, &curve_oid);
  if (!parts || parts->point.empty()) return std::nullopt;
  std::string point_bits = std::string(1, '\0') + std::string(parts->point);
  std::string sec1 = DerSequence({DerInteger(1), DerOctetString(parts->scalar),
                                  DerTlv(0xa0, DerTlv(V_ASN1_OBJECT, curve_oid)),
                                  DerTlv(0xa1, DerTlv(V_ASN1_BIT_STRING, point_bits))});
  return PemBlock{"EC PRIVATE KEY", std::move(sec1)};
}

}  // namespace

std::optional<std::string> ReencodePrivateKeyPem(std::string_view pem, bool traditional) {
  auto block = ReadPemBlock(pem);
  if (!block) return std::nullopt;
  std::optional<PemBlock> out;
  if (block->type == "PRIVATE KEY") {
    out = traditional ? TraditionalFromPkcs8(block->der) : std::move(block);
  } else if (traditional && block->type == "EC PRIVATE KEY") {
    // As OpenSSL writes it only when it names its curve and carries its point.
    auto parts = ReadEcPrivateKey(block->der);
    if (parts && parts->group != nullptr && !parts->point.empty()) out = std::move(block);
  }
  if (block) OPENSSL_cleanse(block->der.data(), block->der.size());
  if (!out) return std::nullopt;
  auto pem_out = WritePemBlock(*out);
  OPENSSL_cleanse(out->der.data(), out->der.size());
  return pem_out;
}

EvpPkeyPtr DecodePrivateKeyDer(std::string_view pem_type, std::string_view der) {
  if (pem_type == "PRIVATE KEY") return ReadPkcs8(der);
  if (pem_type == "EC PRIVATE KEY") {
    auto parts = ReadEcPrivateKey(der);
    return parts ? ImportEc(*parts) : nullptr;
  }
  return nullptr;
}

EVP_PKEY_CTX* EcImportContext() {
  thread_local EvpPkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  return ctx.get();
}

}  // namespace certforge::pki
