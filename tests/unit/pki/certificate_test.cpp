#include "lib/pki/certificate.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "lib/pki/certificate_builder.h"
#include "lib/pki/x509_extensions.h"
#include "tests/unit/pki/key_fixtures.h"
#include "tests/unit/pki/pki_test_util.h"

namespace certforge::pki {
namespace {

using std::chrono::days;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

Certificate Leaf(const std::string& common_name, const Certificate& issuer,
                 const PrivateKey& issuer_key, const PrivateKey& key) {
  auto now = std::chrono::system_clock::now();
  absl::StatusOr<Certificate> cert = CertificateBuilder()
                                         .SetCommonName(common_name)
                                         .SetValidity(now - days(1), now + days(1))
                                         .SignWith(issuer, issuer_key, key);
  EXPECT_TRUE(cert.ok()) << cert.status();
  return *cert;
}

// A certificate and key written by the openssl command line, read by this library.
TEST(Certificate, ReadsWhatTheOpensslCommandLineWrites) {
  test::ScratchDir dir;
  std::string command =
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-384 -nodes -days 30"
      " -keyout " +
      dir.File("key.pem") + " -out " + dir.File("cert.pem") +
      " -subj '/O=CLI Org/CN=cli.example.test' -set_serial 0x0123456789abcdef"
      " -addext 'subjectAltName=DNS:cli.example.test,DNS:www.cli.example.test,IP:192.0.2.7,"
      "IP:2001:db8::7'"
      " -addext 'keyUsage=critical,digitalSignature'"
      " -addext 'extendedKeyUsage=serverAuth,clientAuth'"
      " -addext 'basicConstraints=critical,CA:TRUE,pathlen:3'";
  test::CommandResult result = test::RunCommand(command);
  ASSERT_EQ(result.exit_code, 0) << result.output;

  absl::StatusOr<Certificate> cert =
      Certificate::FromPem(test::ReadFileOrDie(dir.File("cert.pem")));
  ASSERT_TRUE(cert.ok()) << cert.status();
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(test::ReadFileOrDie(dir.File("key.pem")));
  ASSERT_TRUE(key.ok()) << key.status();

  EXPECT_EQ(cert->CommonName(), "cli.example.test");
  EXPECT_THAT(cert->Organizations(), ElementsAre("CLI Org"));
  EXPECT_EQ(cert->IssuerCommonName(), "cli.example.test");
  EXPECT_THAT(cert->DnsNames(), ElementsAre("cli.example.test", "www.cli.example.test"));
  EXPECT_THAT(cert->IpAddresses(), ElementsAre("192.0.2.7", "2001:db8::7"));
  EXPECT_EQ(cert->NotAfter() - cert->NotBefore(), days(30));
  EXPECT_LT(std::chrono::abs(cert->NotBefore() - std::chrono::system_clock::now()),
            std::chrono::minutes(5));
  EXPECT_TRUE(cert->IsCa());
  EXPECT_EQ(cert->MaxPathLength(), 3);
  EXPECT_THAT(cert->KeyUsages(), ElementsAre(KeyUsage::kDigitalSignature));
  EXPECT_THAT(cert->ExtKeyUsages(),
              ElementsAre(ExtKeyUsage::kServerAuth, ExtKeyUsage::kClientAuth));
  EXPECT_EQ(cert->SerialHex(), "0123456789abcdef");
  // openssl's default subject key id is the same SHA-1 method the builder uses.
  EXPECT_EQ(cert->SubjectKeyId(), KeyIdentifier(PublicKey::FromPrivateKey(*key)->KeyBits()));
  EXPECT_EQ(key->algorithm(), KeyAlgorithm::kEcdsa);
  EXPECT_EQ(key->size(), 384);
  EXPECT_TRUE(cert->MatchesKey(*key));
  EXPECT_TRUE(cert->IsSignedBy(*cert));
}

// A certificate whose public key is a compressed EC point still matches its key, although the
// key's own (always uncompressed) encoding differs from the certificate's.
TEST(Certificate, MatchesItsKeyWhenTheCertificateHasACompressedPoint) {
  test::ScratchDir dir;
  test::WriteFileOrDie(dir.File("key.pem"), test::kEcP256Sec1Pem);
  test::CommandResult result = test::RunCommand(
      "openssl ec -in " + dir.File("key.pem") + " -conv_form compressed -out " +
      dir.File("compressed.pem") + " && openssl req -x509 -key " + dir.File("compressed.pem") +
      " -subj /CN=compressed -days 1 -out " + dir.File("cert.pem"));
  ASSERT_EQ(result.exit_code, 0) << result.output;
  absl::StatusOr<Certificate> cert =
      Certificate::FromPem(test::ReadFileOrDie(dir.File("cert.pem")));
  ASSERT_TRUE(cert.ok()) << cert.status();
  absl::StatusOr<PrivateKey> compressed =
      PrivateKey::FromPem(test::ReadFileOrDie(dir.File("compressed.pem")));
  ASSERT_TRUE(compressed.ok()) << compressed.status();
  absl::StatusOr<PrivateKey> plain = PrivateKey::FromPem(test::kEcP256Sec1Pem);
  ASSERT_TRUE(plain.ok()) << plain.status();

  EXPECT_EQ(*compressed->PublicKeyDer(), *plain->PublicKeyDer());
  ASSERT_NE(cert->PublicKeyDer(), *plain->PublicKeyDer());
  EXPECT_LT(cert->PublicKeyDer().size(), plain->PublicKeyDer()->size());
  EXPECT_TRUE(cert->MatchesKey(*plain));
  EXPECT_TRUE(cert->MatchesKey(*compressed));
  EXPECT_FALSE(cert->MatchesKey(test::CachedKey(KeyAlgorithm::kEcdsa, 256)));
}

TEST(Certificate, MatchesKeyOnlyForItsOwnKey) {
  const PrivateKey& ca_key = test::CachedKey(KeyAlgorithm::kEcdsa, 256);
  Certificate ca = test::MakeCa(ca_key, "Match CA");
  const PrivateKey& leaf_key = test::CachedKey(KeyAlgorithm::kRsa, 2048);
  Certificate leaf = Leaf("leaf", ca, ca_key, leaf_key);
  Certificate parsed = *Certificate::FromPem(*leaf.ToPem());
  for (const Certificate* cert : {&leaf, &parsed}) {
    EXPECT_TRUE(cert->MatchesKey(leaf_key));
    EXPECT_TRUE(cert->MatchesKey(*PrivateKey::FromPem(*leaf_key.ToPkcs1Pem())));
    EXPECT_FALSE(cert->MatchesKey(ca_key));
    EXPECT_FALSE(cert->MatchesKey(test::NewKey(KeyAlgorithm::kEd25519, 0)));
    EXPECT_FALSE(cert->MatchesKey(test::CachedKey(KeyAlgorithm::kRsa, 3072)));
  }
}

TEST(Certificate, IsSignedByItsIssuerOnly) {
  const PrivateKey& ca_key = test::CachedKey(KeyAlgorithm::kEcdsa, 256);
  Certificate ca = test::MakeCa(ca_key, "Signing CA");
  Certificate other = test::MakeCa(test::NewKey(KeyAlgorithm::kEcdsa, 256), "Signing CA");
  Certificate leaf = Leaf("leaf", ca, ca_key, test::CachedKey(KeyAlgorithm::kEd25519, 0));
  EXPECT_TRUE(leaf.IsSignedBy(ca));
  EXPECT_FALSE(leaf.IsSignedBy(other));
  EXPECT_FALSE(leaf.IsSignedBy(leaf));
  EXPECT_TRUE(ca.IsSignedBy(ca));
  EXPECT_FALSE(ca.IsSignedBy(other));
}

// Parsing leaves the public key encoded; get() must still hand OpenSSL a complete X509 with it.
TEST(Certificate, ParsedCertificatesDecodeTheirKeyForOpenSsl) {
  const PrivateKey& ca_key = test::CachedKey(KeyAlgorithm::kEcdsa, 256);
  Certificate ca = test::MakeCa(ca_key, "Decode CA");
  for (const PrivateKey* key :
       {&test::CachedKey(KeyAlgorithm::kRsa, 2048), &test::CachedKey(KeyAlgorithm::kEcdsa, 384),
        &test::CachedKey(KeyAlgorithm::kEd25519, 0)}) {
    Certificate leaf = Leaf("decoded", ca, ca_key, *key);
    Certificate from_pem = *Certificate::FromPem(*leaf.ToPem());
    Certificate from_der = *Certificate::FromDer(leaf.ToDer());
    Certificate from_chain = Certificate::ChainFromPem(*leaf.ToPem() + *ca.ToPem())->front();
    for (const Certificate* cert : {&from_pem, &from_der, &from_chain}) {
      EVP_PKEY* decoded = X509_get0_pubkey(cert->get());
      ASSERT_NE(decoded, nullptr) << KeyAlgorithmName(key->algorithm());
      EXPECT_EQ(EVP_PKEY_eq(decoded, key->get()), 1);
      EXPECT_EQ(cert->ToDer(), leaf.ToDer());
      EXPECT_TRUE(cert->IsSignedBy(ca));
      EXPECT_TRUE(cert->MatchesKey(*key));
    }
  }
}

TEST(Certificate, ChainFromPemReadsEveryCertificateInOrder) {
  const PrivateKey& ca_key = test::CachedKey(KeyAlgorithm::kEcdsa, 256);
  Certificate ca = test::MakeCa(ca_key, "Root");
  Certificate intermediate = test::MakeCa(ca_key, "Intermediate");
  Certificate leaf = Leaf("leaf", ca, ca_key, test::CachedKey(KeyAlgorithm::kEcdsa, 384));
  std::string bundle = "leading text\n" + *leaf.ToPem() + test::kEd25519Pkcs8Pem + "between\n" +
                       *intermediate.ToPem() + *ca.ToPem() + "trailing\n";
  absl::StatusOr<std::vector<Certificate>> chain = Certificate::ChainFromPem(bundle);
  ASSERT_TRUE(chain.ok()) << chain.status();
  ASSERT_EQ(chain->size(), 3u);
  EXPECT_EQ((*chain)[0].CommonName(), "leaf");
  EXPECT_EQ((*chain)[1].CommonName(), "Intermediate");
  EXPECT_EQ((*chain)[2].CommonName(), "Root");
  EXPECT_EQ((*chain)[0].ToDer(), leaf.ToDer());

  absl::StatusOr<Certificate> first = Certificate::FromPem(bundle);
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ(first->CommonName(), "leaf");
}

TEST(Certificate, RefusesBundlesWithoutOrWithBrokenCertificates) {
  Certificate ca = test::MakeCa(test::CachedKey(KeyAlgorithm::kEcdsa, 256), "Root");
  std::string good = *ca.ToPem();
  std::string broken = "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAK\n-----END CERTIFICATE-----\n";
  for (const std::string& pem :
       {std::string(), std::string("no pem here"), std::string(test::kEcP256Sec1Pem), broken,
        good + broken, good.substr(0, good.size() / 2)}) {
    absl::StatusOr<std::vector<Certificate>> chain = Certificate::ChainFromPem(pem);
    EXPECT_FALSE(chain.ok()) << pem;
    if (!chain.ok()) {
      EXPECT_EQ(chain.status().code(), absl::StatusCode::kInvalidArgument);
    }
  }
  EXPECT_FALSE(Certificate::FromPem("").ok());
  EXPECT_FALSE(Certificate::FromPem(test::kEcP256Sec1Pem).ok());
}

TEST(Certificate, DerRoundTripsAndRefusesTrailingBytes) {
  Certificate ca = test::MakeCa(test::CachedKey(KeyAlgorithm::kEcdsa, 256), "DER");
  std::string der = ca.ToDer();
  absl::StatusOr<Certificate> parsed = Certificate::FromDer(der);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_EQ(parsed->ToDer(), der);
  EXPECT_FALSE(Certificate::FromDer(der + "x").ok());
  EXPECT_FALSE(Certificate::FromDer(der.substr(1)).ok());
  EXPECT_FALSE(Certificate::FromDer("").ok());
}

TEST(Certificate, CopiesShareTheCertificate) {
  Certificate ca = test::MakeCa(test::CachedKey(KeyAlgorithm::kEcdsa, 256), "Shared");
  Certificate copy = ca;
  EXPECT_EQ(copy.get(), ca.get());
  EXPECT_EQ(copy.ToDer(), ca.ToDer());
}

}  // namespace
}  // namespace certforge::pki
