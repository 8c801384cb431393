#include "lib/pki/pkcs12_keystore.h"

#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <array>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/der_encode.h"
#include "lib/pki/go_name_string.h"
#include "lib/pki/go_utf8.h"
#include "lib/pki/legacy_algorithms.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/pkcs12_pbmac1.h"
#include "lib/pki/pkcs12_ptr.h"

namespace certforge::pki {
namespace {

enum class MacKind { kSha1, kSha256, kPbmac1 };

// go-pkcs12's encoder settings for one profile.
struct ProfileParams {
  int certificate_pbe;  // a PKCS#12 PBE NID, or a cipher NID for PBES2
  int key_pbe;
  int salt_length;
  MacKind mac;
  int mac_iterations;
  bool needs_legacy_provider;
};

constexpr int kEncryptionIterations = 2048;
// Oracle's attribute that makes Java read a certificate bag as a trusted certificate entry; its
// value lists the extended key usages the anchor is trusted for.
constexpr char kOidJavaTrustedKeyUsage[] = "2.16.840.1.113894.746875.1.1";
constexpr char kOidAnyExtendedKeyUsage[] = "2.5.29.37.0";

ProfileParams ParamsFor(Pkcs12Profile profile) {
  switch (profile) {
    case Pkcs12Profile::kLegacyDES:
      return {NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
              NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
              8,
              MacKind::kSha1,
              1,
              false};
    case Pkcs12Profile::kModern2023:
      return {NID_aes_256_cbc, NID_aes_256_cbc, 16, MacKind::kSha256, 2048, false};
    case Pkcs12Profile::kModern2026:
      return {NID_aes_256_cbc, NID_aes_256_cbc, 16, MacKind::kPbmac1, 2048, false};
    case Pkcs12Profile::kLegacyRC2:
      break;
  }
  return {NID_pbe_WithSHA1And40BitRC2_CBC,
          NID_pbe_WithSHA1And3_Key_TripleDES_CBC,
          8,
          MacKind::kSha1,
          1,
          true};
}

// go-pkcs12 encodes the password as a BMPString: invalid UTF-8 reads as U+FFFD, and anything
// outside the BMP is refused. OpenSSL makes the same BMPString from the sanitised UTF-8.
absl::StatusOr<std::string> Pkcs12Password(std::string_view password) {
  std::string sanitized = GoSanitizedUtf8(password);
  for (const GoRune& rune : GoRunes(sanitized)) {
    if (rune.code > 0xFFFF) {
      return absl::InvalidArgumentError(
          "PKCS#12 password contains characters that cannot be encoded in UCS-2");
    }
  }
  return sanitized;
}

// One encoding run: the profile, the library context its algorithms come from and the password.
class Pkcs12Encoder {
 public:
  static absl::StatusOr<Pkcs12Encoder> Create(Pkcs12Profile profile, std::string_view password) {
    ProfileParams params = ParamsFor(profile);
    OSSL_LIB_CTX* context = nullptr;  // the process's default context
    if (params.needs_legacy_provider) {
      absl::StatusOr<OSSL_LIB_CTX*> legacy = LegacyAlgorithmsContext();
      if (!legacy.ok()) return legacy.status();
      context = *legacy;
    }
    absl::StatusOr<std::string> text = Pkcs12Password(password);
    if (!text.ok()) return text.status();
    return Pkcs12Encoder(params, context, *std::move(text));
  }

  Pkcs12Encoder(Pkcs12Encoder&&) = default;
  ~Pkcs12Encoder() { OPENSSL_cleanse(password_.data(), password_.size()); }

  // Wraps `bags` in an EncryptedData safe (the certificate algorithm) and appends it to `safes`.
  absl::Status AddEncryptedSafe(STACK_OF(PKCS12_SAFEBAG) * bags, STACK_OF(PKCS7) * safes) const {
    Pkcs7Ptr safe(PKCS12_pack_p7encdata_ex(params_.certificate_pbe, password_.c_str(),
                                           PasswordLength(), nullptr, params_.salt_length,
                                           kEncryptionIterations, bags, context_, nullptr));
    return Append(std::move(safe), safes, "encrypting the certificates");
  }

  // Appends a plain Data safe with `key` as a shrouded key bag carrying `local_key_id`.
  absl::Status AddKeySafe(const PrivateKey& key, std::string_view local_key_id,
                          STACK_OF(PKCS7) * safes) const {
    Pkcs8InfoPtr info(EVP_PKEY2PKCS8(key.get()));
    if (!info) return OpenSslError(absl::StatusCode::kInternal, "PKCS#8 encoding of the key");
    SafeBagPtr bag(PKCS12_SAFEBAG_create_pkcs8_encrypt_ex(
        params_.key_pbe, password_.c_str(), PasswordLength(), nullptr, params_.salt_length,
        kEncryptionIterations, info.get(), context_, nullptr));
    if (!bag) return OpenSslError(absl::StatusCode::kInternal, "encrypting the private key");
    absl::Status status = SetLocalKeyId(bag.get(), local_key_id);
    if (!status.ok()) return status;
    SafeBagStackPtr bags(sk_PKCS12_SAFEBAG_new_null());
    if (!bags || sk_PKCS12_SAFEBAG_push(bags.get(), bag.get()) == 0) {
      return OpenSslError(absl::StatusCode::kInternal, "collecting the key bag");
    }
    bag.release();
    return Append(Pkcs7Ptr(PKCS12_pack_p7data(bags.get())), safes, "packing the key bag");
  }

