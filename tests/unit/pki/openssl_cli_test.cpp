// The openssl command line reads what the engine writes: CSRs (`openssl req -verify`),
// certificates (`openssl x509 -text`) and chains (`openssl verify`).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "lib/pki/csr_builder.h"
#include "lib/pki/csr_signer.h"
#include "tests/unit/pki/x509_test_util.h"

namespace certforge::pki {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

CertificateSpec RichSpec(const PrivateKey& key) {
  CertificateSpec spec = test::SpecForKey(key, "cli.example.test");
  spec.subject.organizations = {"Example Org"};
  spec.subject.countries = {"DE"};
  spec.ip_addresses = {"192.0.2.10", "2001:db8::10"};
  spec.uris = {"spiffe://cluster.local/ns/a/sa/b"};
  spec.email_addresses = {"admin@example.test"};
  spec.other_names = {{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}};
  spec.usages = {"digital signature", "key encipherment", "server auth", "client auth"};
  return spec;
}

TEST(OpensslCli, VerifiesAndPrintsRequests) {
  test::ScratchDir dir;
  for (KeyAlgorithm algorithm :
       {KeyAlgorithm::kRsa, KeyAlgorithm::kEcdsa, KeyAlgorithm::kEd25519}) {
    const PrivateKey& key = test::CachedKey(algorithm, algorithm == KeyAlgorithm::kRsa     ? 2048
                                                       : algorithm == KeyAlgorithm::kEcdsa ? 384
                                                                                           : 0);
    std::string path = test::WriteFile(dir, "req.pem", test::CsrPemFor(RichSpec(key), key));
    test::CommandResult out = test::RunCommand("openssl req -in " + path + " -noout -text -verify");
    ASSERT_EQ(out.exit_code, 0) << out.output;
    EXPECT_THAT(out.output, HasSubstr("verify OK")) << KeyAlgorithmName(algorithm);
    EXPECT_THAT(out.output, HasSubstr("C = DE, O = Example Org, CN = cli.example.test"));
    EXPECT_THAT(out.output, HasSubstr("DNS:cli.example.test, email:admin@example.test, "
                                      "IP Address:192.0.2.10, IP Address:2001:DB8:0:0:0:0:0:10, "
                                      "URI:spiffe://cluster.local/ns/a/sa/b, "
                                      "othername: UPN::upn@example.test"));
    EXPECT_THAT(out.output, HasSubstr("Digital Signature, Key Encipherment"));
    EXPECT_THAT(out.output,
                HasSubstr("TLS Web Server Authentication, TLS Web Client Authentication"));
  }
}

TEST(OpensslCli, PrintsAndVerifiesIssuedChains) {
  test::ScratchDir dir;
  const PrivateKey& root_key = test::CachedKey(KeyAlgorithm::kRsa, 4096);
  const PrivateKey& intermediate_key = test::CachedKey(KeyAlgorithm::kEcdsa, 384);
  const PrivateKey& leaf_key = test::CachedKey(KeyAlgorithm::kEcdsa, 256);
  auto root = test::RootIssuer(root_key, "CLI Root");
  auto intermediate = test::IntermediateIssuer(root, intermediate_key, "CLI Intermediate", true);

  CertificateSpec spec = RichSpec(leaf_key);
  ParsedCsr csr = test::CsrFor(spec, leaf_key);
  SignOptions options;
  options.ca = intermediate;
  options.usages = spec.usages;
  options.crl_distribution_points = {"http://crl.example.test/i.crl"};
  options.ocsp_servers = {"http://ocsp.example.test"};
  options.issuing_certificate_urls = {"http://ca.example.test/i.crt"};
  options.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  IssuedCertificate issued = test::IssueOrDie(csr, options);

  std::string chain = test::WriteFile(dir, "tls.crt", issued.chain_pem);
  std::string ca = test::WriteFile(dir, "ca.crt", issued.ca_pem);
  test::CommandResult text = test::RunCommand("openssl x509 -in " + chain + " -noout -text");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_THAT(text.output, HasSubstr("Issuer: CN = CLI Intermediate"));
  EXPECT_THAT(text.output, HasSubstr("Subject: C = DE, O = Example Org, CN = cli.example.test"));
  EXPECT_THAT(text.output, HasSubstr("ecdsa-with-SHA384"));
  EXPECT_THAT(text.output,
              HasSubstr("X509v3 Basic Constraints: critical\n                CA:FALSE"));
  EXPECT_THAT(text.output, HasSubstr("X509v3 Key Usage: critical"));
  EXPECT_THAT(text.output, HasSubstr("X509v3 Authority Key Identifier"));
  EXPECT_THAT(text.output, Not(HasSubstr("X509v3 Subject Key Identifier")));
  EXPECT_THAT(text.output, HasSubstr("OCSP - URI:http://ocsp.example.test"));
  EXPECT_THAT(text.output, HasSubstr("CA Issuers - URI:http://ca.example.test/i.crt"));
  EXPECT_THAT(text.output, HasSubstr("URI:http://crl.example.test/i.crl"));
  EXPECT_THAT(text.output, HasSubstr("othername: UPN::upn@example.test"));

  test::CommandResult verified =
      test::RunCommand("openssl verify -CAfile " + ca + " -untrusted " + chain + " " + chain);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  EXPECT_THAT(verified.output, HasSubstr(": OK"));

  // The intermediate is a CA with a SHA-512 RSA signature from the 4096-bit root.
  std::string intermediate_path =
      test::WriteFile(dir, "intermediate.crt", *intermediate->signing_certificate().ToPem());
  test::CommandResult ca_text =
      test::RunCommand("openssl x509 -in " + intermediate_path + " -noout -text");
  EXPECT_THAT(ca_text.output, HasSubstr("sha512WithRSAEncryption"));
  EXPECT_THAT(ca_text.output, HasSubstr("CA:TRUE"));
  EXPECT_THAT(ca_text.output, HasSubstr("Certificate Sign"));
  EXPECT_THAT(ca_text.output, HasSubstr("X509v3 Subject Key Identifier"));
}

TEST(OpensslCli, ShowsNameConstraintsOfACa) {
  test::ScratchDir dir;
  const PrivateKey& key = test::CachedKey(KeyAlgorithm::kEcdsa, 256);
  CertificateSpec spec = test::SpecForKey(key, "Constrained CA");
  spec.dns_names.clear();
  spec.is_ca = true;
  spec.name_constraints =
      NameConstraints{true, NameConstraintItem{{"example.test"}, {"10.0.0.0/8"}, {}, {}},
                      NameConstraintItem{{}, {}, {}, {".bad.example.test"}}};
  SignOptions options;
  options.self_signed_key = key;
  options.is_ca = true;
  std::string path = test::WriteFile(
      dir, "ca.crt", test::IssueOrDie(test::CsrFor(spec, key), options).certificate_pem);
  test::CommandResult text = test::RunCommand("openssl x509 -in " + path + " -noout -text");
  ASSERT_EQ(text.exit_code, 0) << text.output;
  EXPECT_THAT(text.output, HasSubstr("X509v3 Name Constraints: critical"));
  EXPECT_THAT(text.output, HasSubstr("DNS:example.test"));
  EXPECT_THAT(text.output, HasSubstr("IP:10.0.0.0/255.0.0.0"));
  EXPECT_THAT(text.output, HasSubstr("URI:.bad.example.test"));
}

}  // namespace
}  // namespace certforge::pki
