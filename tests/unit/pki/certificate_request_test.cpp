#include "lib/pki/certificate_request.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <string>

#include "lib/pki/csr_builder.h"
#include "lib/pki/openssl_ptr.h"
#include "tests/unit/pki/x509_test_util.h"

namespace certforge::pki {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Optional;

const PrivateKey& EcKey() { return test::CachedKey(KeyAlgorithm::kEcdsa, 256); }

absl::StatusOr<std::string> BuildCsrDerForTest() {
  CertificateSpec spec = test::MinimalSpec();
  spec.private_key.algorithm = "ECDSA";
  return BuildCsrDer(spec, EcKey());
}

std::string ToPem(const std::string& der) {
  BioPtr bio = NewMemoryBio();
  PEM_write_bio(bio.get(), "CERTIFICATE REQUEST", "",
                reinterpret_cast<const unsigned char*>(der.data()), static_cast<long>(der.size()));
  return BioContents(bio.get());
}

// A request signed by `key` carrying `extensions` (added in order, duplicates allowed).
std::string RequestWith(const PrivateKey& key, const std::vector<X509_EXTENSION*>& extensions) {
  X509ReqPtr request(X509_REQ_new());
  X509_REQ_set_pubkey(request.get(), key.get());
  X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(request.get()), "CN", MBSTRING_UTF8,
                             reinterpret_cast<const unsigned char*>("x"), -1, -1, 0);
  X509ExtensionStackPtr list(sk_X509_EXTENSION_new_null());
  for (X509_EXTENSION* ext : extensions) sk_X509_EXTENSION_push(list.get(), ext);
  X509_REQ_add_extensions(request.get(), list.get());
  X509_REQ_sign(request.get(), key.get(), EVP_sha256());
  return ToPem(ToDer(request.get(), i2d_X509_REQ));
}

X509_EXTENSION* Ext(int nid, const char* value) {
  return X509V3_EXT_conf_nid(nullptr, nullptr, nid, value);
}

TEST(ParsedCsr, ReadsARequestMadeByTheOpensslCommandLine) {
  test::ScratchDir dir;
  std::string key = test::WriteFile(dir, "key.pem", *EcKey().ToPkcs8Pem());
  test::CommandResult made = test::RunCommand(
      "openssl req -new -key " + key + " -subj '/C=DE/O=Org/CN=cli.example.test' " +
      "-addext 'subjectAltName=DNS:cli.example.test,IP:192.0.2.1,email:a@example.test," +
      "URI:https://example.test/' -addext 'keyUsage=critical,digitalSignature' " +
      "-addext 'extendedKeyUsage=serverAuth,1.2.3.4' -addext 'basicConstraints=CA:TRUE,pathlen:1'");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(made.output);
  ASSERT_TRUE(csr.ok()) << csr.status();
  EXPECT_EQ(csr->SubjectText(), "CN=cli.example.test,O=Org,C=DE");
  EXPECT_EQ(csr->CommonName(), "cli.example.test");
  EXPECT_THAT(csr->alt_names().dns_names, ElementsAre("cli.example.test"));
  EXPECT_THAT(csr->alt_names().ip_addresses, ElementsAre("192.0.2.1"));
  EXPECT_THAT(csr->alt_names().email_addresses, ElementsAre("a@example.test"));
  EXPECT_THAT(csr->alt_names().uris, ElementsAre("https://example.test/"));
  EXPECT_THAT(csr->key_usages(), Optional(ElementsAre(KeyUsage::kDigitalSignature)));
  EXPECT_THAT(csr->ext_key_usages(), Optional(ElementsAre(ExtKeyUsage::kServerAuth)));
  EXPECT_THAT(csr->unknown_ext_key_usages(), ElementsAre("1.2.3.4"));
  ASSERT_TRUE(csr->basic_constraints().has_value());
  EXPECT_TRUE(csr->basic_constraints()->is_ca);
  EXPECT_EQ(csr->basic_constraints()->max_path_length, 1);
  EXPECT_EQ(csr->public_key().ToDer(), *EcKey().PublicKeyDer());
  EXPECT_EQ(csr->signature_nid(), NID_ecdsa_with_SHA256);
}

