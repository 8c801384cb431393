#include "lib/pki/certificate_builder.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <functional>
#include <string>

#include "lib/core/time_format.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/x509_extensions.h"
#include "tests/unit/pki/pki_test_util.h"

namespace certforge::pki {
namespace {

using std::chrono::days;
using std::chrono::seconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using TimePoint = std::chrono::system_clock::time_point;

TimePoint At(const char* rfc3339) { return *core::ParseRfc3339(rfc3339); }

const PrivateKey& CaKey() { return test::CachedKey(KeyAlgorithm::kEcdsa, 256); }
const Certificate& Ca() {
  static const Certificate ca = test::MakeCa(CaKey(), "Test Root CA");
  return ca;
}
const PrivateKey& LeafKey() { return test::CachedKey(KeyAlgorithm::kEcdsa, 384); }

bool ExtensionIsCritical(const Certificate& cert, int nid) {
  int index = X509_get_ext_by_NID(cert.get(), nid, -1);
  EXPECT_GE(index, 0) << OBJ_nid2sn(nid);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(cert.get(), index)) == 1;
}

bool SerialIsPositive(const Certificate& cert) {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(cert.get());
  BignumPtr value(ASN1_INTEGER_to_BN(serial, nullptr));
  return ASN1_STRING_type(serial) == V_ASN1_INTEGER && value && !BN_is_zero(value.get());
}

CertificateBuilder LeafBuilder() {
  CertificateBuilder builder;
  builder.SetCommonName("app.example.test")
      .SetOrganizations({"Example Org", "Second Org"})
      .SetDnsNames({"app.example.test", "*.app.example.test"})
      .SetIpAddresses({"127.0.0.1", "2001:DB8::1", "::ffff:10.1.2.3"})
      .SetValidity(At("2025-01-02T03:04:05.700Z"), At("2051-06-07T08:09:10Z"))
      .SetKeyUsages({KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment})
      .SetExtKeyUsages({ExtKeyUsage::kServerAuth, ExtKeyUsage::kClientAuth});
  return builder;
}

void ExpectLeafFields(const Certificate& cert) {
  EXPECT_EQ(X509_get_version(cert.get()), X509_VERSION_3);
  EXPECT_EQ(cert.CommonName(), "app.example.test");
  EXPECT_THAT(cert.Organizations(), ElementsAre("Example Org", "Second Org"));
  EXPECT_EQ(cert.IssuerCommonName(), "Test Root CA");
  EXPECT_THAT(cert.DnsNames(), ElementsAre("app.example.test", "*.app.example.test"));
  EXPECT_THAT(cert.IpAddresses(), ElementsAre("127.0.0.1", "2001:db8::1", "10.1.2.3"));
  // Whole seconds; the end is past 2049, so it is written as GeneralizedTime.
  EXPECT_EQ(cert.NotBefore(), At("2025-01-02T03:04:05Z"));
  EXPECT_EQ(cert.NotAfter(), At("2051-06-07T08:09:10Z"));
  EXPECT_FALSE(cert.IsCa());
  EXPECT_EQ(cert.MaxPathLength(), std::nullopt);
  EXPECT_THAT(cert.KeyUsages(),
              ElementsAre(KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment));
  EXPECT_THAT(cert.ExtKeyUsages(), ElementsAre(ExtKeyUsage::kServerAuth, ExtKeyUsage::kClientAuth));
  EXPECT_EQ(cert.SubjectKeyId(), KeyIdentifier(PublicKey::FromPrivateKey(LeafKey())->KeyBits()));
  EXPECT_EQ(cert.SubjectKeyId().size(), 20u);
  EXPECT_EQ(cert.AuthorityKeyId(), Ca().SubjectKeyId());
  EXPECT_TRUE(SerialIsPositive(cert));
  EXPECT_LE(cert.SerialHex().size(), 32u);
  EXPECT_EQ(cert.PublicKeyDer(), *LeafKey().PublicKeyDer());
  EXPECT_TRUE(cert.MatchesKey(LeafKey()));
  // Exactly these extensions: KU, EKU, basic constraints, SKID, AKID, SAN.
  EXPECT_EQ(X509_get_ext_count(cert.get()), 6);
  EXPECT_TRUE(ExtensionIsCritical(cert, NID_key_usage));
  EXPECT_TRUE(ExtensionIsCritical(cert, NID_basic_constraints));
  EXPECT_FALSE(ExtensionIsCritical(cert, NID_subject_alt_name));
  EXPECT_FALSE(ExtensionIsCritical(cert, NID_ext_key_usage));
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);  // the CA is P-256
}

