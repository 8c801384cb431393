#include "lib/pki/certificate_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace certforge::pki {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using Json = nlohmann::json;

TEST(CertificateSpecFromJson, ReadsEveryX509Field) {
  Json json = Json::parse(R"({
    "secretName": "ignored", "issuerRef": {"name": "ignored"},
    "commonName": "app.example.test",
    "subject": {"organizations": ["Org A", "Org B"], "countries": ["DE"],
                "organizationalUnits": ["Unit"], "localities": ["Berlin"],
                "provinces": ["BE"], "streetAddresses": ["Street 1"],
                "postalCodes": ["10115"], "serialNumber": "1234"},
    "literalSubject": "CN=x",
    "dnsNames": ["a.example.test", "b.example.test"],
    "ipAddresses": ["10.0.0.1", "2001:db8::1"],
    "uris": ["spiffe://cluster.local/ns/a/sa/b"],
    "emailAddresses": ["a@example.test"],
    "otherNames": [{"oid": "1.3.6.1.4.1.311.20.2.3", "utf8Value": "upn@example.test"}],
    "duration": "2160h0m0s",
    "isCA": true,
    "usages": ["server auth", "client auth"],
    "privateKey": {"algorithm": "ECDSA", "size": 384, "encoding": "PKCS8",
                   "rotationPolicy": "Always"},
    "signatureAlgorithm": "ECDSAWithSHA384",
    "encodeUsagesInRequest": false,
    "nameConstraints": {"critical": true,
                        "permitted": {"dnsDomains": ["example.test"], "ipRanges": ["10.0.0.0/8"],
                                      "emailAddresses": ["example.test"],
                                      "uriDomains": [".example.test"]},
                        "excluded": {"dnsDomains": ["bad.example.test"]}}
  })");
  absl::StatusOr<CertificateSpec> spec = CertificateSpecFromJson(json);
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_EQ(spec->common_name, "app.example.test");
  EXPECT_THAT(spec->subject.organizations, ElementsAre("Org A", "Org B"));
  EXPECT_THAT(spec->subject.countries, ElementsAre("DE"));
  EXPECT_THAT(spec->subject.organizational_units, ElementsAre("Unit"));
  EXPECT_THAT(spec->subject.localities, ElementsAre("Berlin"));
  EXPECT_THAT(spec->subject.provinces, ElementsAre("BE"));
  EXPECT_THAT(spec->subject.street_addresses, ElementsAre("Street 1"));
  EXPECT_THAT(spec->subject.postal_codes, ElementsAre("10115"));
  EXPECT_EQ(spec->subject.serial_number, "1234");
  EXPECT_EQ(spec->literal_subject, "CN=x");
  EXPECT_THAT(spec->dns_names, ElementsAre("a.example.test", "b.example.test"));
  EXPECT_THAT(spec->ip_addresses, ElementsAre("10.0.0.1", "2001:db8::1"));
  EXPECT_THAT(spec->uris, ElementsAre("spiffe://cluster.local/ns/a/sa/b"));
  EXPECT_THAT(spec->email_addresses, ElementsAre("a@example.test"));
  EXPECT_THAT(spec->other_names,
              ElementsAre(OtherName{"1.3.6.1.4.1.311.20.2.3", "upn@example.test"}));
  ASSERT_TRUE(spec->duration.has_value());
  EXPECT_EQ(*spec->duration, std::chrono::hours(2160));
  EXPECT_TRUE(spec->is_ca);
  EXPECT_THAT(spec->usages, ElementsAre("server auth", "client auth"));
  EXPECT_EQ(spec->private_key, (PrivateKeySpec{"ECDSA", 384, "PKCS8"}));
  EXPECT_EQ(spec->signature_algorithm, "ECDSAWithSHA384");
  EXPECT_FALSE(spec->encode_usages_in_request);
  ASSERT_TRUE(spec->name_constraints.has_value());
  EXPECT_TRUE(spec->name_constraints->critical);
  ASSERT_TRUE(spec->name_constraints->permitted.has_value());
  EXPECT_THAT(spec->name_constraints->permitted->dns_domains, ElementsAre("example.test"));
  EXPECT_THAT(spec->name_constraints->permitted->ip_ranges, ElementsAre("10.0.0.0/8"));
  EXPECT_THAT(spec->name_constraints->permitted->email_addresses, ElementsAre("example.test"));
  EXPECT_THAT(spec->name_constraints->permitted->uri_domains, ElementsAre(".example.test"));
  ASSERT_TRUE(spec->name_constraints->excluded.has_value());
  EXPECT_THAT(spec->name_constraints->excluded->dns_domains, ElementsAre("bad.example.test"));
}

