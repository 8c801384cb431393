// Keys read without OpenSSL's decoder are the keys OpenSSL's decoder reads; what the fast path
// does not handle is left to OpenSSL. PKCS#8 keys re-encoded from their DER are what OpenSSL
// writes.

#include "lib/pki/private_key_der.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <string>

#include "lib/pki/private_key.h"

namespace certforge::pki {
namespace {

// PKCS#8 or the key's traditional form (SEC1 for EC keys), as DER.
std::string Der(const PrivateKey& key, bool pkcs8) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (pkcs8) {
    i2d_PKCS8PrivateKey_bio(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr);
  } else {
    i2d_PrivateKey_bio(bio.get(), key.get());
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

// A P-256 SEC1 key with its [1] public point cut off.
std::string WithoutPublicPoint(const std::string& sec1) {
  // 30 77 | 02 01 01 | 04 20 <scalar> | a0 0a 06 08 <curve> | a1 44 ...
  size_t parameters = sec1.find(std::string("\xa0\x0a\x06\x08", 4));
  if (parameters == std::string::npos) return "";
  std::string cut = sec1.substr(0, parameters + 12);
  cut[1] = static_cast<char>(cut.size() - 2);  // still a short-form length
  return cut;
}

// `der` in a PEM block of `type`.
std::string Pem(const char* type, const std::string& der) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio(bio.get(), type, "", reinterpret_cast<const unsigned char*>(der.data()),
                static_cast<long>(der.size()));
  char* data = nullptr;
  long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(size));
}

struct Case {
  KeyAlgorithm algorithm;
  int size;
};

class FastKeyTest : public ::testing::TestWithParam<Case> {};

TEST_P(FastKeyTest, ReadsWhatOpenSslReads) {
  auto key = PrivateKey::Generate(GetParam().algorithm, GetParam().size);
  ASSERT_TRUE(key.ok()) << key.status();
  for (bool pkcs8 : {true, false}) {
    if (!pkcs8 && GetParam().algorithm == KeyAlgorithm::kEd25519) continue;  // PKCS#8 only
    std::string der = Der(*key, pkcs8);
    EvpPkeyPtr fast = DecodePrivateKeyDer(pkcs8 ? "PRIVATE KEY" : "EC PRIVATE KEY", der);
    ASSERT_NE(fast, nullptr) << (pkcs8 ? "PKCS#8" : "SEC1");
    EXPECT_EQ(EVP_PKEY_eq(fast.get(), key->get()), 1) << (pkcs8 ? "PKCS#8" : "SEC1");
    // And it signs: the private half came through too.
    auto adopted = PrivateKey::FromEvpPkey(std::move(fast));
    ASSERT_TRUE(adopted.ok()) << adopted.status();
    EXPECT_EQ(*adopted->ToPkcs8Pem(), *key->ToPkcs8Pem());
  }
}

INSTANTIATE_TEST_SUITE_P(EcAndEd25519, FastKeyTest,
                         ::testing::Values(Case{KeyAlgorithm::kEcdsa, 256},
                                           Case{KeyAlgorithm::kEcdsa, 384},
                                           Case{KeyAlgorithm::kEcdsa, 521},
                                           Case{KeyAlgorithm::kEd25519, 0}));

TEST(DecodePrivateKeyDer, LeavesOtherKeysToOpenSsl) {
  auto rsa = PrivateKey::Generate(KeyAlgorithm::kRsa, 2048);
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(DecodePrivateKeyDer("PRIVATE KEY", Der(*rsa, true)), nullptr);
  EXPECT_EQ(DecodePrivateKeyDer("RSA PRIVATE KEY", Der(*rsa, false)), nullptr);
  EXPECT_EQ(DecodePrivateKeyDer("PRIVATE KEY", "not DER"), nullptr);
  EXPECT_EQ(DecodePrivateKeyDer("EC PRIVATE KEY", ""), nullptr);

  // A SEC1 key without its public point: OpenSSL derives the point, so it is left to OpenSSL.
  auto ec = PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256);
  ASSERT_TRUE(ec.ok());
  std::string without_point = WithoutPublicPoint(Der(*ec, false));
  ASSERT_FALSE(without_point.empty());
  EXPECT_EQ(DecodePrivateKeyDer("EC PRIVATE KEY", without_point), nullptr);
}

