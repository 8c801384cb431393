#include "lib/pki/pkcs12_pbmac1.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include <array>

#include "lib/pki/der_encode.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {
namespace {

constexpr char kOidData[] = "1.2.840.113549.1.7.1";
constexpr char kOidPbmac1[] = "1.2.840.113549.1.5.14";
constexpr char kOidPbkdf2[] = "1.2.840.113549.1.5.12";
constexpr char kOidHmacWithSha256[] = "1.2.840.113549.2.9";
constexpr int kMacKeyLength = 32;

// PBMAC1-params { keyDerivationFunc PBKDF2 { salt, iterations, keyLength, prf }, messageAuthScheme
// }
std::string Pbmac1Algorithm(std::string_view salt, int iterations) {
  std::string hmac_sha256 = DerSequence({DerOid(kOidHmacWithSha256)});
  std::string pbkdf2_params =
      DerSequence({DerOctetString(salt), DerInteger(static_cast<uint64_t>(iterations)),
                   DerInteger(kMacKeyLength), hmac_sha256});
  std::string kdf = DerSequence({DerOid(kOidPbkdf2), pbkdf2_params});
  return DerSequence({DerOid(kOidPbmac1), DerSequence({kdf, hmac_sha256})});
}

}  // namespace

absl::StatusOr<std::string> EncodePfxWithPbmac1(std::string_view authenticated_safe,
                                                std::string_view password, int iterations,
                                                size_t salt_length) {
  if (iterations < 1) return absl::InvalidArgumentError("PBMAC1: iterations must be positive");
  std::string salt(salt_length, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(salt.data()), static_cast<int>(salt.size())) !=
      1) {
    return OpenSslError(absl::StatusCode::kInternal, "PBMAC1: random salt");
  }
  std::array<unsigned char, kMacKeyLength> key{};
  // An empty string_view may carry a null pointer, which PBKDF2 refuses.
  const char* password_bytes = password.data() != nullptr ? password.data() : "";
  if (PKCS5_PBKDF2_HMAC(password_bytes, static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt.data()),
                        static_cast<int>(salt.size()), iterations, EVP_sha256(), kMacKeyLength,
                        key.data()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "PBMAC1: PBKDF2");
  }
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int mac_length = 0;
  bool mac_ok = HMAC(EVP_sha256(), key.data(), kMacKeyLength,
                     reinterpret_cast<const unsigned char*>(authenticated_safe.data()),
                     authenticated_safe.size(), mac.data(), &mac_length) != nullptr;
  OPENSSL_cleanse(key.data(), key.size());
  if (!mac_ok) return OpenSslError(absl::StatusCode::kInternal, "PBMAC1: HMAC");

  std::string digest(reinterpret_cast<const char*>(mac.data()), mac_length);
  std::string mac_data =
      DerSequence({DerSequence({Pbmac1Algorithm(salt, iterations), DerOctetString(digest)}),
                   DerOctetString({}), DerInteger(0)});
  std::string auth_safe =
      DerSequence({DerOid(kOidData), DerTlv(0xA0, DerOctetString(authenticated_safe))});
  return DerSequence({DerInteger(3), auth_safe, mac_data});
}

}  // namespace certforge::pki
