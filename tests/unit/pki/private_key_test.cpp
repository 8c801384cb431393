#include "lib/pki/private_key.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <optional>
#include <string>

#include "lib/pki/openssl_ptr.h"
#include "tests/unit/pki/key_fixtures.h"
#include "tests/unit/pki/pki_test_util.h"

namespace certforge::pki {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

struct GenerateCase {
  std::string name;
  KeyAlgorithm algorithm;
  int size;
  int expected_size;
};

class GenerateTest : public ::testing::TestWithParam<GenerateCase> {};

TEST_P(GenerateTest, GeneratesAndParsesBackFromPkcs8) {
  const GenerateCase& c = GetParam();
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(c.algorithm, c.size);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->algorithm(), c.algorithm);
  EXPECT_EQ(key->size(), c.expected_size);

  absl::StatusOr<std::string> pem = key->ToPkcs8Pem();
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_THAT(*pem, StartsWith("-----BEGIN PRIVATE KEY-----\n"));
  absl::StatusOr<PrivateKey> parsed = PrivateKey::FromPem(*pem);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->algorithm(), c.algorithm);
  EXPECT_EQ(parsed->size(), c.expected_size);
  EXPECT_EQ(parsed->curve_nid(), key->curve_nid());
  EXPECT_EQ(EVP_PKEY_eq(parsed->get(), key->get()), 1);
  EXPECT_EQ(*parsed->PublicKeyDer(), *key->PublicKeyDer());
}

INSTANTIATE_TEST_SUITE_P(
    EverySupportedSize, GenerateTest,
    ::testing::Values(GenerateCase{"Rsa2048", KeyAlgorithm::kRsa, 2048, 2048},
                      GenerateCase{"Rsa3072", KeyAlgorithm::kRsa, 3072, 3072},
                      GenerateCase{"Rsa4096", KeyAlgorithm::kRsa, 4096, 4096},
                      // The slowest case by far (tens of seconds on a busy machine).
                      GenerateCase{"Rsa8192", KeyAlgorithm::kRsa, 8192, 8192},
                      GenerateCase{"Ecdsa256", KeyAlgorithm::kEcdsa, 256, 256},
                      GenerateCase{"Ecdsa384", KeyAlgorithm::kEcdsa, 384, 384},
                      GenerateCase{"Ecdsa521", KeyAlgorithm::kEcdsa, 521, 521},
                      GenerateCase{"Ed25519", KeyAlgorithm::kEd25519, 0, 0},
                      GenerateCase{"Ed25519IgnoresSize", KeyAlgorithm::kEd25519, 4096, 0}),
    [](const auto& info) { return info.param.name; });

TEST(PrivateKey, EcdsaKeysUseTheNamedCurves) {
  EXPECT_EQ(test::CachedKey(KeyAlgorithm::kEcdsa, 256).curve_nid(), NID_X9_62_prime256v1);
  EXPECT_EQ(test::CachedKey(KeyAlgorithm::kEcdsa, 384).curve_nid(), NID_secp384r1);
  EXPECT_EQ(test::CachedKey(KeyAlgorithm::kEcdsa, 521).curve_nid(), NID_secp521r1);
  EXPECT_EQ(test::CachedKey(KeyAlgorithm::kRsa, 2048).curve_nid(), NID_undef);
}

TEST(PrivateKey, GeneratesDistinctKeys) {
  PrivateKey a = test::NewKey(KeyAlgorithm::kEcdsa, 256);
  PrivateKey b = test::NewKey(KeyAlgorithm::kEcdsa, 256);
  EXPECT_NE(EVP_PKEY_eq(a.get(), b.get()), 1);
}

struct BadSizeCase {
  KeyAlgorithm algorithm;
  int size;
};

class BadSizeTest : public ::testing::TestWithParam<BadSizeCase> {};

TEST_P(BadSizeTest, IsRefusedNamingTheSize) {
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(GetParam().algorithm, GetParam().size);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(key.status().message()),
              HasSubstr("key size " + std::to_string(GetParam().size) + ":"));
}

INSTANTIATE_TEST_SUITE_P(
    Unsupported, BadSizeTest,
    ::testing::Values(BadSizeCase{KeyAlgorithm::kRsa, 1024}, BadSizeCase{KeyAlgorithm::kRsa, 2047},
                      BadSizeCase{KeyAlgorithm::kRsa, 0}, BadSizeCase{KeyAlgorithm::kRsa, -2048},
                      BadSizeCase{KeyAlgorithm::kRsa, 16384},
                      BadSizeCase{KeyAlgorithm::kEcdsa, 224},
                      BadSizeCase{KeyAlgorithm::kEcdsa, 255}, BadSizeCase{KeyAlgorithm::kEcdsa, 0},
                      BadSizeCase{KeyAlgorithm::kEcdsa, 2048}));

