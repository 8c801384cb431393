#include "lib/pki/csr_signer.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "lib/pki/csr_builder.h"
#include "lib/pki/distinguished_name.h"
#include "lib/pki/general_names.h"
#include "lib/pki/public_key.h"
#include "lib/pki/x509_extensions.h"
#include "tests/unit/pki/x509_test_util.h"

namespace certforge::pki {
namespace {

using std::chrono::hours;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

const PrivateKey& EcKey() { return test::CachedKey(KeyAlgorithm::kEcdsa, 256); }

CertificateSpec EcSpec() {
  CertificateSpec spec = test::MinimalSpec();
  spec.private_key.algorithm = "ECDSA";
  return spec;
}

SignOptions SelfSigned(const PrivateKey& key) {
  SignOptions options;
  options.self_signed_key = key;
  return options;
}

SignOptions ByCa(std::shared_ptr<const CaIssuer> ca) {
  SignOptions options;
  options.ca = std::move(ca);
  return options;
}

SubjectAltNames NamesOf(const Certificate& certificate) {
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate.get(), NID_subject_alt_name, nullptr, nullptr)));
  return DecodeGeneralNames(names.get());
}

std::string SerialBytes(const Certificate& certificate) {
  return std::string(Asn1Bytes(X509_get0_serialNumber(certificate.get())));
}

std::string KeyBitsOf(const ParsedCsr& csr) { return std::string(csr.public_key().KeyBits()); }

const std::shared_ptr<const CaIssuer>& Root() {
  static const auto root = test::RootIssuer(test::CachedKey(KeyAlgorithm::kEcdsa, 384), "Root CA");
  return root;
}

TEST(IssueFromCsr, SelfSignedCopiesTheRequest) {
  CertificateSpec spec = EcSpec();
  spec.subject.organizations = {"Org"};
  spec.dns_names = {"app.example.test", "*.app.example.test"};
  spec.ip_addresses = {"10.0.0.1", "2001:db8::1"};
  spec.uris = {"spiffe://cluster.local/ns/a/sa/b"};
  spec.email_addresses = {"admin@example.test"};
  spec.other_names = {{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}};
  spec.usages = {"digital signature", "key encipherment", "server auth"};
  ParsedCsr csr = test::CsrFor(spec, EcKey());
  SignOptions options = SelfSigned(EcKey());
  options.usages = spec.usages;
  options.duration = hours(48);
  options.crl_distribution_points = {"http://crl.example.test/ca.crl"};
  options.ocsp_servers = {"http://ocsp.example.test"};  // CA issuers only: ignored here
  IssuedCertificate issued = test::IssueOrDie(csr, options);
  const Certificate& cert = issued.certificate;

  EXPECT_EQ(NameDer(X509_get_subject_name(cert.get())), csr.subject_der());
  EXPECT_EQ(NameDer(X509_get_issuer_name(cert.get())), csr.subject_der());
  EXPECT_EQ(cert.PublicKeyDer(), csr.public_key().ToDer());
  SubjectAltNames names = NamesOf(cert);
  EXPECT_THAT(names.dns_names, ElementsAre("app.example.test", "*.app.example.test"));
  EXPECT_THAT(names.ip_addresses, ElementsAre("10.0.0.1", "2001:db8::1"));
  EXPECT_THAT(names.uris, ElementsAre("spiffe://cluster.local/ns/a/sa/b"));
  EXPECT_THAT(names.email_addresses, ElementsAre("admin@example.test"));
  EXPECT_THAT(names.other_names,
              ElementsAre(OtherName{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}));
  // The subjectAltName bytes are the CSR's, as cert-manager copies the extension.
  EXPECT_EQ(test::ExtensionData(cert, NID_subject_alt_name),
            std::string(Asn1Bytes(X509_EXTENSION_get_data(
                const_cast<X509_EXTENSION*>(csr.subject_alt_name_extension())))));
  EXPECT_FALSE(test::ExtensionCritical(cert, NID_subject_alt_name));

  EXPECT_EQ(cert.NotBefore(), test::FixedNow());
  EXPECT_EQ(cert.NotAfter(), test::FixedNow() + hours(48));
  EXPECT_THAT(cert.KeyUsages(),
              ElementsAre(KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment));
  EXPECT_THAT(cert.ExtKeyUsages(), ElementsAre(ExtKeyUsage::kServerAuth));
  EXPECT_FALSE(cert.IsCa());
  EXPECT_TRUE(test::ExtensionCritical(cert, NID_basic_constraints));
  EXPECT_TRUE(test::ExtensionCritical(cert, NID_key_usage));
  // Go gives only CAs a subjectKeyIdentifier, and self-signed certificates no AKID.
  EXPECT_EQ(cert.SubjectKeyId(), "");
  EXPECT_EQ(cert.AuthorityKeyId(), "");
  EXPECT_THAT(test::ExtensionOrder(cert),
              ElementsAre(NID_key_usage, NID_ext_key_usage, NID_basic_constraints,
                          NID_crl_distribution_points, NID_subject_alt_name));
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  // Go's serial: 20 random bytes, top bit clear, so positive and at most 20 octets.
  EXPECT_LE(SerialBytes(cert).size(), 20u);
  EXPECT_GE(SerialBytes(cert).size(), 17u);
  EXPECT_EQ(ASN1_STRING_type(X509_get0_serialNumber(cert.get())), V_ASN1_INTEGER);
  EXPECT_NE(SerialBytes(cert), SerialBytes(test::IssueOrDie(csr, options).certificate));
  EXPECT_EQ(test::SignatureDigestNid(cert), NID_sha256);
  EXPECT_EQ(X509_verify(cert.get(), EcKey().get()), 1);

  EXPECT_EQ(issued.certificate_pem, *cert.ToPem());
  EXPECT_EQ(issued.chain_pem, issued.certificate_pem);
  EXPECT_EQ(issued.ca_pem, issued.certificate_pem);
  EXPECT_THAT(issued.warnings, IsEmpty());
}

