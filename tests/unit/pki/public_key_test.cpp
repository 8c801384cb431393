#include "lib/pki/public_key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "lib/pki/openssl_ptr.h"
#include "tests/unit/pki/pki_test_util.h"

namespace certforge::pki {
namespace {

using ::testing::HasSubstr;

struct KeyCase {
  std::string name;
  KeyAlgorithm algorithm;
  int size;
  size_t key_bits_length;
};

class PublicKeyTest : public ::testing::TestWithParam<KeyCase> {};

// The encoder-free SubjectPublicKeyInfo must be byte-identical to OpenSSL's own.
TEST_P(PublicKeyTest, FastEncodingEqualsOpenSslEncoding) {
  const PrivateKey& key = test::CachedKey(GetParam().algorithm, GetParam().size);
  absl::StatusOr<PublicKey> pub = PublicKey::FromPrivateKey(key);
  ASSERT_TRUE(pub.ok()) << pub.status();
  EXPECT_EQ(pub->algorithm(), GetParam().algorithm);
  std::string expected = ToDer(key.get(), i2d_PUBKEY);
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(pub->ToDer(), expected);
  EXPECT_EQ(*key.PublicKeyDer(), expected);
  EXPECT_EQ(pub->KeyBits().size(), GetParam().key_bits_length);

  // Decoding it gives back the same key.
  const auto* p = reinterpret_cast<const unsigned char*>(expected.data());
  EvpPkeyPtr decoded(d2i_PUBKEY(nullptr, &p, static_cast<long>(expected.size())));
  ASSERT_NE(decoded, nullptr);
  EXPECT_EQ(EVP_PKEY_eq(decoded.get(), key.get()), 1);
}

TEST_P(PublicKeyTest, DerAndCopiesKeepTheBytes) {
  const PrivateKey& key = test::CachedKey(GetParam().algorithm, GetParam().size);
  std::string der = *key.PublicKeyDer();
  absl::StatusOr<PublicKey> parsed = PublicKey::FromDer(der);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->ToDer(), der);
  EXPECT_EQ(parsed->algorithm(), GetParam().algorithm);

  absl::StatusOr<PublicKey> copy = PublicKey::CopyOf(parsed->get());
  ASSERT_TRUE(copy.ok()) << copy.status();
  EXPECT_EQ(copy->ToDer(), der);
  EXPECT_EQ(copy->KeyBits(), parsed->KeyBits());
  EXPECT_NE(copy->get(), parsed->get());

  X509PubkeyPtr target(X509_PUBKEY_new());
  ASSERT_TRUE(copy->CopyInto(target.get()).ok());
  EXPECT_EQ(ToDer(target.get(), i2d_X509_PUBKEY), der);
}

INSTANTIATE_TEST_SUITE_P(EveryAlgorithm, PublicKeyTest,
                         ::testing::Values(KeyCase{"Rsa2048", KeyAlgorithm::kRsa, 2048, 270},
                                           KeyCase{"Ecdsa256", KeyAlgorithm::kEcdsa, 256, 65},
                                           KeyCase{"Ecdsa384", KeyAlgorithm::kEcdsa, 384, 97},
                                           KeyCase{"Ecdsa521", KeyAlgorithm::kEcdsa, 521, 133},
                                           KeyCase{"Ed25519", KeyAlgorithm::kEd25519, 0, 32}),
                         [](const auto& info) { return info.param.name; });

std::string SpkiOfGenerated(const char* type, const char* param) {
  EvpPkeyPtr key(param ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, param)
                       : EVP_PKEY_Q_keygen(nullptr, nullptr, type));
  EXPECT_NE(key, nullptr);
  return ToDer(key.get(), i2d_PUBKEY);
}

TEST(PublicKey, RefusesOtherAlgorithmsAndCurves) {
  struct Case {
    std::string der;
    std::string message;
  } cases[] = {
      {SpkiOfGenerated("EC", "secp256k1"), "curve must be P-256/384/521"},
      {SpkiOfGenerated("X25519", nullptr), "unsupported public key algorithm X25519"},
      {SpkiOfGenerated("ED448", nullptr), "unsupported public key algorithm ED448"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<PublicKey> parsed = PublicKey::FromDer(c.der);
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(parsed.status().message()), HasSubstr(c.message));
  }
}

TEST(PublicKey, RefusesMalformedDer) {
  std::string der = *test::CachedKey(KeyAlgorithm::kEcdsa, 256).PublicKeyDer();
  for (const std::string& bad : {std::string(), std::string("junk"), der.substr(0, der.size() - 1),
                                 der + std::string(1, '\0')}) {
    absl::StatusOr<PublicKey> parsed = PublicKey::FromDer(bad);
    ASSERT_FALSE(parsed.ok()) << bad.size();
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument);
  }
  EXPECT_FALSE(PublicKey::CopyOf(nullptr).ok());
}

}  // namespace
}  // namespace certforge::pki