struct Pkcs1Case {
  std::string name;
  KeyAlgorithm algorithm;
  int size;
  std::string header;
};

class Pkcs1Test : public ::testing::TestWithParam<Pkcs1Case> {};

TEST_P(Pkcs1Test, RoundTripsWithCertManagersHeader) {
  const PrivateKey& key = test::CachedKey(GetParam().algorithm, GetParam().size);
  absl::StatusOr<std::string> pem = key.ToPkcs1Pem();
  ASSERT_TRUE(pem.ok()) << pem.status();
  EXPECT_THAT(*pem, StartsWith(GetParam().header + "\n"));
  absl::StatusOr<PrivateKey> parsed = PrivateKey::FromPem(*pem);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->algorithm(), key.algorithm());
  EXPECT_EQ(parsed->size(), key.size());
  EXPECT_EQ(EVP_PKEY_eq(parsed->get(), key.get()), 1);
  // And the PKCS#8 form of the re-parsed key is the PKCS#8 form of the original.
  EXPECT_EQ(*parsed->ToPkcs8Pem(), *key.ToPkcs8Pem());
}

INSTANTIATE_TEST_SUITE_P(
    EveryAlgorithm, Pkcs1Test,
    ::testing::Values(
        Pkcs1Case{"Rsa", KeyAlgorithm::kRsa, 2048, "-----BEGIN RSA PRIVATE KEY-----"},
        Pkcs1Case{"Ecdsa256", KeyAlgorithm::kEcdsa, 256, "-----BEGIN EC PRIVATE KEY-----"},
        Pkcs1Case{"Ecdsa384", KeyAlgorithm::kEcdsa, 384, "-----BEGIN EC PRIVATE KEY-----"},
        Pkcs1Case{"Ecdsa521", KeyAlgorithm::kEcdsa, 521, "-----BEGIN EC PRIVATE KEY-----"},
        Pkcs1Case{"Ed25519", KeyAlgorithm::kEd25519, 0, "-----BEGIN PRIVATE KEY-----"}),
    [](const auto& info) { return info.param.name; });

struct FixtureCase {
  std::string name;
  const char* pkcs1_pem;  // PKCS#1 / SEC1, or PKCS#8 for Ed25519
  const char* pkcs8_pem;
  KeyAlgorithm algorithm;
  int size;
};

class FixtureTest : public ::testing::TestWithParam<FixtureCase> {};

// Keys written by the openssl command line parse, and re-encode to exactly the same bytes.
TEST_P(FixtureTest, ParsesBothEncodingsAndReencodesThemExactly) {
  const FixtureCase& c = GetParam();
  absl::StatusOr<PrivateKey> from_pkcs1 = PrivateKey::FromPem(c.pkcs1_pem);
  absl::StatusOr<PrivateKey> from_pkcs8 = PrivateKey::FromPem(c.pkcs8_pem);
  ASSERT_TRUE(from_pkcs1.ok()) << from_pkcs1.status();
  ASSERT_TRUE(from_pkcs8.ok()) << from_pkcs8.status();
  EXPECT_EQ(from_pkcs1->algorithm(), c.algorithm);
  EXPECT_EQ(from_pkcs1->size(), c.size);
  EXPECT_EQ(EVP_PKEY_eq(from_pkcs1->get(), from_pkcs8->get()), 1);
  EXPECT_EQ(*from_pkcs1->ToPkcs1Pem(), c.pkcs1_pem);
  EXPECT_EQ(*from_pkcs1->ToPkcs8Pem(), c.pkcs8_pem);
  EXPECT_EQ(*from_pkcs8->ToPkcs1Pem(), c.pkcs1_pem);
}

INSTANTIATE_TEST_SUITE_P(
    OpensslCli, FixtureTest,
    ::testing::Values(FixtureCase{"EcP256", test::kEcP256Sec1Pem, test::kEcP256Pkcs8Pem,
                                  KeyAlgorithm::kEcdsa, 256},
                      FixtureCase{"Rsa2048", test::kRsa2048Pkcs1Pem, test::kRsa2048Pkcs8Pem,
                                  KeyAlgorithm::kRsa, 2048},
                      FixtureCase{"Ed25519", test::kEd25519Pkcs8Pem, test::kEd25519Pkcs8Pem,
                                  KeyAlgorithm::kEd25519, 0}),
    [](const auto& info) { return info.param.name; });