TEST(IssueFromCsr, CaCertificatesGetCertSignConstraintsAndKeyId) {
  CertificateSpec spec = EcSpec();
  spec.is_ca = true;
  spec.name_constraints =
      NameConstraints{true, NameConstraintItem{{"example.test"}, {"10.0.0.0/8"}, {}, {}},
                      NameConstraintItem{{}, {}, {"bad@example.test"}, {}}};
  ParsedCsr csr = test::CsrFor(spec, EcKey());
  SignOptions options = SelfSigned(EcKey());
  options.is_ca = true;
  const Certificate cert = test::IssueOrDie(csr, options).certificate;
  EXPECT_TRUE(cert.IsCa());
  EXPECT_EQ(cert.MaxPathLength(), std::nullopt);
  EXPECT_THAT(cert.KeyUsages(), ElementsAre(KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment,
                                            KeyUsage::kKeyCertSign));
  EXPECT_EQ(cert.SubjectKeyId(), Sha256KeyIdentifier(KeyBitsOf(csr)));
  EXPECT_EQ(cert.SubjectKeyId().size(), 20u);
  EXPECT_EQ(cert.AuthorityKeyId(), "");
  EXPECT_TRUE(test::ExtensionCritical(cert, NID_name_constraints));
  NameConstraintsPtr constraints(static_cast<NAME_CONSTRAINTS*>(
      X509_get_ext_d2i(cert.get(), NID_name_constraints, nullptr, nullptr)));
  ASSERT_TRUE(constraints);
  EXPECT_EQ(sk_GENERAL_SUBTREE_num(constraints->permittedSubtrees), 2);
  EXPECT_EQ(sk_GENERAL_SUBTREE_num(constraints->excludedSubtrees), 1);
  EXPECT_THAT(test::ExtensionOrder(cert),
              ElementsAre(NID_key_usage, NID_basic_constraints, NID_subject_key_identifier,
                          NID_name_constraints, NID_subject_alt_name));
}

TEST(IssueFromCsr, EmptySubjectMakesNamesCriticalAndWarns) {
  CertificateSpec spec = EcSpec();
  spec.common_name.clear();
  IssuedCertificate issued = test::IssueOrDie(test::CsrFor(spec, EcKey()), SelfSigned(EcKey()));
  EXPECT_TRUE(test::ExtensionCritical(issued.certificate, NID_subject_alt_name));
  EXPECT_THAT(issued.warnings, ElementsAre(kEmptyIssuerDnWarning));
  EXPECT_EQ(X509_NAME_entry_count(X509_get_issuer_name(issued.certificate.get())), 0);
}

struct UsageCase {
  std::vector<std::string> usages;
  bool is_ca;
  std::vector<KeyUsage> key_usages;
  std::vector<ExtKeyUsage> ext_key_usages;
};

