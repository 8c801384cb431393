#include "lib/pki/csr_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <string>
#include <vector>

#include "lib/pki/certificate_request.h"
#include "lib/pki/distinguished_name.h"
#include "lib/pki/openssl_ptr.h"
#include "tests/unit/pki/x509_test_util.h"

namespace certforge::pki {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Optional;

const PrivateKey& EcKey() { return test::CachedKey(KeyAlgorithm::kEcdsa, 256); }

CertificateSpec EcSpec() {
  CertificateSpec spec = test::MinimalSpec();
  spec.private_key.algorithm = "ECDSA";
  return spec;
}

// The request as OpenSSL's own parser reads it, independent of ParsedCsr.
X509ReqPtr OpenSslRead(const std::string& pem) {
  BioPtr bio = MemoryBio(pem);
  X509ReqPtr request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
  EXPECT_TRUE(request) << OpenSslErrors();
  return request;
}

int SignatureNid(const std::string& pem) {
  X509ReqPtr request = OpenSslRead(pem);
  return request ? X509_REQ_get_signature_nid(request.get()) : NID_undef;
}

TEST(BuildCsr, EveryFieldReachesTheRequest) {
  CertificateSpec spec = EcSpec();
  spec.common_name = "app.example.test";
  spec.subject.organizations = {"Org"};
  spec.subject.countries = {"DE"};
  spec.subject.organizational_units = {"Unit"};
  spec.subject.localities = {"Berlin"};
  spec.subject.provinces = {"BE"};
  spec.subject.street_addresses = {"Street 1"};
  spec.subject.postal_codes = {"10115"};
  spec.subject.serial_number = "42";
  spec.dns_names = {"app.example.test", "*.app.example.test"};
  spec.ip_addresses = {"10.0.0.1", "2001:DB8::1", "::ffff:10.1.2.3"};
  spec.uris = {"spiffe://cluster.local/ns/a/sa/b"};
  spec.email_addresses = {"admin@example.test"};
  spec.other_names = {{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}};
  spec.usages = {"digital signature", "key encipherment", "server auth", "client auth"};
  std::string pem = test::CsrPemFor(spec, EcKey());
  EXPECT_THAT(pem, HasSubstr("-----BEGIN CERTIFICATE REQUEST-----"));

  absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(pem);
  ASSERT_TRUE(csr.ok()) << csr.status();
  EXPECT_EQ(csr->SubjectText(),
            "serialNumber=42,CN=app.example.test,OU=Unit,O=Org,postalCode=10115,"
            "street=Street 1,L=Berlin,ST=BE,C=DE");
  EXPECT_THAT(csr->alt_names().dns_names, ElementsAre("app.example.test", "*.app.example.test"));
  EXPECT_THAT(csr->alt_names().ip_addresses, ElementsAre("10.0.0.1", "2001:db8::1", "10.1.2.3"));
  EXPECT_THAT(csr->alt_names().uris, ElementsAre("spiffe://cluster.local/ns/a/sa/b"));
  EXPECT_THAT(csr->alt_names().email_addresses, ElementsAre("admin@example.test"));
  EXPECT_THAT(csr->alt_names().other_names,
              ElementsAre(OtherName{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}));
  EXPECT_THAT(csr->key_usages(),
              Optional(ElementsAre(KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment)));
  EXPECT_THAT(csr->ext_key_usages(),
              Optional(ElementsAre(ExtKeyUsage::kServerAuth, ExtKeyUsage::kClientAuth)));
  EXPECT_FALSE(csr->basic_constraints().has_value());
  EXPECT_FALSE(csr->name_constraints().has_value());
  EXPECT_EQ(csr->public_key().ToDer(), *EcKey().PublicKeyDer());

  // OpenSSL reads the same request: version 1, same subject bytes, signature valid.
  X509ReqPtr request = OpenSslRead(pem);
  ASSERT_TRUE(request);
  EXPECT_EQ(X509_REQ_get_version(request.get()), X509_REQ_VERSION_1);
  EXPECT_EQ(NameDer(X509_REQ_get_subject_name(request.get())), csr->subject_der());
  EXPECT_EQ(X509_REQ_verify(request.get(), EcKey().get()), 1);
  // GenerateCSR's extension order: SAN, keyUsage, extendedKeyUsage.
  X509ExtensionStackPtr extensions(X509_REQ_get_extensions(request.get()));
  std::vector<int> order;
  for (int i = 0; i < sk_X509_EXTENSION_num(extensions.get()); ++i) {
    order.push_back(
        OBJ_obj2nid(X509_EXTENSION_get_object(sk_X509_EXTENSION_value(extensions.get(), i))));
  }
  EXPECT_THAT(order, ElementsAre(NID_subject_alt_name, NID_key_usage, NID_ext_key_usage));
  EXPECT_EQ(X509_EXTENSION_get_critical(sk_X509_EXTENSION_value(extensions.get(), 0)), 0);
}

TEST(BuildCsr, LiteralSubjectKeepsItsOrder) {
  CertificateSpec spec = EcSpec();
  spec.common_name.clear();
  spec.literal_subject = "CN=app,OU=Unit+O=Org,DC=example,DC=test,UID=42,1.2.3.4=custom";
  ParsedCsr csr = test::CsrFor(spec, EcKey());
  absl::StatusOr<std::string> want = RdnSequenceDer(*ParseLiteralSubject(spec.literal_subject));
  ASSERT_TRUE(want.ok());
  EXPECT_EQ(csr.subject_der(), *want);
  // Back to RFC 4514 text as written; the unknown type is dumped as DER (a PrintableString).
  EXPECT_EQ(csr.SubjectText(),
            "CN=app,OU=Unit+O=Org,DC=example,DC=test,UID=42,1.2.3.4=#1306637573746F6D");
  EXPECT_EQ(csr.CommonName(), "app");
}

TEST(BuildCsr, SubjectAltNamesAreCriticalWithoutSubject) {
  CertificateSpec spec = EcSpec();
  spec.common_name.clear();
  ParsedCsr csr = test::CsrFor(spec, EcKey());
  EXPECT_TRUE(csr.subject_empty());
  ASSERT_NE(csr.subject_alt_name_extension(), nullptr);
  EXPECT_EQ(X509_EXTENSION_get_critical(csr.subject_alt_name_extension()), 1);
}

TEST(BuildCsr, UsagesOnlyWhenEncodeUsagesInRequest) {
  CertificateSpec spec = EcSpec();
  spec.encode_usages_in_request = false;
  ParsedCsr without = test::CsrFor(spec, EcKey());
  EXPECT_FALSE(without.key_usages().has_value());
  EXPECT_FALSE(without.ext_key_usages().has_value());

  spec.encode_usages_in_request = true;
  spec.is_ca = true;
  spec.usages = {"server auth"};
  ParsedCsr only_eku_and_ca = test::CsrFor(spec, EcKey());
  // isCA adds cert sign; with only extended usages requested that is the whole keyUsage.
  EXPECT_THAT(only_eku_and_ca.key_usages(), Optional(ElementsAre(KeyUsage::kKeyCertSign)));
  EXPECT_THAT(only_eku_and_ca.ext_key_usages(), Optional(ElementsAre(ExtKeyUsage::kServerAuth)));
  EXPECT_FALSE(only_eku_and_ca.basic_constraints().has_value());

  spec.is_ca = false;
  ParsedCsr only_eku = test::CsrFor(spec, EcKey());
  EXPECT_FALSE(only_eku.key_usages().has_value());

  absl::StatusOr<std::string> with_constraints =
      BuildCsr(spec, EcKey(), CsrOptions{.encode_basic_constraints = true});
  ASSERT_TRUE(with_constraints.ok());
  ParsedCsr constrained = *ParsedCsr::FromPem(*with_constraints);
  ASSERT_TRUE(constrained.basic_constraints().has_value());
  EXPECT_FALSE(constrained.basic_constraints()->is_ca);
}

TEST(BuildCsr, NameConstraintsWhenSet) {
  CertificateSpec spec = EcSpec();
  spec.is_ca = true;
  NameConstraints constraints;
  constraints.critical = true;
  constraints.permitted = NameConstraintItem{
      {"example.test"}, {"10.0.0.0/8", "2001:db8::/32"}, {"example.test"}, {".example.test"}};
  constraints.excluded = NameConstraintItem{{"bad.example.test"}, {}, {}, {}};
  spec.name_constraints = constraints;
  ParsedCsr csr = test::CsrFor(spec, EcKey());
  ASSERT_TRUE(csr.name_constraints().has_value());
  EXPECT_EQ(*csr.name_constraints(), constraints);

  spec.name_constraints = NameConstraints{true, NameConstraintItem{}, std::nullopt};
  EXPECT_FALSE(test::CsrFor(spec, EcKey()).name_constraints().has_value());
}

struct KeyCase {
  KeyAlgorithm algorithm;
  int size;
  const char* spec_algorithm;
  const char* signature_algorithm;
  int want_signature_nid;
};

TEST(BuildCsr, SignsWithTheSpecsAlgorithm) {
  const KeyCase cases[] = {
      {KeyAlgorithm::kRsa, 2048, "", "", NID_sha256WithRSAEncryption},
      {KeyAlgorithm::kRsa, 2048, "RSA", "SHA384WithRSA", NID_sha384WithRSAEncryption},
      {KeyAlgorithm::kRsa, 2048, "RSA", "SHA512WithRSA", NID_sha512WithRSAEncryption},
      {KeyAlgorithm::kRsa, 3072, "RSA", "", NID_sha384WithRSAEncryption},
      {KeyAlgorithm::kRsa, 4096, "RSA", "", NID_sha512WithRSAEncryption},
      {KeyAlgorithm::kEcdsa, 256, "ECDSA", "", NID_ecdsa_with_SHA256},
      {KeyAlgorithm::kEcdsa, 256, "ECDSA", "ECDSAWithSHA512", NID_ecdsa_with_SHA512},
      {KeyAlgorithm::kEcdsa, 384, "ECDSA", "", NID_ecdsa_with_SHA384},
      {KeyAlgorithm::kEcdsa, 521, "ECDSA", "", NID_ecdsa_with_SHA512},
      {KeyAlgorithm::kEcdsa, 384, "ECDSA", "ECDSAWithSHA256", NID_ecdsa_with_SHA256},
      {KeyAlgorithm::kEd25519, 0, "Ed25519", "", NID_ED25519},
      {KeyAlgorithm::kEd25519, 0, "Ed25519", "PureEd25519", NID_ED25519},
  };
  for (const KeyCase& c : cases) {
    const PrivateKey& key = test::CachedKey(c.algorithm, c.size);
    CertificateSpec spec = test::MinimalSpec();
    spec.private_key = {c.spec_algorithm, c.size, ""};
    spec.signature_algorithm = c.signature_algorithm;
    std::string pem = test::CsrPemFor(spec, key);
    EXPECT_EQ(SignatureNid(pem), c.want_signature_nid)
        << KeyAlgorithmName(c.algorithm) << c.size << " " << c.signature_algorithm;
    absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(pem);
    ASSERT_TRUE(csr.ok()) << csr.status();
    EXPECT_EQ(csr->key_algorithm(), c.algorithm);
    EXPECT_EQ(csr->signature_nid(), c.want_signature_nid);
  }
}

TEST(BuildCsr, SignatureFollowsTheSpecSizeNotTheKey) {
  // cert-manager derives the default from spec.privateKey.size (4096 → SHA-512) even when the
  // key in hand is smaller, as when an old key is reused.
  CertificateSpec spec = test::MinimalSpec();
  spec.private_key = {"RSA", 4096, ""};
  EXPECT_EQ(SignatureNid(test::CsrPemFor(spec, test::CachedKey(KeyAlgorithm::kRsa, 2048))),
            NID_sha512WithRSAEncryption);
}

struct ErrorCase {
  const char* name;
  std::function<void(CertificateSpec&)> change;
  const char* message;
};

TEST(BuildCsr, ReportsCertManagersErrors) {
  const ErrorCase cases[] = {
      {"no names",
       [](CertificateSpec& s) {
         s = CertificateSpec();
         s.private_key.algorithm = "ECDSA";
       },
       "at least one of commonName (from the commonName field or from a literalSubject), "
       "dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must be set"},
      {"key type mismatch", [](CertificateSpec& s) { s.private_key.algorithm = "RSA"; },
       "x509: requested SignatureAlgorithm does not match private key type"},
      {"signature algorithm for another key",
       [](CertificateSpec& s) { s.signature_algorithm = "SHA256WithRSA"; },
       "x509: requested SignatureAlgorithm does not match private key type"},
      {"unknown signature algorithm", [](CertificateSpec& s) { s.signature_algorithm = "X"; },
       "unsupported signature algorithm: X"},
      {"unknown key algorithm", [](CertificateSpec& s) { s.private_key.algorithm = "DSA"; },
       "unsupported algorithm specified: DSA. should be either 'ecdsa', 'ed25519' or 'rsa"},
      {"unsupported curve", [](CertificateSpec& s) { s.private_key.size = 224; },
       "unsupported ecdsa keysize specified: 224"},
      {"unknown usage",
       [](CertificateSpec& s) {
         s.usages = {"server auth", "bogus"};
       },
       "failed to build key usages: unknown key usages: [bogus]"},
      {"bad IP", [](CertificateSpec& s) { s.ip_addresses = {"300.1.1.1"}; },
       "invalid IP address \"300.1.1.1\""},
      {"non-ASCII DNS name", [](CertificateSpec& s) { s.dns_names = {"caf\xc3\xa9.test"}; },
       "x509: \"caf\xc3\xa9.test\" cannot be encoded as an IA5String"},
      {"bad other name OID",
       [](CertificateSpec& s) {
         s.other_names = {{"1", "x"}};
       },
       "invalid object identifier \"1\""},
      {"bad literal subject",
       [](CertificateSpec& s) {
         s.common_name.clear();
         s.literal_subject = "CN=x,O";
       },
       "DN ended with incomplete type, value pair"},
      {"unknown literal type", [](CertificateSpec& s) { s.literal_subject = "CN=x,title=y"; },
       "unrecognized subject attribute type \"title\""},
      {"bad CIDR",
       [](CertificateSpec& s) {
         s.name_constraints =
             NameConstraints{false, NameConstraintItem{{}, {"10/8"}, {}, {}}, std::nullopt};
       },
       "invalid CIDR address: 10/8"},
  };
  for (const ErrorCase& c : cases) {
    CertificateSpec spec = EcSpec();
    c.change(spec);
    absl::StatusOr<std::string> pem = BuildCsr(spec, EcKey());
    ASSERT_FALSE(pem.ok()) << c.name;
    EXPECT_EQ(pem.status().message(), c.message) << c.name;
    EXPECT_EQ(pem.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
  }
}

}  // namespace
}  // namespace certforge::pki
