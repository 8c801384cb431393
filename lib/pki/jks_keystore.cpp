#include "lib/pki/jks_keystore.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/der_encode.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/pkcs12_ptr.h"

namespace certforge::pki {
namespace {

constexpr uint32_t kMagic = 0xFEEDFEED;
constexpr uint32_t kVersion = 2;
constexpr uint32_t kPrivateKeyTag = 1;
constexpr uint32_t kTrustedCertificateTag = 2;
constexpr char kWhitener[] = "Mighty Aphrodite";
constexpr char kCertificateType[] = "X509";  // cert-manager's spelling; Java writes "X.509"
// Sun's proprietary key protection algorithm (sun.security.provider.KeyProtector).
constexpr char kOidKeyProtector[] = "1.3.6.1.4.1.42.2.17.1.1";
constexpr size_t kSaltLength = 20;
constexpr size_t kSha1Length = 20;

// Appends big-endian integers and length-prefixed fields.
class BigEndianWriter {
 public:
  void U16(uint16_t v) { Int(v, 2); }
  void U32(uint32_t v) { Int(v, 4); }
  void U64(uint64_t v) { Int(v, 8); }
  void Bytes(std::string_view bytes) { out_ += bytes; }
  // u16 length + bytes (DataOutputStream.writeUTF for the ASCII aliases Java writes).
  absl::Status ShortString(std::string_view text) {
    if (text.size() > std::numeric_limits<uint16_t>::max()) {
      return absl::InvalidArgumentError(
          absl::StrCat("JKS: string of ", text.size(), " bytes, the limit is 65535"));
    }
    U16(static_cast<uint16_t>(text.size()));
    Bytes(text);
    return absl::OkStatus();
  }
  // u32 length + bytes.
  absl::Status LongBytes(std::string_view bytes) {
    if (bytes.size() > std::numeric_limits<uint32_t>::max()) {
      return absl::InvalidArgumentError("JKS: field longer than 4 GiB");
    }
    U32(static_cast<uint32_t>(bytes.size()));
    Bytes(bytes);
    return absl::OkStatus();
  }
  const std::string& bytes() const { return out_; }

 private:
  void Int(uint64_t v, int width) {
    for (int shift = (width - 1) * 8; shift >= 0; shift -= 8) {
      out_ += static_cast<char>((v >> shift) & 0xff);
    }
  }
  std::string out_;
};

// keystore-go's passwordBytes: each byte b becomes {0, b}.
std::string PasswordBytes(std::string_view password) {
  std::string out;
  out.reserve(password.size() * 2);
  for (char c : password) {
    out += '\0';
    out += c;
  }
  return out;
}

std::string Sha1(std::string_view a, std::string_view b) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha1(), nullptr) != 1 ||
      EVP_DigestUpdate(ctx.get(), a.data(), a.size()) != 1 ||
      EVP_DigestUpdate(ctx.get(), b.data(), b.size()) != 1 ||
      EVP_DigestFinal_ex(ctx.get(), digest.data(), &length) != 1) {
    return {};
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

// Sun's KeyProtector: a SHA-1 keystream (d_1 = SHA1(pw || salt), d_i = SHA1(pw || d_{i-1}))
// XORed with the PKCS#8 key, framed as salt || ciphertext || SHA1(pw || plaintext), inside an
// EncryptedPrivateKeyInfo.
absl::StatusOr<std::string> ProtectKey(std::string_view plain, const std::string& password) {
  std::string salt(kSaltLength, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(kSaltLength)) !=
      1) {
    return OpenSslError(absl::StatusCode::kInternal, "JKS: random salt");
  }
  std::string out = salt;
  std::string digest = salt;
  for (size_t offset = 0; offset < plain.size(); offset += kSha1Length) {
    digest = Sha1(password, digest);
    if (digest.size() != kSha1Length) return OpenSslError(absl::StatusCode::kInternal, "SHA-1");
    for (size_t i = 0; i < kSha1Length && offset + i < plain.size(); ++i) {
      out += static_cast<char>(plain[offset + i] ^ digest[i]);
    }
  }
  std::string check = Sha1(password, plain);
  if (check.size() != kSha1Length) return OpenSslError(absl::StatusCode::kInternal, "SHA-1");
  out += check;
  OPENSSL_cleanse(digest.data(), digest.size());
  return DerSequence({DerSequence({DerOid(kOidKeyProtector), DerNull()}), DerOctetString(out)});
}

absl::StatusOr<std::string> Pkcs8Der(const PrivateKey& key) {
  Pkcs8InfoPtr info(EVP_PKEY2PKCS8(key.get()));
  if (!info) return OpenSslError(absl::StatusCode::kInternal, "PKCS#8 encoding of the key");
  std::string der = ToDer(info.get(), i2d_PKCS8_PRIV_KEY_INFO);
  if (der.empty()) return OpenSslError(absl::StatusCode::kInternal, "PKCS#8 encoding of the key");
  return der;
}