TEST(IssueFromCsr, UsagesAsCertManagerMapsThem) {
  const UsageCase cases[] = {
      {{}, false, {KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment}, {}},
      {{},
       true,
       {KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment, KeyUsage::kKeyCertSign},
       {}},
      {{"signing", "key agreement"},
       false,
       {KeyUsage::kDigitalSignature, KeyUsage::kKeyAgreement},
       {}},
      {{"server auth", "client auth"},
       false,
       {},
       {ExtKeyUsage::kServerAuth, ExtKeyUsage::kClientAuth}},
      {{"cert sign", "crl sign", "ocsp signing"},
       true,
       {KeyUsage::kKeyCertSign, KeyUsage::kCrlSign},
       {ExtKeyUsage::kOcspSigning}},
      {{"content commitment", "data encipherment", "encipher only", "decipher only"},
       false,
       {KeyUsage::kContentCommitment, KeyUsage::kDataEncipherment, KeyUsage::kEncipherOnly,
        KeyUsage::kDecipherOnly},
       {}},
      {{"any", "code signing", "s/mime", "email protection", "ipsec end system", "ipsec tunnel",
        "ipsec user", "timestamping", "microsoft sgc", "netscape sgc"},
       false,
       {},
       {ExtKeyUsage::kAny, ExtKeyUsage::kCodeSigning, ExtKeyUsage::kEmailProtection,
        ExtKeyUsage::kEmailProtection, ExtKeyUsage::kIpsecEndSystem, ExtKeyUsage::kIpsecTunnel,
        ExtKeyUsage::kIpsecUser, ExtKeyUsage::kTimeStamping,
        ExtKeyUsage::kMicrosoftServerGatedCrypto, ExtKeyUsage::kNetscapeServerGatedCrypto}},
  };
  for (const UsageCase& c : cases) {
    CertificateSpec spec = EcSpec();
    spec.usages = c.usages;
    spec.is_ca = c.is_ca;
    SignOptions options = SelfSigned(EcKey());
    options.usages = c.usages;
    options.is_ca = c.is_ca;
    // Both with the usages in the CSR (checked against the request) and without.
    for (bool encode : {true, false}) {
      spec.encode_usages_in_request = encode;
      const Certificate cert = test::IssueOrDie(test::CsrFor(spec, EcKey()), options).certificate;
      EXPECT_THAT(cert.KeyUsages(), ElementsAreArray(c.key_usages)) << c.usages.size();
      EXPECT_THAT(cert.ExtKeyUsages(), ElementsAreArray(c.ext_key_usages)) << c.usages.size();
      EXPECT_EQ(test::ExtensionData(cert, NID_key_usage).empty(), c.key_usages.empty());
    }
  }
}

TEST(IssueFromCsr, KeepsKeyEnciphermentForEcdsaLikeCertManagersCaAndSelfSigned) {
  const Certificate cert =
      test::IssueOrDie(test::CsrFor(EcSpec(), EcKey()), ByCa(Root())).certificate;
  EXPECT_THAT(cert.KeyUsages(),
              ElementsAre(KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment));
}

struct AlgorithmCase {
  KeyAlgorithm algorithm;
  int size;
  int digest_nid;
};

TEST(IssueFromCsr, SignatureDigestFollowsTheIssuersKey) {
  const AlgorithmCase cases[] = {
      {KeyAlgorithm::kRsa, 2048, NID_sha256},  {KeyAlgorithm::kRsa, 3072, NID_sha384},
      {KeyAlgorithm::kRsa, 4096, NID_sha512},  {KeyAlgorithm::kEcdsa, 256, NID_sha256},
      {KeyAlgorithm::kEcdsa, 384, NID_sha384}, {KeyAlgorithm::kEcdsa, 521, NID_sha512},
      {KeyAlgorithm::kEd25519, 0, NID_undef},
  };
  for (const AlgorithmCase& c : cases) {
    const PrivateKey& key = test::CachedKey(c.algorithm, c.size);
    CertificateSpec spec = test::MinimalSpec();
    spec.private_key = {std::string(KeyAlgorithmName(c.algorithm)), c.size, ""};
    ParsedCsr csr = test::CsrFor(spec, key);
    const Certificate self = test::IssueOrDie(csr, SelfSigned(key)).certificate;
    EXPECT_EQ(test::SignatureDigestNid(self), c.digest_nid)
        << KeyAlgorithmName(c.algorithm) << c.size;
    EXPECT_EQ(X509_verify(self.get(), key.get()), 1);
    // Under a CA the CA's key decides (P-384 → SHA-384), whatever the leaf's key.
    const Certificate leaf = test::IssueOrDie(csr, ByCa(Root())).certificate;
    EXPECT_EQ(test::SignatureDigestNid(leaf), NID_sha384);
    EXPECT_EQ(leaf.PublicKeyDer(), *key.PublicKeyDer());
    EXPECT_TRUE(leaf.IsSignedBy(Root()->signing_certificate()));
  }
}