  // The PFX around `safes`, with the profile's integrity MAC.
  absl::StatusOr<std::string> Finish(STACK_OF(PKCS7) * safes) const {
    if (params_.mac == MacKind::kPbmac1) {
      std::string contents;
      for (int i = 0; i < sk_PKCS7_num(safes); ++i) {
        contents += ToDer(sk_PKCS7_value(safes, i), i2d_PKCS7);
      }
      return EncodePfxWithPbmac1(DerTlv(0x30, contents), password_, params_.mac_iterations,
                                 static_cast<size_t>(params_.salt_length));
    }
    Pkcs12Ptr pfx(PKCS12_add_safes_ex(safes, 0, context_, nullptr));
    if (!pfx) return OpenSslError(absl::StatusCode::kInternal, "assembling the PKCS#12 file");
    const EVP_MD* digest = params_.mac == MacKind::kSha1 ? EVP_sha1() : EVP_sha256();
    if (PKCS12_set_mac(pfx.get(), password_.c_str(), PasswordLength(), nullptr, params_.salt_length,
                       params_.mac_iterations, digest) != 1) {
      return OpenSslError(absl::StatusCode::kInternal, "computing the PKCS#12 MAC");
    }
    std::string der = ToDer(pfx.get(), i2d_PKCS12);
    if (der.empty()) return OpenSslError(absl::StatusCode::kInternal, "encoding the PKCS#12 file");
    return der;
  }

 private:
  Pkcs12Encoder(ProfileParams params, OSSL_LIB_CTX* context, std::string password)
      : params_(params), context_(context), password_(std::move(password)) {}

  int PasswordLength() const { return static_cast<int>(password_.size()); }

  static absl::Status Append(Pkcs7Ptr safe, STACK_OF(PKCS7) * safes, std::string_view what) {
    if (!safe || sk_PKCS7_push(safes, safe.get()) == 0) {
      return OpenSslError(absl::StatusCode::kInternal, what);
    }
    safe.release();
    return absl::OkStatus();
  }

  static absl::Status SetLocalKeyId(PKCS12_SAFEBAG* bag, std::string_view id) {
    std::string copy(id);  // PKCS12_add_localkeyid takes a non-const pointer
    if (PKCS12_add_localkeyid(bag, reinterpret_cast<unsigned char*>(copy.data()),
                              static_cast<int>(copy.size())) != 1) {
      return OpenSslError(absl::StatusCode::kInternal, "setting localKeyID");
    }
    return absl::OkStatus();
  }

  ProfileParams params_;
  OSSL_LIB_CTX* context_;
  std::string password_;
};

absl::StatusOr<std::string> Sha1(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha1(), nullptr) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "SHA-1");
  }
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

absl::Status PushCertificateBag(const Certificate& certificate, STACK_OF(PKCS12_SAFEBAG) * bags,
                                PKCS12_SAFEBAG** added) {
  SafeBagPtr bag(PKCS12_SAFEBAG_create_cert(certificate.get()));
  if (!bag || sk_PKCS12_SAFEBAG_push(bags, bag.get()) == 0) {
    return OpenSslError(absl::StatusCode::kInternal, "making a certificate bag");
  }
  *added = bag.release();
  return absl::OkStatus();
}

absl::Status AddJavaTrustAttributes(PKCS12_SAFEBAG* bag, const Certificate& certificate) {
  Asn1ObjectPtr any_usage(OBJ_txt2obj(kOidAnyExtendedKeyUsage, 1));
  // With length -1, the attribute value is the ASN1_OBJECT itself (copied).
  if (!any_usage ||
      PKCS12_add1_attr_by_txt(bag, kOidJavaTrustedKeyUsage, V_ASN1_OBJECT,
                              reinterpret_cast<const unsigned char*>(any_usage.get()), -1) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "adding the Java trust attribute");
  }
  std::string name = GoNameString(X509_get_subject_name(certificate.get()));
  if (PKCS12_add_friendlyname_utf8(bag, name.c_str(), static_cast<int>(name.size())) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("friendlyName \"", name, "\""));
  }
  return absl::OkStatus();
}

// Leaves this thread's OpenSSL error queue empty whatever the outcome.
template <typename T>
T Drained(T result) {
  ERR_clear_error();
  return result;
}