TEST(CertificateSpecFromJson, DefaultsForAnEmptySpec) {
  absl::StatusOr<CertificateSpec> spec = CertificateSpecFromJson(Json::object());
  ASSERT_TRUE(spec.ok());
  EXPECT_EQ(*spec, CertificateSpec());
  EXPECT_TRUE(spec->encode_usages_in_request);
  EXPECT_FALSE(spec->duration.has_value());
  EXPECT_EQ(EffectiveDuration(*spec), std::chrono::hours(24 * 90));
  EXPECT_EQ(*SpecKeyAlgorithm(*spec), KeyAlgorithm::kRsa);
  EXPECT_EQ(*SpecKeySize(*spec), 2048);
  absl::StatusOr<Usages> usages = SpecUsages(*spec);
  ASSERT_TRUE(usages.ok());
  EXPECT_THAT(usages->key_usages,
              ElementsAre(KeyUsage::kDigitalSignature, KeyUsage::kKeyEncipherment));
  EXPECT_THAT(usages->ext_key_usages, IsEmpty());
}

TEST(CertificateSpecFromJson, NullFieldsAreAbsent) {
  absl::StatusOr<CertificateSpec> spec =
      CertificateSpecFromJson(Json::parse(R"({"dnsNames": null, "subject": null, "isCA": null})"));
  ASSERT_TRUE(spec.ok()) << spec.status();
  EXPECT_THAT(spec->dns_names, IsEmpty());
}

struct JsonErrorCase {
  const char* json;
  const char* message;
};

TEST(CertificateSpecFromJson, RejectsWrongTypesNamingTheField) {
  const JsonErrorCase cases[] = {
      {R"([])", "spec: expected an object"},
      {R"({"dnsNames": "a"})", "spec.dnsNames: expected an array of strings"},
      {R"({"dnsNames": [1]})", "spec.dnsNames: expected an array of strings"},
      {R"({"isCA": "true"})", "spec.isCA: expected a boolean"},
      {R"({"subject": {"organizations": "x"}})",
       "spec.subject.organizations: expected an array of strings"},
      {R"({"privateKey": {"size": "256"}})", "spec.privateKey.size: expected an integer"},
      {R"({"otherNames": [{"oid": 5}]})", "spec.otherNames[0].oid: expected a string"},
      {R"({"duration": "3d"})", "spec.duration: time: unknown unit \"d\" in duration \"3d\""},
      {R"({"duration": 3600})", "spec.duration: expected a string"},
      {R"({"nameConstraints": {"permitted": {"ipRanges": [true]}}})",
       "spec.nameConstraints.permitted.ipRanges: expected an array of strings"},
  };
  for (const JsonErrorCase& c : cases) {
    absl::StatusOr<CertificateSpec> spec = CertificateSpecFromJson(Json::parse(c.json));
    ASSERT_FALSE(spec.ok()) << c.json;
    EXPECT_EQ(spec.status().message(), c.message) << c.json;
  }
}

TEST(CertificateSpecFromJson, ReadsGoDurationForms) {
  for (const auto& [text, want] :
       {std::pair{"90m", std::chrono::minutes(90)}, std::pair{"1h30m", std::chrono::minutes(90)},
        std::pair{"2160h0m0s", std::chrono::minutes(2160 * 60)}}) {
    absl::StatusOr<CertificateSpec> spec = CertificateSpecFromJson(Json{{"duration", text}});
    ASSERT_TRUE(spec.ok()) << text;
    EXPECT_EQ(*spec->duration, want) << text;
  }
}

TEST(SpecKey, DefaultsAndErrors) {
  CertificateSpec spec;
  spec.private_key.algorithm = "ECDSA";
  EXPECT_EQ(*SpecKeySize(spec), 256);
  spec.private_key.size = 521;
  EXPECT_EQ(*SpecKeySize(spec), 521);
  spec.private_key.algorithm = "Ed25519";
  EXPECT_EQ(*SpecKeyAlgorithm(spec), KeyAlgorithm::kEd25519);
  EXPECT_EQ(*SpecKeySize(spec), 0);
  spec.private_key.algorithm = "DSA";
  EXPECT_THAT(SpecKeyAlgorithm(spec).status().message(),
              HasSubstr("unsupported private key algorithm specified: DSA"));
}

}  // namespace
}  // namespace certforge::pki