TEST(ParsedCsr, VerifiesRsaPssRequestsThroughOpenSsl) {
  test::ScratchDir dir;
  std::string key =
      test::WriteFile(dir, "key.pem", *test::CachedKey(KeyAlgorithm::kRsa, 2048).ToPkcs8Pem());
  test::CommandResult made = test::RunCommand("openssl req -new -key " + key +
                                              " -subj /CN=pss -sigopt rsa_padding_mode:pss");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(made.output);
  ASSERT_TRUE(csr.ok()) << csr.status();
  EXPECT_EQ(csr->signature_nid(), NID_rsassaPss);
}

TEST(ParsedCsr, RejectsABrokenSignatureUnlessUnverified) {
  std::string der = *BuildCsrDerForTest();
  der[der.size() - 5] ^= 0x01;  // inside the signature value
  absl::StatusOr<ParsedCsr> verified = ParsedCsr::FromPem(ToPem(der));
  ASSERT_FALSE(verified.ok());
  EXPECT_THAT(verified.status().message(), HasSubstr("signature does not verify"));
  EXPECT_TRUE(ParsedCsr::FromPemUnverified(ToPem(der)).ok());
}

TEST(ParsedCsr, RejectsMalformedInput) {
  const std::string good = *BuildCsrDerForTest();
  const std::pair<std::string, std::string> cases[] = {
      {"", "error decoding certificate request PEM block"},
      {"not pem", "error decoding certificate request PEM block"},
      {"-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n",
       "expected a CERTIFICATE REQUEST PEM block, got CERTIFICATE"},
      {ToPem(good.substr(0, good.size() - 1)), "CSR: malformed DER"},
      {ToPem(good + std::string("\x00", 1)), "malformed certificate request: trailing data"},
      {ToPem(std::string("\x30\x03\x02\x01\x00", 5)), "CSR info: unexpected DER element"},
  };
  for (const auto& [pem, message] : cases) {
    absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(pem);
    ASSERT_FALSE(csr.ok()) << message;
    EXPECT_THAT(csr.status().message(), HasSubstr(message));
  }
}

TEST(ParsedCsr, RejectsDuplicateAndMalformedExtensions) {
  absl::StatusOr<ParsedCsr> duplicate = ParsedCsr::FromPem(RequestWith(
      EcKey(), {Ext(NID_subject_alt_name, "DNS:a"), Ext(NID_subject_alt_name, "DNS:b")}));
  ASSERT_FALSE(duplicate.ok());
  EXPECT_EQ(duplicate.status().message(),
            "x509: certificate request contains duplicate requested extensions");

  absl::StatusOr<ParsedCsr> unsupported =
      ParsedCsr::FromPem(RequestWith(EcKey(), {Ext(NID_name_constraints, "permitted;RID:1.2.3")}));
  ASSERT_FALSE(unsupported.ok());
  EXPECT_EQ(unsupported.status().message(), "x509: unsupported NameConstraints tag");
}

TEST(ParsedCsr, KeepsTheKeyEncodedAndComparable) {
  const PrivateKey& key = test::CachedKey(KeyAlgorithm::kEd25519, 0);
  ParsedCsr csr = test::CsrFor(test::SpecForKey(key), key);
  EXPECT_EQ(csr.key_algorithm(), KeyAlgorithm::kEd25519);
  absl::StatusOr<PublicKey> own = PublicKey::FromPrivateKey(key);
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(csr.public_key().SameKeyAs(*own));
  absl::StatusOr<PublicKey> other =
      PublicKey::FromPrivateKey(test::NewKey(KeyAlgorithm::kEd25519, 0));
  EXPECT_FALSE(csr.public_key().SameKeyAs(*other));
  // Copies share the parse.
  ParsedCsr copy = csr;
  EXPECT_EQ(&copy.public_key(), &csr.public_key());
}

TEST(ParsedCsr, AcceptsCompressedEcPointsAndMatchesTheirKey) {
  test::ScratchDir dir;
  std::string key = test::WriteFile(dir, "key.pem", *EcKey().ToPkcs8Pem());
  test::CommandResult made = test::RunCommand(
      "openssl ec -in " + key + " -conv_form compressed -out " + dir.File("compressed.pem") +
      " && openssl req -new -key " + dir.File("compressed.pem") + " -subj /CN=compressed");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(made.output);
  ASSERT_TRUE(csr.ok()) << csr.status();
  absl::StatusOr<PublicKey> own = PublicKey::FromPrivateKey(EcKey());
  ASSERT_TRUE(own.ok());
  EXPECT_NE(csr->public_key().ToDer(), own->ToDer());  // 33-byte point against 65
  EXPECT_TRUE(csr->public_key().SameKeyAs(*own));
}

}  // namespace
}  // namespace certforge::pki