absl::StatusOr<std::string> EncodeKeystore(const PrivateKey& key,
                                           const std::vector<Certificate>& chain,
                                           const std::vector<Certificate>& cas,
                                           std::string_view password, Pkcs12Profile profile) {
  if (chain.empty()) return absl::InvalidArgumentError("PKCS#12 keystore: no certificate");
  absl::StatusOr<Pkcs12Encoder> encoder = Pkcs12Encoder::Create(profile, password);
  if (!encoder.ok()) return encoder.status();
  absl::StatusOr<std::string> local_key_id = Sha1(chain.front().ToDer());
  if (!local_key_id.ok()) return local_key_id.status();

  SafeBagStackPtr bags(sk_PKCS12_SAFEBAG_new_null());
  Pkcs7StackPtr safes(sk_PKCS7_new_null());
  if (!bags || !safes) return OpenSslError(absl::StatusCode::kInternal, "allocating stacks");
  std::vector<const Certificate*> certificates;
  for (const Certificate& c : chain) certificates.push_back(&c);
  for (const Certificate& c : cas) certificates.push_back(&c);
  for (size_t i = 0; i < certificates.size(); ++i) {
    PKCS12_SAFEBAG* bag = nullptr;
    absl::Status status = PushCertificateBag(*certificates[i], bags.get(), &bag);
    if (status.ok() && i == 0 &&
        PKCS12_add_localkeyid(bag, reinterpret_cast<unsigned char*>(local_key_id->data()),
                              static_cast<int>(local_key_id->size())) != 1) {
      status = OpenSslError(absl::StatusCode::kInternal, "setting localKeyID");
    }
    if (!status.ok()) return status;
  }
  absl::Status status = encoder->AddEncryptedSafe(bags.get(), safes.get());
  if (status.ok()) status = encoder->AddKeySafe(key, *local_key_id, safes.get());
  if (!status.ok()) return status;
  return encoder->Finish(safes.get());
}

absl::StatusOr<std::string> EncodeTruststore(const std::vector<Certificate>& cas,
                                             std::string_view password, Pkcs12Profile profile) {
  if (cas.empty()) return absl::InvalidArgumentError("PKCS#12 truststore: no CA certificate");
  absl::StatusOr<Pkcs12Encoder> encoder = Pkcs12Encoder::Create(profile, password);
  if (!encoder.ok()) return encoder.status();
  SafeBagStackPtr bags(sk_PKCS12_SAFEBAG_new_null());
  Pkcs7StackPtr safes(sk_PKCS7_new_null());
  if (!bags || !safes) return OpenSslError(absl::StatusCode::kInternal, "allocating stacks");
  for (const Certificate& ca : cas) {
    PKCS12_SAFEBAG* bag = nullptr;
    absl::Status status = PushCertificateBag(ca, bags.get(), &bag);
    if (status.ok()) status = AddJavaTrustAttributes(bag, ca);
    if (!status.ok()) return status;
  }
  absl::Status status = encoder->AddEncryptedSafe(bags.get(), safes.get());
  if (!status.ok()) return status;
  return encoder->Finish(safes.get());
}

}  // namespace

absl::StatusOr<Pkcs12Profile> ParsePkcs12Profile(std::string_view name) {
  if (name.empty() || name == "LegacyRC2") return Pkcs12Profile::kLegacyRC2;
  if (name == "LegacyDES") return Pkcs12Profile::kLegacyDES;
  if (name == "Modern2023") return Pkcs12Profile::kModern2023;
  if (name == "Modern2026") return Pkcs12Profile::kModern2026;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown PKCS#12 profile \"", std::string(name),
                   "\": supported values are LegacyRC2, LegacyDES, Modern2023, Modern2026"));
}

std::string_view Pkcs12ProfileName(Pkcs12Profile profile) {
  switch (profile) {
    case Pkcs12Profile::kLegacyRC2:
      return "LegacyRC2";
    case Pkcs12Profile::kLegacyDES:
      return "LegacyDES";
    case Pkcs12Profile::kModern2023:
      return "Modern2023";
    case Pkcs12Profile::kModern2026:
      return "Modern2026";
  }
  return "LegacyRC2";
}

absl::StatusOr<std::string> EncodePkcs12Keystore(const PrivateKey& key,
                                                 const std::vector<Certificate>& chain,
                                                 const std::vector<Certificate>& cas,
                                                 std::string_view password, Pkcs12Profile profile) {
  return Drained(EncodeKeystore(key, chain, cas, password, profile));
}

absl::StatusOr<std::string> EncodePkcs12Truststore(const std::vector<Certificate>& cas,
                                                   std::string_view password,
                                                   Pkcs12Profile profile) {
  return Drained(EncodeTruststore(cas, password, profile));
}

}  // namespace certforge::pki