TEST(PrivateKeyFromPem, FallsBackToOpenSslForWhatTheFastPathLeaves) {
  auto ec = PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256);
  ASSERT_TRUE(ec.ok());
  std::string without_point = WithoutPublicPoint(Der(*ec, false));
  ASSERT_FALSE(without_point.empty());
  auto parsed = PrivateKey::FromPem(Pem("EC PRIVATE KEY", without_point));
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(EVP_PKEY_eq(parsed->get(), ec->get()), 1);
}

class ReencodeTest : public ::testing::TestWithParam<Case> {};

// Byte for byte what OpenSSL's encoder writes, in both forms.
TEST_P(ReencodeTest, WritesWhatOpenSslWrites) {
  auto key = PrivateKey::Generate(GetParam().algorithm, GetParam().size);
  ASSERT_TRUE(key.ok()) << key.status();
  auto pkcs8 = key->ToPkcs8Pem();
  auto traditional = key->ToPkcs1Pem();
  ASSERT_TRUE(pkcs8.ok() && traditional.ok());
  EXPECT_EQ(ReencodePrivateKeyPem(*pkcs8, /*traditional=*/false), *pkcs8);
  auto reencoded = ReencodePrivateKeyPem(*pkcs8, /*traditional=*/true);
  ASSERT_TRUE(reencoded.has_value());
  EXPECT_EQ(*reencoded, *traditional);
  // From the traditional form: the same again for EC keys, which carry curve and point.
  if (GetParam().algorithm == KeyAlgorithm::kEcdsa) {
    EXPECT_EQ(ReencodePrivateKeyPem(*traditional, /*traditional=*/true), *traditional);
  }
}

INSTANTIATE_TEST_SUITE_P(EcAndRsa, ReencodeTest,
                         ::testing::Values(Case{KeyAlgorithm::kEcdsa, 256},
                                           Case{KeyAlgorithm::kEcdsa, 384},
                                           Case{KeyAlgorithm::kEcdsa, 521},
                                           Case{KeyAlgorithm::kRsa, 2048}));

TEST(ReencodePrivateKeyPem, LeavesEverythingElseToOpenSsl) {
  auto ed25519 = PrivateKey::Generate(KeyAlgorithm::kEd25519, 0);
  auto ec = PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256);
  ASSERT_TRUE(ed25519.ok() && ec.ok());
  // Ed25519 has no traditional form here; PKCS#8 passes through.
  EXPECT_EQ(ReencodePrivateKeyPem(*ed25519->ToPkcs8Pem(), true), std::nullopt);
  EXPECT_EQ(ReencodePrivateKeyPem(*ed25519->ToPkcs8Pem(), false), *ed25519->ToPkcs8Pem());
  // PKCS#8 from the traditional form, RSA's traditional form, a SEC1 key without its point, or
  // not PEM at all.
  EXPECT_EQ(ReencodePrivateKeyPem(*ec->ToPkcs1Pem(), false), std::nullopt);
  auto rsa = PrivateKey::Generate(KeyAlgorithm::kRsa, 2048);
  ASSERT_TRUE(rsa.ok());
  EXPECT_EQ(ReencodePrivateKeyPem(*rsa->ToPkcs1Pem(), true), std::nullopt);
  std::string without_point = WithoutPublicPoint(Der(*ec, false));
  EXPECT_EQ(ReencodePrivateKeyPem(Pem("EC PRIVATE KEY", without_point), true), std::nullopt);
  EXPECT_EQ(ReencodePrivateKeyPem("not PEM", true), std::nullopt);
  EXPECT_EQ(
      ReencodePrivateKeyPem("-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", true),
      std::nullopt);
}

}  // namespace
}  // namespace certforge::pki