TEST(IssueFromCsr, CaIssuerSetsIssuerKeyIdsAndIssuerUrls) {
  ParsedCsr csr = test::CsrFor(EcSpec(), EcKey());
  SignOptions options = ByCa(Root());
  options.crl_distribution_points = {"http://crl.example.test/root.crl"};
  options.ocsp_servers = {"http://ocsp.example.test"};
  options.issuing_certificate_urls = {"http://ca.example.test/root.crt"};
  options.now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  IssuedCertificate issued = test::IssueOrDie(csr, options);
  const Certificate& cert = issued.certificate;
  EXPECT_EQ(NameDer(X509_get_issuer_name(cert.get())),
            NameDer(X509_get_subject_name(Root()->signing_certificate().get())));
  EXPECT_EQ(cert.AuthorityKeyId(), Root()->signing_certificate().SubjectKeyId());
  EXPECT_FALSE(cert.AuthorityKeyId().empty());
  EXPECT_EQ(cert.SubjectKeyId(), "");
  EXPECT_THAT(test::ExtensionOrder(cert),
              ElementsAre(NID_key_usage, NID_basic_constraints, NID_authority_key_identifier,
                          NID_info_access, NID_crl_distribution_points, NID_subject_alt_name));
  AuthorityInfoAccessPtr access(static_cast<AUTHORITY_INFO_ACCESS*>(
      X509_get_ext_d2i(cert.get(), NID_info_access, nullptr, nullptr)));
  ASSERT_EQ(sk_ACCESS_DESCRIPTION_num(access.get()), 2);
  EXPECT_EQ(OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(access.get(), 0)->method), NID_ad_OCSP);
  EXPECT_EQ(OBJ_obj2nid(sk_ACCESS_DESCRIPTION_value(access.get(), 1)->method), NID_ad_ca_issuers);
  EXPECT_EQ(
      Asn1Bytes(
          sk_ACCESS_DESCRIPTION_value(access.get(), 1)->location->d.uniformResourceIdentifier),
      "http://ca.example.test/root.crt");
  CrlDistPointsPtr points(static_cast<CRL_DIST_POINTS*>(
      X509_get_ext_d2i(cert.get(), NID_crl_distribution_points, nullptr, nullptr)));
  ASSERT_EQ(sk_DIST_POINT_num(points.get()), 1);
  EXPECT_EQ(Asn1Bytes(sk_GENERAL_NAME_value(
                          sk_DIST_POINT_value(points.get(), 0)->distpoint->name.fullname, 0)
                          ->d.uniformResourceIdentifier),
            "http://crl.example.test/root.crl");
  // A root alone: tls.crt is the leaf, ca.crt the root.
  EXPECT_EQ(issued.chain_pem, issued.certificate_pem);
  EXPECT_EQ(issued.ca_pem, *Root()->signing_certificate().ToPem());
  EXPECT_TRUE(test::VerifyChain(cert, Root()->signing_certificate()));
}

TEST(IssueFromCsr, ChainsAndCaCertificateAsCertManagerBuildsThem) {
  auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const PrivateKey& intermediate_key = test::CachedKey(KeyAlgorithm::kEcdsa, 521);
  ParsedCsr csr = test::CsrFor(EcSpec(), EcKey());
  for (bool with_ca_crt : {true, false}) {
    auto intermediate =
        test::IntermediateIssuer(Root(), intermediate_key, "Intermediate CA", with_ca_crt);
    SignOptions options = ByCa(intermediate);
    options.now = now;
    IssuedCertificate issued = test::IssueOrDie(csr, options);
    std::string intermediate_pem = *intermediate->signing_certificate().ToPem();
    // tls.crt: leaf then intermediate; the self-signed root is never in it.
    EXPECT_EQ(issued.chain_pem, issued.certificate_pem + intermediate_pem) << with_ca_crt;
    // ca.crt: the root when the Secret had it, else the highest certificate known.
    EXPECT_EQ(issued.ca_pem,
              with_ca_crt ? *Root()->signing_certificate().ToPem() : intermediate_pem)
        << with_ca_crt;
    EXPECT_EQ(issued.certificate.AuthorityKeyId(),
              intermediate->signing_certificate().SubjectKeyId());
    EXPECT_EQ(test::SignatureDigestNid(issued.certificate), NID_sha512);
    EXPECT_TRUE(test::VerifyChain(issued.certificate, Root()->signing_certificate(),
                                  {intermediate->signing_certificate()}));
  }
}

