#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lib/pki/certificate_spec.h"

namespace certforge::pki {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

CertificateSpec Valid() {
  CertificateSpec spec;
  spec.common_name = "app.example.test";
  return spec;
}

struct ValidationCase {
  const char* name;
  std::function<void(CertificateSpec&)> change;
  std::vector<std::string> want;
};

TEST(ValidateCertificateSpec, AcceptsValidSpecs) {
  const std::vector<std::function<void(CertificateSpec&)>> valid = {
      [](CertificateSpec&) {},
      [](CertificateSpec& s) {
        s.common_name.clear();
        s.dns_names = {"a.example.test"};
      },
      [](CertificateSpec& s) {
        s.common_name.clear();
        s.literal_subject = "CN=app,OU=Unit+O=Org,DC=example,DC=test,UID=42,1.2.3.4=x";
      },
      [](CertificateSpec& s) {
        s.common_name.clear();
        s.other_names = {{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}};
      },
      // Accepted by the webhook; only encoding the CSR fails (first arc above 2), as upstream.
      [](CertificateSpec& s) {
        s.common_name.clear();
        s.literal_subject = "CN=x,123.4=y";
      },
      [](CertificateSpec& s) {
        s.ip_addresses = {"10.0.0.1", "2001:db8::1", "::ffff:1.2.3.4"};
      },
      [](CertificateSpec& s) {
        s.email_addresses = {"a@example.test", "first.last@[10.0.0.1]"};
      },
      [](CertificateSpec& s) {
        s.uris = {"spiffe://cluster.local/ns/a/sa/b", "urn:x:y"};
      },
      [](CertificateSpec& s) { s.duration = std::chrono::hours(1); },
      [](CertificateSpec& s) {
        s.private_key = {"ECDSA", 521, ""};
        s.signature_algorithm = "ECDSAWithSHA256";
      },
      [](CertificateSpec& s) {
        s.private_key = {"RSA", 4096, "PKCS8"};
        s.signature_algorithm = "SHA512WithRSA";
      },
      [](CertificateSpec& s) {
        s.private_key = {"Ed25519", 0, ""};
        s.signature_algorithm = "PureEd25519";
      },
      [](CertificateSpec& s) {
        s.usages = {"signing", "s/mime", "cert sign", "netscape sgc"};
      },
      [](CertificateSpec& s) {
        s.is_ca = true;
        s.name_constraints =
            NameConstraints{false, NameConstraintItem{{}, {"10.0.0.0/8"}, {}, {}}, std::nullopt};
      },
  };
  for (size_t i = 0; i < valid.size(); ++i) {
    CertificateSpec spec = Valid();
    valid[i](spec);
    EXPECT_THAT(ValidateCertificateSpec(spec), IsEmpty()) << "case " << i;
  }
}

TEST(ValidateCertificateSpec, ReportsWhatCertManagersWebhookReports) {
  const ValidationCase cases[] = {
      {"no name at all",
       [](CertificateSpec& s) { s.common_name.clear(); },
       {"spec: Invalid value: \"\": at least one of commonName (from the commonName field or "
        "from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must "
        "be set"}},
      {"common name too long",
       [](CertificateSpec& s) { s.common_name = std::string(65, 'a'); },
       {"spec.commonName: Too long: must have at most 64 bytes"}},
      {"literal subject with common name",
       [](CertificateSpec& s) { s.literal_subject = "CN=x"; },
       {"spec.commonName: Invalid value: \"app.example.test\": When providing a `LiteralSubject` "
        "no `commonName` may be provided."}},
      {"literal subject with subject",
       [](CertificateSpec& s) {
         s.common_name.clear();
         s.literal_subject = "CN=x";
         s.subject.organizations = {"Org"};
       },
       {"spec.subject: Invalid value: certmanager.X509Subject{Organizations:[]string{\"Org\"}, "
        "Countries:[]string(nil), OrganizationalUnits:[]string(nil), Localities:[]string(nil), "
        "Provinces:[]string(nil), StreetAddresses:[]string(nil), PostalCodes:[]string(nil), "
        "SerialNumber:\"\"}: When providing a `LiteralSubject` no `Subject` properties may be "
        "provided."}},
      {"literal subject CN counts as a name",
       [](CertificateSpec& s) {
         s.common_name.clear();
         s.literal_subject = "O=Org";
       },
       {"spec: Invalid value: \"\": at least one of commonName (from the commonName field or "
        "from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must "
        "be set"}},
      {"literal subject unknown type",
       [](CertificateSpec& s) {
         s.common_name.clear();
         s.literal_subject = "CN=x,postalCode=123";
       },
       {"spec.literalSubject: Invalid value: \"CN=x,postalCode=123\": Literal subject contains "
        "unrecognized key with value [123]"}},
      {"literal subject malformed",
       [](CertificateSpec& s) {
         s.common_name.clear();
         s.literal_subject = "CN=x,O";
       },
       {"spec.literalSubject: Invalid value: \"CN=x,O\": DN ended with incomplete type, value "
        "pair",
        "spec: Invalid value: \"\": at least one of commonName (from the commonName field or "
        "from a literalSubject), dnsNames, emailSANs, ipAddresses, otherNames, or uriSANs must "
        "be set"}},
      {"literal subject CN too long",
       [](CertificateSpec& s) {
         s.common_name.clear();
         s.literal_subject = "CN=" + std::string(65, 'x');
       },
       {"spec.commonName: Too long: must have at most 64 bytes"}},
      {"bad IP",
       [](CertificateSpec& s) {
         s.ip_addresses = {"10.0.0.1", "10.0.0", "fe80::1%eth0"};
       },
       {"spec.ipAddresses[1]: Invalid value: \"10.0.0\": invalid IP address",
        "spec.ipAddresses[2]: Invalid value: \"fe80::1%eth0\": invalid IP address"}},
      {"email with display name",
       [](CertificateSpec& s) { s.email_addresses = {"Alice <alice@example.test>"}; },
       {"spec.emailAddresses[0]: Invalid value: \"Alice <alice@example.test>\": invalid email "
        "address: make sure the supplied value only contains the email address itself"}},
      {"email without at",
       [](CertificateSpec& s) { s.email_addresses = {"alice"}; },
       {"spec.emailAddresses[0]: Invalid value: \"alice\": invalid email address: mail: missing "
        "'@' or angle-addr"}},
      {"email with two words",
       [](CertificateSpec& s) { s.email_addresses = {"alice smith"}; },
       {"spec.emailAddresses[0]: Invalid value: \"alice smith\": invalid email address: mail: no "
        "angle-addr"}},
      {"email with two ats",
       [](CertificateSpec& s) { s.email_addresses = {"a@b@c"}; },
       {"spec.emailAddresses[0]: Invalid value: \"a@b@c\": invalid email address: mail: expected "
        "single address, got \"@c\""}},
      {"bad URI",
       [](CertificateSpec& s) {
         s.uris = {"https://exa mple.test/", "%zz"};
       },
       {"spec.uris[0]: Invalid value: \"https://exa mple.test/\": invalid URI: invalid domain",
        "spec.uris[1]: Invalid value: \"%zz\": invalid URI: invalid URL escape \"%zz\""}},
      {"other name problems",
       [](CertificateSpec& s) {
         s.other_names = {{"", "x"}, {"1.2.x", ""}};
       },
       {"spec.otherNames[0].oid: Required value: must be specified",
        "spec.otherNames[0].oid: Invalid value: \"\": invalid oid syntax",
        "spec.otherNames[1].oid: Invalid value: \"1.2.x\": invalid oid syntax",
        "spec.otherNames[1].utf8Value: Required value: must be set to a valid non-empty UTF8 "
        "string"}},
      {"RSA size",
       [](CertificateSpec& s) { s.private_key.size = 1024; },
       {"spec.privateKey.size: Invalid value: 1024: must be between 2048 and 8192 for rsa "
        "keyAlgorithm"}},
      {"ECDSA size",
       [](CertificateSpec& s) {
         s.private_key = {"ECDSA", 128, ""};
       },
       {"spec.privateKey.size: Unsupported value: 128: supported values: \"256\", \"384\", "
        "\"521\""}},
      {"algorithm",
       [](CertificateSpec& s) { s.private_key.algorithm = "DSA"; },
       {"spec.privateKey.algorithm: Invalid value: \"DSA\": must be either empty or one of rsa, "
        "ecdsa or ed25519"}},
      {"signature algorithm for RSA",
       [](CertificateSpec& s) { s.signature_algorithm = "ECDSAWithSHA256"; },
       {"spec.signatureAlgorithm: Invalid value: \"ECDSAWithSHA256\": for key algorithm RSA the "
        "allowed signature algorithms are [SHA256WithRSA SHA384WithRSA SHA512WithRSA]"}},
      {"signature algorithm for Ed25519",
       [](CertificateSpec& s) {
         s.private_key.algorithm = "Ed25519";
         s.signature_algorithm = "SHA256WithRSA";
       },
       {"spec.signatureAlgorithm: Invalid value: \"SHA256WithRSA\": for key algorithm Ed25519 "
        "the allowed signature algorithms are [PureEd25519]"}},
      {"unknown signature algorithm",
       [](CertificateSpec& s) {
         s.private_key.algorithm = "ECDSA";
         s.signature_algorithm = "MD5WithRSA";
       },
       {"spec.signatureAlgorithm: Invalid value: \"MD5WithRSA\": for key algorithm ECDSA the "
        "allowed signature algorithms are [ECDSAWithSHA256 ECDSAWithSHA384 ECDSAWithSHA512]"}},
      {"duration too short",
       [](CertificateSpec& s) { s.duration = std::chrono::minutes(59); },
       {"spec.duration: Invalid value: 59m0s: certificate duration must be greater than "
        "1h0m0s"}},
      {"unknown usage",
       [](CertificateSpec& s) {
         s.usages = {"server auth", "serverauth"};
       },
       {"spec.usages[1]: Invalid value: \"serverauth\": unknown keyusage"}},
      {"name constraints without isCA",
       [](CertificateSpec& s) {
         s.name_constraints =
             NameConstraints{true, NameConstraintItem{{"example.test"}, {}, {}, {}}, std::nullopt};
       },
       {"spec.nameConstraints: Invalid value: certmanager.NameConstraints{Critical:true, "
        "Permitted:&certmanager.NameConstraintItem{DNSDomains:[]string{\"example.test\"}, "
        "IPRanges:[]string(nil), EmailAddresses:[]string(nil), URIDomains:[]string(nil)}, "
        "Excluded:(*certmanager.NameConstraintItem)(nil)}: isCA should be true when "
        "nameConstraints is set"}},
      {"name constraints empty and bad CIDR",
       [](CertificateSpec& s) {
         s.is_ca = true;
         s.name_constraints = NameConstraints{};
       },
       {"spec.nameConstraints: Invalid value: certmanager.NameConstraints{Critical:false, "
        "Permitted:(*certmanager.NameConstraintItem)(nil), "
        "Excluded:(*certmanager.NameConstraintItem)(nil)}: either permitted or excluded must be "
        "set"}},
      {"bad CIDR",
       [](CertificateSpec& s) {
         s.is_ca = true;
         s.name_constraints = NameConstraints{
             false, std::nullopt, NameConstraintItem{{}, {"10.0.0.0/33", "10.0.0.1"}, {}, {}}};
       },
       {"spec.nameConstraints.excluded.ipRanges[0]: Invalid value: \"10.0.0.0/33\": invalid CIDR "
        "address",
        "spec.nameConstraints.excluded.ipRanges[1]: Invalid value: \"10.0.0.1\": invalid CIDR "
        "address"}},
  };
  for (const ValidationCase& c : cases) {
    CertificateSpec spec = Valid();
    c.change(spec);
    EXPECT_THAT(ValidateCertificateSpec(spec), ElementsAreArray(c.want)) << c.name;
  }
}

}  // namespace
}  // namespace certforge::pki