TEST(CertificateBuilder, SignedCertificateHasExactlyTheFieldsSet) {
  absl::StatusOr<Certificate> cert = LeafBuilder().SignWith(Ca(), CaKey(), LeafKey());
  ASSERT_TRUE(cert.ok()) << cert.status();
  {
    SCOPED_TRACE("as built");
    ExpectLeafFields(*cert);
  }
  absl::StatusOr<Certificate> parsed = Certificate::FromPem(*cert->ToPem());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  {
    SCOPED_TRACE("parsed back");
    ExpectLeafFields(*parsed);
  }
  EXPECT_EQ(parsed->ToDer(), cert->ToDer());
  EXPECT_EQ(parsed->SerialHex(), cert->SerialHex());
}

TEST(CertificateBuilder, SelfSignedCaHasConstraintsAndNoAuthorityKeyId) {
  absl::StatusOr<Certificate> ca =
      CertificateBuilder()
          .SetCommonName("Root")
          .SetValidity(At("2025-01-01T00:00:00Z"), At("2035-01-01T00:00:00Z"))
          .SetIsCa(true, 1)
          .SetKeyUsages({KeyUsage::kKeyCertSign, KeyUsage::kCrlSign})
          .SignSelf(CaKey());
  ASSERT_TRUE(ca.ok()) << ca.status();
  absl::StatusOr<Certificate> parsed = Certificate::FromDer(ca->ToDer());
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  for (const Certificate& c : {*ca, *parsed}) {
    EXPECT_TRUE(c.IsCa());
    EXPECT_EQ(c.MaxPathLength(), 1);
    EXPECT_THAT(c.KeyUsages(), ElementsAre(KeyUsage::kKeyCertSign, KeyUsage::kCrlSign));
    EXPECT_THAT(c.ExtKeyUsages(), IsEmpty());
    EXPECT_THAT(c.DnsNames(), IsEmpty());
    EXPECT_EQ(c.IssuerCommonName(), "Root");
    EXPECT_EQ(c.AuthorityKeyId(), "");
    EXPECT_EQ(c.SubjectKeyId().size(), 20u);
    EXPECT_TRUE(c.IsSignedBy(c));
    EXPECT_EQ(X509_check_ca(c.get()), 1);
    EXPECT_EQ(X509_get_ext_count(c.get()), 3);
  }
}

TEST(CertificateBuilder, BuiltCertificateGivesOpenSslItsPublicKey) {
  absl::StatusOr<Certificate> cert = LeafBuilder().SignWith(Ca(), CaKey(), LeafKey());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EVP_PKEY* pub = X509_get0_pubkey(cert->get());
  ASSERT_NE(pub, nullptr);
  EXPECT_EQ(EVP_PKEY_eq(pub, LeafKey().get()), 1);
  EXPECT_EQ(X509_verify(cert->get(), X509_get0_pubkey(Ca().get())), 1);
}

struct SignerCase {
  std::string name;
  KeyAlgorithm algorithm;
  int size;
  int signature_nid;
};

class SignerTest : public ::testing::TestWithParam<SignerCase> {};

TEST_P(SignerTest, DigestFollowsTheIssuerKeyAndChainVerifies) {
  const PrivateKey& issuer_key = test::CachedKey(GetParam().algorithm, GetParam().size);
  Certificate issuer = test::MakeCa(issuer_key, "Issuer " + GetParam().name);
  EXPECT_EQ(X509_get_signature_nid(issuer.get()), GetParam().signature_nid);
  absl::StatusOr<Certificate> leaf =
      LeafBuilder().SignWith(issuer, issuer_key, test::CachedKey(KeyAlgorithm::kEd25519, 0));
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_EQ(X509_get_signature_nid(leaf->get()), GetParam().signature_nid);
  int error = -1;
  EXPECT_TRUE(test::VerifyChain(*leaf, issuer, {}, &error)) << X509_verify_cert_error_string(error);
  EXPECT_TRUE(leaf->IsSignedBy(issuer));
}