TEST(IssueFromCsr, DoesNotCapNotAfterAtTheCas) {
  SignOptions options = ByCa(Root());
  options.duration = hours(24 * 365 * 20);
  const Certificate cert = test::IssueOrDie(test::CsrFor(EcSpec(), EcKey()), options).certificate;
  EXPECT_GT(cert.NotAfter(), Root()->signing_certificate().NotAfter());
  EXPECT_EQ(cert.NotAfter() - cert.NotBefore(), hours(24 * 365 * 20));
}

TEST(IssueFromCsr, CarriesUnknownExtendedUsagesOfTheRequest) {
  test::ScratchDir dir;
  std::string key = test::WriteFile(dir, "key.pem", *EcKey().ToPkcs8Pem());
  test::CommandResult made = test::RunCommand(
      "openssl req -new -key " + key + " -subj /CN=x -addext 'keyUsage=digitalSignature," +
      "keyEncipherment' -addext 'extendedKeyUsage=serverAuth,1.2.3.4'");
  ASSERT_EQ(made.exit_code, 0) << made.output;
  SignOptions options = SelfSigned(EcKey());
  options.usages = {"digital signature", "key encipherment", "server auth"};
  const Certificate cert = test::IssueOrDie(*ParsedCsr::FromPem(made.output), options).certificate;
  ExtendedKeyUsagePtr usages(static_cast<EXTENDED_KEY_USAGE*>(
      X509_get_ext_d2i(cert.get(), NID_ext_key_usage, nullptr, nullptr)));
  ASSERT_EQ(sk_ASN1_OBJECT_num(usages.get()), 2);
  EXPECT_EQ(OBJ_obj2nid(sk_ASN1_OBJECT_value(usages.get(), 0)), NID_server_auth);
  char oid[32];
  OBJ_obj2txt(oid, sizeof(oid), sk_ASN1_OBJECT_value(usages.get(), 1), 1);
  EXPECT_STREQ(oid, "1.2.3.4");
  // No subjectAltName requested, none issued.
  EXPECT_EQ(test::ExtensionData(cert, NID_subject_alt_name), "");
}

struct RefusalCase {
  const char* name;
  std::function<void(CertificateSpec&, CsrOptions&, SignOptions&)> change;
  const char* message;
};