absl::Status WriteCertificate(BigEndianWriter& w, const Certificate& certificate) {
  absl::Status status = w.ShortString(kCertificateType);
  if (status.ok()) status = w.LongBytes(certificate.ToDer());
  return status;
}

// The entries of one keystore, keyed by lower-cased alias like keystore-go's map: setting an
// alias again replaces its entry (in place; keystore-go's order is Go's random map order).
class JksEntries {
 public:
  JksEntries(std::string_view password, Certificate::TimePoint created)
      : password_(PasswordBytes(password)),
        created_ms_(static_cast<uint64_t>(
            std::chrono::duration_cast<std::chrono::milliseconds>(created.time_since_epoch())
                .count())) {}
  ~JksEntries() { OPENSSL_cleanse(password_.data(), password_.size()); }
  JksEntries(const JksEntries&) = delete;
  JksEntries& operator=(const JksEntries&) = delete;

  absl::Status AddPrivateKey(std::string_view alias, const PrivateKey& key,
                             const std::vector<Certificate>& chain) {
    absl::StatusOr<std::string> plain = Pkcs8Der(key);
    if (!plain.ok()) return plain.status();
    absl::StatusOr<std::string> protected_key = ProtectKey(*plain, password_);
    OPENSSL_cleanse(plain->data(), plain->size());
    if (!protected_key.ok()) return protected_key.status();
    BigEndianWriter w;
    absl::Status status = Header(w, kPrivateKeyTag, alias);
    if (status.ok()) status = w.LongBytes(*protected_key);
    if (!status.ok()) return status;
    w.U32(static_cast<uint32_t>(chain.size()));
    for (const Certificate& certificate : chain) {
      status = WriteCertificate(w, certificate);
      if (!status.ok()) return status;
    }
    Set(alias, w.bytes());
    return absl::OkStatus();
  }

  // cert-manager's addCAsToJKSStore: "ca" for the first, "ca-<i>" for the others.
  absl::Status AddCas(const std::vector<Certificate>& cas) {
    for (size_t i = 0; i < cas.size(); ++i) {
      std::string alias = i == 0 ? "ca" : absl::StrCat("ca-", i);
      BigEndianWriter w;
      absl::Status status = Header(w, kTrustedCertificateTag, alias);
      if (status.ok()) status = WriteCertificate(w, cas[i]);
      if (!status.ok()) return status;
      Set(alias, w.bytes());
    }
    return absl::OkStatus();
  }

  absl::StatusOr<std::string> Store() const {
    BigEndianWriter w;
    w.U32(kMagic);
    w.U32(kVersion);
    w.U32(static_cast<uint32_t>(entries_.size()));
    for (const auto& [alias, entry] : entries_) w.Bytes(entry);
    std::string keyed = password_ + kWhitener;
    std::string integrity = Sha1(keyed, w.bytes());
    OPENSSL_cleanse(keyed.data(), keyed.size());
    if (integrity.size() != kSha1Length) {
      return OpenSslError(absl::StatusCode::kInternal, "JKS: integrity hash");
    }
    w.Bytes(integrity);
    return w.bytes();
  }

 private:
  static std::string Lowercase(std::string_view alias) {
    std::string out(alias);
    for (char& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
  }

  absl::Status Header(BigEndianWriter& w, uint32_t tag, std::string_view alias) const {
    w.U32(tag);
    absl::Status status = w.ShortString(Lowercase(alias));
    w.U64(created_ms_);
    return status;
  }

  void Set(std::string_view alias, std::string entry) {
    std::string key = Lowercase(alias);
    for (auto& [existing, bytes] : entries_) {
      if (existing == key) {
        bytes = std::move(entry);
        return;
      }
    }
    entries_.emplace_back(std::move(key), std::move(entry));
  }

  std::string password_;
  uint64_t created_ms_;
  std::vector<std::pair<std::string, std::string>> entries_;
};

}  // namespace

absl::StatusOr<std::string> EncodeJksKeystore(const PrivateKey& key,
                                              const std::vector<Certificate>& chain,
                                              const std::vector<Certificate>& cas,
                                              std::string_view password, std::string_view alias,
                                              Certificate::TimePoint created) {
  if (chain.empty()) return absl::InvalidArgumentError("JKS keystore: no certificate");
  JksEntries entries(password, created);
  absl::Status status = entries.AddPrivateKey(alias, key, chain);
  if (status.ok()) status = entries.AddCas(cas);
  if (!status.ok()) return status;
  return entries.Store();
}

absl::StatusOr<std::string> EncodeJksTruststore(const std::vector<Certificate>& cas,
                                                std::string_view password,
                                                Certificate::TimePoint created) {
  if (cas.empty()) return absl::InvalidArgumentError("JKS truststore: no CA certificate");
  JksEntries entries(password, created);
  absl::Status status = entries.AddCas(cas);
  if (!status.ok()) return status;
  return entries.Store();
}

}  // namespace certforge::pki