INSTANTIATE_TEST_SUITE_P(
    EveryAlgorithm, SignerTest,
    ::testing::Values(SignerCase{"Rsa", KeyAlgorithm::kRsa, 2048, NID_sha256WithRSAEncryption},
                      SignerCase{"P256", KeyAlgorithm::kEcdsa, 256, NID_ecdsa_with_SHA256},
                      SignerCase{"P384", KeyAlgorithm::kEcdsa, 384, NID_ecdsa_with_SHA384},
                      SignerCase{"P521", KeyAlgorithm::kEcdsa, 521, NID_ecdsa_with_SHA512},
                      SignerCase{"Ed25519", KeyAlgorithm::kEd25519, 0, NID_ED25519}),
    [](const auto& info) { return info.param.name; });

TEST(CertificateBuilder, ChainFailsAgainstAnotherCaEvenWithTheSameName) {
  absl::StatusOr<Certificate> leaf = LeafBuilder()
                                         .SetValidity(std::chrono::system_clock::now() - days(1),
                                                      std::chrono::system_clock::now() + days(1))
                                         .SignWith(Ca(), CaKey(), LeafKey());
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  int error = -1;
  EXPECT_TRUE(test::VerifyChain(*leaf, Ca(), {}, &error)) << X509_verify_cert_error_string(error);

  PrivateKey other_key = test::NewKey(KeyAlgorithm::kEcdsa, 256);
  Certificate same_name = test::MakeCa(other_key, "Test Root CA");
  Certificate other_name = test::MakeCa(other_key, "Other Root CA");
  EXPECT_FALSE(test::VerifyChain(*leaf, same_name, {}, &error));
  EXPECT_NE(error, X509_V_OK);
  EXPECT_FALSE(test::VerifyChain(*leaf, other_name, {}, &error));
  EXPECT_EQ(error, X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_FALSE(leaf->IsSignedBy(same_name));

  // With the authority key id left out, only the signature tells the two CAs apart.
  absl::StatusOr<Certificate> bare = LeafBuilder()
                                         .SetValidity(std::chrono::system_clock::now() - days(1),
                                                      std::chrono::system_clock::now() + days(1))
                                         .SetAuthorityKeyId("")
                                         .SignWith(Ca(), CaKey(), LeafKey());
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(bare->AuthorityKeyId(), "");
  EXPECT_TRUE(test::VerifyChain(*bare, Ca()));
  EXPECT_FALSE(test::VerifyChain(*bare, same_name, {}, &error));
  EXPECT_EQ(error, X509_V_ERR_CERT_SIGNATURE_FAILURE);
}

TEST(CertificateBuilder, IntermediateChainVerifies) {
  auto now = std::chrono::system_clock::now();
  const PrivateKey& intermediate_key = test::CachedKey(KeyAlgorithm::kEcdsa, 521);
  absl::StatusOr<Certificate> intermediate = CertificateBuilder()
                                                 .SetCommonName("Intermediate")
                                                 .SetValidity(now - days(1), now + days(30))
                                                 .SetIsCa(true, 0)
                                                 .SetKeyUsages({KeyUsage::kKeyCertSign})
                                                 .SignWith(Ca(), CaKey(), intermediate_key);
  ASSERT_TRUE(intermediate.ok()) << intermediate.status();
  absl::StatusOr<Certificate> leaf = LeafBuilder()
                                         .SetValidity(now - days(1), now + days(1))
                                         .SignWith(*intermediate, intermediate_key, LeafKey());
  ASSERT_TRUE(leaf.ok()) << leaf.status();
  EXPECT_EQ(leaf->AuthorityKeyId(), intermediate->SubjectKeyId());
  int error = -1;
  EXPECT_TRUE(test::VerifyChain(*leaf, Ca(), {*intermediate}, &error))
      << X509_verify_cert_error_string(error);
  EXPECT_FALSE(test::VerifyChain(*leaf, Ca(), {}, &error));

  // pathLen 0: the intermediate may not issue another CA.
  absl::StatusOr<Certificate> sub_ca = CertificateBuilder()
                                           .SetCommonName("Too deep")
                                           .SetValidity(now - days(1), now + days(1))
                                           .SetIsCa(true)
                                           .SetKeyUsages({KeyUsage::kKeyCertSign})
                                           .SignWith(*intermediate, intermediate_key, LeafKey());
  ASSERT_TRUE(sub_ca.ok());
  absl::StatusOr<Certificate> deep_leaf =
      LeafBuilder().SetValidity(now - days(1), now + days(1)).SignWith(*sub_ca, LeafKey(), CaKey());
  ASSERT_TRUE(deep_leaf.ok());
  EXPECT_FALSE(test::VerifyChain(*deep_leaf, Ca(), {*intermediate, *sub_ca}, &error));
  EXPECT_EQ(error, X509_V_ERR_PATH_LENGTH_EXCEEDED);
}

TEST(CertificateBuilder, RefusesAnIssuerKeyThatIsNotTheIssuers) {
  absl::StatusOr<Certificate> cert =
      LeafBuilder().SignWith(Ca(), test::CachedKey(KeyAlgorithm::kEcdsa, 521), LeafKey());
  ASSERT_FALSE(cert.ok());
  EXPECT_EQ(cert.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(cert.status().message()), HasSubstr("issuer key"));
}

TEST(CertificateBuilder, SignsAnEncodedPublicKeyCopiedFromElsewhere) {
  absl::StatusOr<Certificate> source = LeafBuilder().SignSelf(LeafKey());
  ASSERT_TRUE(source.ok()) << source.status();
  absl::StatusOr<PublicKey> copied = PublicKey::CopyOf(source->EncodedPublicKey());
  ASSERT_TRUE(copied.ok()) << copied.status();
  absl::StatusOr<Certificate> cert = LeafBuilder().SignWith(Ca(), CaKey(), *copied);
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->PublicKeyDer(), source->PublicKeyDer());
  EXPECT_TRUE(cert->MatchesKey(LeafKey()));
  EXPECT_FALSE(cert->MatchesKey(CaKey()));
}