TEST(PrivateKey, TakesTheFirstKeyAfterOtherText) {
  std::string pem = std::string("some comment\n") + test::kEcP256Sec1Pem + test::kEd25519Pkcs8Pem;
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(pem);
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_EQ(key->algorithm(), KeyAlgorithm::kEcdsa);
}

std::string Pkcs8Of(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr) {
  BioPtr bio = NewMemoryBio();
  char passphrase[] = "secret";
  EXPECT_EQ(PEM_write_bio_PKCS8PrivateKey(bio.get(), key, cipher, cipher ? passphrase : nullptr,
                                          cipher ? 6 : 0, nullptr, nullptr),
            1);
  return BioContents(bio.get());
}

std::string PemOfGenerated(const char* type, const char* param) {
  EvpPkeyPtr key(param ? EVP_PKEY_Q_keygen(nullptr, nullptr, type, param)
                       : EVP_PKEY_Q_keygen(nullptr, nullptr, type));
  EXPECT_NE(key, nullptr) << OpenSslErrors();
  return Pkcs8Of(key.get());
}

struct BadPemCase {
  std::string name;
  std::string pem;
  std::string message;
};

class BadPemTest : public ::testing::TestWithParam<BadPemCase> {};

TEST_P(BadPemTest, IsRefused) {
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(GetParam().pem);
  ASSERT_FALSE(key.ok());
  EXPECT_EQ(key.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(key.status().message()), HasSubstr(GetParam().message));
}

INSTANTIATE_TEST_SUITE_P(
    Unreadable, BadPemTest,
    ::testing::Values(
        BadPemCase{"Empty", "", "empty"}, BadPemCase{"Garbage", "not a key", "no readable"},
        BadPemCase{"BrokenBase64", "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n",
                   "no readable"},
        BadPemCase{"Encrypted",
                   Pkcs8Of(test::CachedKey(KeyAlgorithm::kEcdsa, 256).get(), EVP_aes_256_cbc()),
                   "encrypted"},
        BadPemCase{"Ed448", PemOfGenerated("ED448", nullptr), "unsupported private key type"},
        BadPemCase{"X25519", PemOfGenerated("X25519", nullptr), "unsupported private key type"},
        BadPemCase{"Secp256k1", PemOfGenerated("EC", "secp256k1"), "unsupported EC curve"}),
    [](const auto& info) { return info.param.name; });

TEST(PrivateKey, CopiesShareTheKeyAndOutliveTheOriginal) {
  std::optional<PrivateKey> original = test::NewKey(KeyAlgorithm::kEcdsa, 256);
  std::string public_der = *original->PublicKeyDer();
  PrivateKey copy = *original;
  EXPECT_EQ(copy.get(), original->get());
  PrivateKey assigned = test::CachedKey(KeyAlgorithm::kEd25519, 0);
  assigned = copy;
  original.reset();
  EXPECT_EQ(assigned.get(), copy.get());
  EXPECT_EQ(*copy.PublicKeyDer(), public_der);
  EXPECT_EQ(copy.algorithm(), KeyAlgorithm::kEcdsa);
  EXPECT_EQ(*assigned.PublicKeyDer(), public_der);
}

struct DigestCase {
  KeyAlgorithm algorithm;
  int size;
  int digest_nid;  // NID_undef: no digest
};

class DigestTest : public ::testing::TestWithParam<DigestCase> {};

TEST_P(DigestTest, FollowsTheSignersKey) {
  const EVP_MD* md = SignatureDigest(test::CachedKey(GetParam().algorithm, GetParam().size));
  EXPECT_EQ(md == nullptr ? NID_undef : EVP_MD_get_type(md), GetParam().digest_nid);
}

INSTANTIATE_TEST_SUITE_P(EveryAlgorithm, DigestTest,
                         ::testing::Values(DigestCase{KeyAlgorithm::kRsa, 2048, NID_sha256},
                                           DigestCase{KeyAlgorithm::kEcdsa, 256, NID_sha256},
                                           DigestCase{KeyAlgorithm::kEcdsa, 384, NID_sha384},
                                           DigestCase{KeyAlgorithm::kEcdsa, 521, NID_sha512},
                                           DigestCase{KeyAlgorithm::kEd25519, 0, NID_undef}));

TEST(KeyAlgorithmName, UsesCertManagersSpelling) {
  EXPECT_EQ(KeyAlgorithmName(KeyAlgorithm::kRsa), "RSA");
  EXPECT_EQ(KeyAlgorithmName(KeyAlgorithm::kEcdsa), "ECDSA");
  EXPECT_EQ(KeyAlgorithmName(KeyAlgorithm::kEd25519), "Ed25519");
}

}  // namespace
}  // namespace certforge::pki
