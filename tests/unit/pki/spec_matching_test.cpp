#include "lib/pki/spec_matching.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lib/pki/csr_builder.h"
#include "tests/unit/pki/x509_test_util.h"

namespace certforge::pki {
namespace {

using std::chrono::hours;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::IsEmpty;

const PrivateKey& EcKey() { return test::CachedKey(KeyAlgorithm::kEcdsa, 256); }

CertificateSpec FullSpec() {
  CertificateSpec spec = test::SpecForKey(EcKey());
  spec.subject.organizations = {"Org A", "Org B"};
  spec.subject.countries = {"DE"};
  spec.subject.organizational_units = {"Unit"};
  spec.subject.localities = {"Berlin"};
  spec.subject.provinces = {"BE"};
  spec.subject.street_addresses = {"Street 1"};
  spec.subject.postal_codes = {"10115"};
  spec.subject.serial_number = "42";
  spec.dns_names = {"a.example.test", "b.example.test"};
  spec.ip_addresses = {"10.0.0.1", "2001:db8::1"};
  spec.uris = {"spiffe://cluster.local/ns/a/sa/b"};
  spec.email_addresses = {"admin@example.test"};
  spec.other_names = {{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}};
  spec.duration = hours(72);
  spec.is_ca = true;
  spec.usages = {"digital signature", "server auth"};
  spec.name_constraints = NameConstraints{
      true, NameConstraintItem{{"example.test"}, {"10.0.0.0/8"}, {}, {}}, std::nullopt};
  return spec;
}

CertificateRequestFields RequestFor(const CertificateSpec& spec) {
  return CertificateRequestFields{spec.is_ca, spec.usages, spec.duration};
}

Certificate IssueFor(const CertificateSpec& spec) {
  SignOptions options;
  options.self_signed_key = EcKey();
  options.is_ca = spec.is_ca;
  options.usages = spec.usages;
  options.duration = spec.duration;
  return test::IssueOrDie(test::CsrFor(spec, EcKey()), options).certificate;
}

TEST(SpecMatching, WhatWasBuiltFromASpecMatchesIt) {
  CertificateSpec spec = FullSpec();
  ParsedCsr csr = test::CsrFor(spec, EcKey());
  EXPECT_THAT(CsrMatchesSpec(csr, spec), IsEmpty());
  EXPECT_THAT(RequestMatchesSpec(csr, RequestFor(spec), spec), IsEmpty());
  Certificate certificate = IssueFor(spec);
  EXPECT_THAT(CertificateMatchesSpec(certificate, spec), IsEmpty());
  EXPECT_THAT(CertificateAltNamesMatchSpec(certificate, spec), IsEmpty());

  // Order does not matter for any list.
  CertificateSpec reordered = spec;
  std::reverse(reordered.dns_names.begin(), reordered.dns_names.end());
  std::reverse(reordered.ip_addresses.begin(), reordered.ip_addresses.end());
  std::reverse(reordered.subject.organizations.begin(), reordered.subject.organizations.end());
  reordered.ip_addresses[0] = "2001:DB8:0::1";  // same address, other spelling
  EXPECT_THAT(CsrMatchesSpec(csr, reordered), IsEmpty());
  EXPECT_THAT(CertificateMatchesSpec(certificate, reordered), IsEmpty());

  CertificateSpec literal = test::SpecForKey(EcKey());
  literal.common_name.clear();
  literal.literal_subject = "CN=app,O=Org+OU=Unit,DC=example,DC=test";
  ParsedCsr literal_csr = test::CsrFor(literal, EcKey());
  EXPECT_THAT(CsrMatchesSpec(literal_csr, literal), IsEmpty());
  EXPECT_THAT(CertificateMatchesSpec(IssueFor(literal), literal), IsEmpty());
}

struct ChangeCase {
  const char* name;
  std::function<void(CertificateSpec&)> change;
  std::vector<std::string> csr;          // CsrMatchesSpec
  std::vector<std::string> request;      // RequestMatchesSpec
  std::vector<std::string> certificate;  // CertificateMatchesSpec
};

TEST(SpecMatching, ReportsEachChangedField) {
  const ChangeCase cases[] = {
      {"dnsNames",
       [](CertificateSpec& s) { s.dns_names.push_back("c.example.test"); },
       {"spec.dnsNames"},
       {"spec.dnsNames"},
       {"spec.dnsNames"}},
      {"ipAddresses",
       [](CertificateSpec& s) {
         s.ip_addresses = {"10.0.0.2", "2001:db8::1"};
       },
       {"spec.ipAddresses"},
       {"spec.ipAddresses"},
       {"spec.ipAddresses"}},
      {"uris",
       [](CertificateSpec& s) { s.uris.clear(); },
       {"spec.uris"},
       {"spec.uris"},
       {"spec.uris"}},
      {"emailAddresses",
       [](CertificateSpec& s) { s.email_addresses = {"other@example.test"}; },
       {"spec.emailAddresses"},
       {"spec.emailAddresses"},
       {"spec.emailAddresses"}},
      {"otherNames",
       [](CertificateSpec& s) { s.other_names[0].utf8_value = "x@example.test"; },
       {"spec.otherNames"},
       {"spec.otherNames"},
       {"spec.otherNames"}},
      // cert-manager ignores otherNames when the spec has none; the full check does not.
      {"otherNames removed",
       [](CertificateSpec& s) { s.other_names.clear(); },
       {},
       {},
       {"spec.otherNames"}},
      {"commonName",
       [](CertificateSpec& s) { s.common_name = "other"; },
       {"spec.commonName"},
       {"spec.commonName"},
       {"spec.commonName"}},
      {"serialNumber",
       [](CertificateSpec& s) { s.subject.serial_number = "43"; },
       {"spec.subject.serialNumber"},
       {"spec.subject.serialNumber"},
       {"spec.subject.serialNumber"}},
      {"subject lists",
       [](CertificateSpec& s) {
         s.subject.organizations.pop_back();
         s.subject.countries = {"FR"};
         s.subject.localities.clear();
         s.subject.organizational_units.push_back("Unit 2");
         s.subject.postal_codes = {"1"};
         s.subject.provinces = {"XX"};
         s.subject.street_addresses = {"Street 2"};
       },
       {"spec.subject.organizations", "spec.subject.countries", "spec.subject.localities",
        "spec.subject.organizationalUnits", "spec.subject.postCodes", "spec.subject.provinces",
        "spec.subject.streetAddresses"},
       {"spec.subject.organizations", "spec.subject.countries", "spec.subject.localities",
        "spec.subject.organizationalUnits", "spec.subject.postCodes", "spec.subject.provinces",
        "spec.subject.streetAddresses"},
       {"spec.subject.organizations", "spec.subject.countries", "spec.subject.localities",
        "spec.subject.organizationalUnits", "spec.subject.postCodes", "spec.subject.provinces",
        "spec.subject.streetAddresses"}},
      {"literalSubject",
       [](CertificateSpec& s) {
         s.common_name.clear();
         s.subject = X509Subject();
         s.literal_subject = "CN=app.example.test,O=Org A";
       },
       {"spec.literalSubject"},
       {"spec.literalSubject"},
       {"spec.literalSubject"}},
      {"isCA",
       [](CertificateSpec& s) {
         s.is_ca = false;
         s.name_constraints.reset();
       },
       {"spec.usages", "spec.nameConstraints"},
       {"spec.isCA"},
       {"spec.isCA", "spec.usages", "spec.nameConstraints"}},
      {"usages",
       [](CertificateSpec& s) { s.usages.push_back("client auth"); },
       {"spec.usages"},
       {"spec.usages"},
       {"spec.usages"}},
      {"usage alias", [](CertificateSpec& s) { s.usages[0] = "signing"; }, {}, {"spec.usages"}, {}},
      {"duration",
       [](CertificateSpec& s) { s.duration = hours(73); },
       {},
       {"spec.duration"},
       {"spec.duration"}},
      {"nameConstraints",
       [](CertificateSpec& s) { s.name_constraints->permitted->dns_domains = {"other.test"}; },
       {"spec.nameConstraints"},
       {},
       {"spec.nameConstraints"}},
      {"nameConstraints criticality",
       [](CertificateSpec& s) { s.name_constraints->critical = false; },
       {"spec.nameConstraints"},
       {},
       {"spec.nameConstraints"}},
  };
  CertificateSpec original = FullSpec();
  ParsedCsr csr = test::CsrFor(original, EcKey());
  Certificate certificate = IssueFor(original);
  for (const ChangeCase& c : cases) {
    CertificateSpec spec = original;
    c.change(spec);
    EXPECT_THAT(CsrMatchesSpec(csr, spec), ElementsAreArray(c.csr)) << c.name;
    EXPECT_THAT(RequestMatchesSpec(csr, RequestFor(original), spec), ElementsAreArray(c.request))
        << c.name;
    EXPECT_THAT(CertificateMatchesSpec(certificate, spec), ElementsAreArray(c.certificate))
        << c.name;
  }
}

TEST(SpecMatching, RequestDurationComparedOnlyWhenBothSet) {
  CertificateSpec spec = FullSpec();
  ParsedCsr csr = test::CsrFor(spec, EcKey());
  CertificateRequestFields request = RequestFor(spec);
  request.duration.reset();
  EXPECT_THAT(RequestMatchesSpec(csr, request, spec), IsEmpty());
}

TEST(CertificateAltNamesMatchSpec, LetsNamesMoveBetweenCommonNameAndDnsNames) {
  CertificateSpec issued_for = test::SpecForKey(EcKey(), "a.example.test");
  issued_for.dns_names = {"b.example.test"};
  issued_for.usages = {"server auth"};
  Certificate certificate = IssueFor(issued_for);

  CertificateSpec moved = issued_for;
  moved.common_name.clear();
  moved.dns_names = {"a.example.test", "b.example.test"};
  EXPECT_THAT(CertificateAltNamesMatchSpec(certificate, moved), IsEmpty());
  // Usages, subject and duration are not looked at.
  moved.usages = {"client auth"};
  moved.subject.organizations = {"Org"};
  moved.duration = hours(1);
  EXPECT_THAT(CertificateAltNamesMatchSpec(certificate, moved), IsEmpty());

  CertificateSpec renamed = issued_for;
  renamed.common_name = "c.example.test";
  EXPECT_THAT(CertificateAltNamesMatchSpec(certificate, renamed), ElementsAre("spec.commonName"));
  renamed = issued_for;
  renamed.dns_names = {"c.example.test"};
  EXPECT_THAT(CertificateAltNamesMatchSpec(certificate, renamed), ElementsAre("spec.dnsNames"));
  renamed = issued_for;
  renamed.ip_addresses = {"10.0.0.1"};
  renamed.uris = {"urn:x"};
  renamed.email_addresses = {"a@example.test"};
  EXPECT_THAT(CertificateAltNamesMatchSpec(certificate, renamed),
              ElementsAre("spec.ipAddresses", "spec.uris", "spec.emailAddresses"));
}

TEST(PrivateKeyMatchesSpec, ChecksAlgorithmAndSize) {
  struct Case {
    PrivateKeySpec key_spec;
    KeyAlgorithm algorithm;
    int size;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {{"", 0, ""}, KeyAlgorithm::kRsa, 2048, {}},
      {{"RSA", 3072, ""}, KeyAlgorithm::kRsa, 2048, {"spec.privateKey.size"}},
      {{"", 0, ""}, KeyAlgorithm::kEcdsa, 256, {"spec.privateKey.algorithm"}},
      {{"ECDSA", 0, ""}, KeyAlgorithm::kEcdsa, 256, {}},
      {{"ECDSA", 384, ""}, KeyAlgorithm::kEcdsa, 256, {"spec.privateKey.size"}},
      {{"Ed25519", 0, ""}, KeyAlgorithm::kEd25519, 0, {}},
      {{"Ed25519", 0, ""}, KeyAlgorithm::kEcdsa, 256, {"spec.privateKey.algorithm"}},
  };
  for (const Case& c : cases) {
    CertificateSpec spec;
    spec.private_key = c.key_spec;
    EXPECT_THAT(PrivateKeyMatchesSpec(test::CachedKey(c.algorithm, c.size), spec),
                ElementsAreArray(c.want))
        << c.key_spec.algorithm << c.key_spec.size;
  }
}

}  // namespace
}  // namespace certforge::pki