TEST(CertificateBuilder, SerialIsRandomPerSignatureUnlessSet) {
  CertificateBuilder builder = LeafBuilder();
  absl::StatusOr<Certificate> a = builder.SignSelf(LeafKey());
  absl::StatusOr<Certificate> b = builder.SignSelf(LeafKey());
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->SerialHex(), b->SerialHex());
  EXPECT_TRUE(SerialIsPositive(*a));
  EXPECT_TRUE(SerialIsPositive(*b));

  // A top bit set stays a positive number.
  absl::StatusOr<Certificate> set = builder.SetSerialNumber("\x80\x01").SignSelf(LeafKey());
  ASSERT_TRUE(set.ok()) << set.status();
  EXPECT_EQ(set->SerialHex(), "8001");
  EXPECT_TRUE(SerialIsPositive(*set));
  EXPECT_EQ(Certificate::FromPem(*set->ToPem())->SerialHex(), "8001");
}

TEST(CertificateBuilder, EmptySubjectMakesTheAlternativeNamesCritical) {
  absl::StatusOr<Certificate> cert =
      CertificateBuilder()
          .SetDnsNames({"only-san.example.test"})
          .SetValidity(At("2025-01-01T00:00:00Z"), At("2025-02-01T00:00:00Z"))
          .SignSelf(LeafKey());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->CommonName(), "");
  EXPECT_TRUE(ExtensionIsCritical(*cert, NID_subject_alt_name));
}