TEST(IssueFromCsr, RefusesWhatCertManagerRefuses) {
  const RefusalCase cases[] = {
      {"another key",
       [](CertificateSpec&, CsrOptions&, SignOptions& o) {
         o.self_signed_key = test::CachedKey(KeyAlgorithm::kEcdsa, 384);
       },
       "CSR not signed by referenced private key"},
      {"key usages differ",
       [](CertificateSpec&, CsrOptions&, SignOptions& o) { o.usages = {"digital signature"}; },
       "encoded CSR error: the KeyUsages [ 'digital signature', 'key encipherment' ] do not "
       "match the expected KeyUsages [ 'digital signature' ]"},
      {"extended usages in another order",
       [](CertificateSpec& s, CsrOptions&, SignOptions& o) {
         s.usages = {"server auth", "client auth"};
         o.usages = {"client auth", "server auth"};
       },
       "encoded CSR error: the ExtKeyUsages [ 'server auth', 'client auth' ] do not match the "
       "expected ExtKeyUsages [ 'client auth', 'server auth' ]"},
      {"isCA adds cert sign the request lacks",
       [](CertificateSpec&, CsrOptions&, SignOptions& o) { o.is_ca = true; },
       "encoded CSR error: the KeyUsages [ 'digital signature', 'key encipherment' ] do not "
       "match the expected KeyUsages [ 'digital signature', 'key encipherment', 'cert sign' ]"},
      {"basic constraints differ",
       [](CertificateSpec& s, CsrOptions& c, SignOptions& o) {
         s.encode_usages_in_request = false;
         c.encode_basic_constraints = true;
         o.is_ca = true;
       },
       "encoded CSR error: IsCA false does not match expected value true"},
      {"unknown usage",
       [](CertificateSpec&, CsrOptions&, SignOptions& o) {
         o.usages = {"bogus", "nope"};
       },
       "unknown key usages: [bogus nope]"},
      {"two issuers", [](CertificateSpec&, CsrOptions&, SignOptions& o) { o.ca = Root(); },
       "exactly one of a self-signed key or a CA issuer is needed"},
      {"no duration", [](CertificateSpec&, CsrOptions&, SignOptions& o) { o.duration = hours(0); },
       "the certificate duration must be positive"},
  };
  for (const RefusalCase& c : cases) {
    CertificateSpec spec = EcSpec();
    CsrOptions csr_options;
    SignOptions options = SelfSigned(EcKey());
    c.change(spec, csr_options, options);
    absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(*BuildCsr(spec, EcKey(), csr_options));
    ASSERT_TRUE(csr.ok()) << c.name;
    absl::StatusOr<IssuedCertificate> issued = IssueFromCsr(*csr, options);
    ASSERT_FALSE(issued.ok()) << c.name;
    EXPECT_EQ(issued.status().message(), c.message) << c.name;
    EXPECT_EQ(issued.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
  }
}

TEST(IssueFromCsr, SharesOneIssuerAndRequestAcrossThreads) {
  ParsedCsr csr = test::CsrFor(EcSpec(), EcKey());
  auto intermediate =
      test::IntermediateIssuer(Root(), test::CachedKey(KeyAlgorithm::kEcdsa, 521), "Shared", true);
  std::vector<std::thread> threads;
  std::vector<std::vector<std::string>> serials(4);
  for (size_t t = 0; t < serials.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 25; ++i) {
        SignOptions options = ByCa(intermediate);
        options.now = test::FixedNow();
        absl::StatusOr<IssuedCertificate> issued = IssueFromCsr(csr, options);
        if (!issued.ok() || !issued->certificate.IsSignedBy(intermediate->signing_certificate())) {
          return;
        }
        serials[t].push_back(SerialBytes(issued->certificate));
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  std::set<std::string> unique;
  for (const auto& list : serials) {
    EXPECT_EQ(list.size(), 25u);
    unique.insert(list.begin(), list.end());
  }
  EXPECT_EQ(unique.size(), 100u);
}

TEST(CaIssuer, RefusesBadSecrets) {
  const PrivateKey& root_key = test::CachedKey(KeyAlgorithm::kEcdsa, 384);
  const Certificate& root = Root()->signing_certificate();
  EXPECT_EQ(CaIssuer::Create({root}, EcKey()).status().message(),
            "x509: provided PrivateKey doesn't match parent's PublicKey");
  EXPECT_EQ(CaIssuer::Create({}, root_key).status().message(),
            "no CA certificates given to sign CSR template");

  // A leaf is not a CA.
  const Certificate leaf =
      test::IssueOrDie(test::CsrFor(EcSpec(), EcKey()), SelfSigned(EcKey())).certificate;
  EXPECT_THAT(CaIssuer::Create({leaf}, EcKey()).status().message(),
              HasSubstr("certificate chain is malformed or broken"));

  // An unrelated certificate in the chain breaks it; a duplicate does not.
  auto other_root = test::RootIssuer(test::NewKey(KeyAlgorithm::kEcdsa, 256), "Other");
  EXPECT_EQ(
      CaIssuer::Create({root, other_root->signing_certificate()}, root_key).status().message(),
      "certificate chain is malformed or broken");
  EXPECT_TRUE(CaIssuer::Create({root, root}, root_key).ok());

  // The signing certificate must be the bottom of the chain: a root listed first with its
  // intermediate after it cannot sign below that intermediate.
  auto intermediate = test::IntermediateIssuer(Root(), EcKey(), "Intermediate", false);
  EXPECT_EQ(
      CaIssuer::Create({root, intermediate->signing_certificate()}, root_key).status().message(),
      "certificate chain is malformed or broken");
  EXPECT_TRUE(CaIssuer::Create({intermediate->signing_certificate(), root}, EcKey()).ok());
}

}  // namespace
}  // namespace certforge::pki