TEST(CertificateBuilder, KeyIdentifiersCanBeSetOrLeftOut) {
  absl::StatusOr<Certificate> cert = LeafBuilder()
                                         .SetSubjectKeyId("")
                                         .SetAuthorityKeyId("custom-authority")
                                         .SignWith(Ca(), CaKey(), LeafKey());
  ASSERT_TRUE(cert.ok()) << cert.status();
  EXPECT_EQ(cert->SubjectKeyId(), "");
  EXPECT_EQ(cert->AuthorityKeyId(), "custom-authority");
  absl::StatusOr<Certificate> custom = LeafBuilder().SetSubjectKeyId("abc").SignSelf(LeafKey());
  ASSERT_TRUE(custom.ok()) << custom.status();
  EXPECT_EQ(custom->SubjectKeyId(), "abc");
}

struct InvalidCase {
  std::string name;
  std::function<void(CertificateBuilder&)> change;
  std::string message;
};

class InvalidBuilderTest : public ::testing::TestWithParam<InvalidCase> {};

TEST_P(InvalidBuilderTest, IsRefusedAsInvalidArgument) {
  CertificateBuilder builder = LeafBuilder();
  GetParam().change(builder);
  absl::StatusOr<Certificate> cert = builder.SignWith(Ca(), CaKey(), LeafKey());
  ASSERT_FALSE(cert.ok());
  EXPECT_EQ(cert.status().code(), absl::StatusCode::kInvalidArgument) << cert.status();
  EXPECT_THAT(std::string(cert.status().message()), HasSubstr(GetParam().message));
  EXPECT_FALSE(builder.SignSelf(LeafKey()).ok());
}

InvalidCase BadIp(const std::string& name, const std::string& ip) {
  return {name,
          [ip](CertificateBuilder& b) {
            b.SetIpAddresses({"10.0.0.1", ip});
          },
          "invalid IP address \"" + ip + "\""};
}

InvalidCase BadDns(const std::string& name, const std::string& dns) {
  return {name, [dns](CertificateBuilder& b) { b.SetDnsNames({dns}); },
          "invalid DNS name \"" + dns + "\""};
}

INSTANTIATE_TEST_SUITE_P(
    Table, InvalidBuilderTest,
    ::testing::Values(
        BadIp("IpThreeParts", "1.2.3"), BadIp("IpOctetTooBig", "256.1.1.1"),
        BadIp("IpBadHex", "::g"), BadIp("IpEmpty", ""), BadIp("IpPrefix", "10.0.0.0/8"),
        BadIp("IpLeadingSpace", " 10.0.0.1"), BadIp("IpHostname", "localhost"),
        BadDns("DnsEmpty", ""), BadDns("DnsSpace", "bad name.example"),
        BadDns("DnsNonAscii", "b\xc3\xa4r.example"),
        InvalidCase{"NoValidity", [](CertificateBuilder& b) { b = CertificateBuilder(); },
                    "validity is not set"},
        InvalidCase{"EndsBeforeStart",
                    [](CertificateBuilder& b) {
                      b.SetValidity(At("2025-01-02T00:00:00Z"), At("2025-01-01T00:00:00Z"));
                    },
                    "validity ends before it starts"},
        InvalidCase{"EmptyValidity",
                    [](CertificateBuilder& b) {
                      b.SetValidity(At("2025-01-02T00:00:00Z"), At("2025-01-02T00:00:00Z"));
                    },
                    "validity ends before it starts"},
        InvalidCase{"ZeroSerial",
                    [](CertificateBuilder& b) { b.SetSerialNumber(std::string(3, '\0')); },
                    "serial number"},
        InvalidCase{"LongSerial",
                    [](CertificateBuilder& b) { b.SetSerialNumber(std::string(21, '\1')); },
                    "serial number"},
        InvalidCase{"PathLengthWithoutCa", [](CertificateBuilder& b) { b.SetIsCa(false, 2); },
                    "path length"},
        InvalidCase{"NegativePathLength", [](CertificateBuilder& b) { b.SetIsCa(true, -1); },
                    "path length"},
        InvalidCase{"CommonNameTooLong",
                    [](CertificateBuilder& b) { b.SetCommonName(std::string(65, 'a')); },
                    "invalid commonName"}),
    [](const auto& info) { return info.param.name; });

TEST(CertificateBuilder, ValidateReportsWithoutSigning) {
  EXPECT_TRUE(LeafBuilder().Validate().ok());
  EXPECT_EQ(CertificateBuilder().Validate().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certforge::pki
