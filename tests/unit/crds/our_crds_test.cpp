// certforge's CRDs on their own: the fields the API reference names, the rules it states, and the
// shape Kubernetes demands of a CRD schema. These run without cert-manager's CRDs.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "tests/unit/crds/crd_schema_index.h"
#include "tests/unit/crds/no_problems.h"

namespace certforge::crds {
namespace {

namespace fs = std::filesystem;

absl::StatusOr<CrdSchemaIndex> LoadOurs(const std::string& file) {
  return CrdSchemaIndex::FromFile(fs::path(PROJECT_CRDS_DIR) / file);
}

struct TypedField {
  std::string path;
  std::string type;
};

// Certificate fields as cert-manager-api.md §1.1 lists them.
const TypedField kCertificateFields[] = {
    {".spec.subject", "object"},
    {".spec.subject.organizations[]", "string"},
    {".spec.subject.organizationalUnits[]", "string"},
    {".spec.subject.countries[]", "string"},
    {".spec.subject.localities[]", "string"},
    {".spec.subject.provinces[]", "string"},
    {".spec.subject.streetAddresses[]", "string"},
    {".spec.subject.postalCodes[]", "string"},
    {".spec.subject.serialNumber", "string"},
    {".spec.literalSubject", "string"},
    {".spec.commonName", "string"},
    {".spec.duration", "string"},
    {".spec.renewBefore", "string"},
    {".spec.renewBeforePercentage", "integer"},
    {".spec.renewal", "object"},
    {".spec.renewal.policy", "string"},
    {".spec.renewal.windows[].timezone", "string"},
    {".spec.renewal.windows[].windowDuration", "string"},
    {".spec.renewal.windows[].cron", "string"},
    {".spec.dnsNames[]", "string"},
    {".spec.ipAddresses[]", "string"},
    {".spec.uris[]", "string"},
    {".spec.otherNames[].oid", "string"},
    {".spec.otherNames[].utf8Value", "string"},
    {".spec.emailAddresses[]", "string"},
    {".spec.secretName", "string"},
    {".spec.secretTemplate.annotations{}", "string"},
    {".spec.secretTemplate.labels{}", "string"},
    {".spec.keystores.jks.create", "boolean"},
    {".spec.keystores.jks.alias", "string"},
    {".spec.keystores.jks.passwordSecretRef.name", "string"},
    {".spec.keystores.jks.passwordSecretRef.key", "string"},
    {".spec.keystores.jks.password", "string"},
    {".spec.keystores.pkcs12.create", "boolean"},
    {".spec.keystores.pkcs12.profile", "string"},
    {".spec.keystores.pkcs12.passwordSecretRef.name", "string"},
    {".spec.keystores.pkcs12.password", "string"},
    {".spec.issuerRef.name", "string"},
    {".spec.issuerRef.kind", "string"},
    {".spec.issuerRef.group", "string"},
    {".spec.isCA", "boolean"},
    {".spec.usages[]", "string"},
    {".spec.privateKey.rotationPolicy", "string"},
    {".spec.privateKey.encoding", "string"},
    {".spec.privateKey.algorithm", "string"},
    {".spec.privateKey.size", "integer"},
    {".spec.signatureAlgorithm", "string"},
    {".spec.encodeUsagesInRequest", "boolean"},
    {".spec.revisionHistoryLimit", "integer"},
    {".spec.additionalOutputFormats[].type", "string"},
    {".spec.nameConstraints.critical", "boolean"},
    {".spec.nameConstraints.permitted.dnsDomains[]", "string"},
    {".spec.nameConstraints.permitted.ipRanges[]", "string"},
    {".spec.nameConstraints.permitted.emailAddresses[]", "string"},
    {".spec.nameConstraints.permitted.uriDomains[]", "string"},
    {".spec.nameConstraints.excluded.dnsDomains[]", "string"},
    {".status.conditions[].type", "string"},
    {".status.conditions[].status", "string"},
    {".status.conditions[].reason", "string"},
    {".status.conditions[].message", "string"},
    {".status.conditions[].lastTransitionTime", "string"},
    {".status.conditions[].observedGeneration", "integer"},
    {".status.lastFailureTime", "string"},
    {".status.notBefore", "string"},
    {".status.notAfter", "string"},
    {".status.renewalTime", "string"},
    {".status.revision", "integer"},
    {".status.nextPrivateKeySecretName", "string"},
    {".status.failedIssuanceAttempts", "integer"},
    {".status.acme.ari.suggestedWindow.start", "string"},
    {".status.acme.ari.suggestedWindow.end", "string"},
    {".status.acme.ari.explanationURL", "string"},
    {".status.acme.ari.lastChecked", "string"},
    {".status.acme.ari.nextCheck", "string"},
    {".status.acme.ari.lastError", "string"},
};

struct EnumField {
  std::string path;
  std::vector<std::string> values;
};

const EnumField kCertificateEnums[] = {
    {".spec.renewal.policy", {"RenewBefore", "Disabled"}},
    {".spec.keystores.pkcs12.profile", {"LegacyRC2", "LegacyDES", "Modern2023", "Modern2026"}},
    {".spec.privateKey.rotationPolicy", {"Never", "Always"}},
    {".spec.privateKey.encoding", {"PKCS1", "PKCS8"}},
    {".spec.privateKey.algorithm", {"RSA", "ECDSA", "Ed25519"}},
    {".spec.signatureAlgorithm",
     {"SHA256WithRSA", "SHA384WithRSA", "SHA512WithRSA", "ECDSAWithSHA256", "ECDSAWithSHA384",
      "ECDSAWithSHA512", "PureEd25519"}},
    {".spec.additionalOutputFormats[].type", {"DER", "CombinedPEM"}},
    {".spec.usages[]",
     {"signing",
      "digital signature",
      "content commitment",
      "key encipherment",
      "key agreement",
      "data encipherment",
      "cert sign",
      "crl sign",
      "encipher only",
      "decipher only",
      "any",
      "server auth",
      "client auth",
      "code signing",
      "email protection",
      "s/mime",
      "ipsec end system",
      "ipsec tunnel",
      "ipsec user",
      "timestamping",
      "ocsp signing",
      "microsoft sgc",
      "netscape sgc"}},
    {".status.conditions[].status", {"True", "False", "Unknown"}},
};

TEST(CertificateCrd, HasEveryFieldTheApiReferenceNames) {
  auto certificate = LoadOurs("cert-manager.io_certificates.yaml");
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  std::vector<std::string> problems;
  for (const TypedField& field : kCertificateFields) {
    auto node = certificate->Find(field.path);
    if (!node) {
      problems.push_back("missing " + field.path);
    } else if (ScalarOr(*node, "type") != field.type) {
      problems.push_back(
          absl::StrCat(field.path, " has type '", ScalarOr(*node, "type"), "', want ", field.type));
    }
  }
  EXPECT_TRUE(NoProblems(problems));
}

TEST(CertificateCrd, EnumsAllowEveryValueTheApiReferenceNames) {
  auto certificate = LoadOurs("cert-manager.io_certificates.yaml");
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  std::vector<std::string> problems;
  for (const EnumField& field : kCertificateEnums) {
    auto node = certificate->Find(field.path);
    if (!node) {
      problems.push_back("missing " + field.path);
      continue;
    }
    const std::vector<std::string> listed = ScalarList(*node, "enum");
    const std::set<std::string> allowed(listed.begin(), listed.end());
    for (const std::string& value : field.values) {
      if (!allowed.contains(value)) problems.push_back(field.path + " rejects '" + value + "'");
    }
  }
  EXPECT_TRUE(NoProblems(problems));
}

TEST(CertificateCrd, RequiresSecretNameAndIssuerName) {
  auto certificate = LoadOurs("cert-manager.io_certificates.yaml");
  ASSERT_TRUE(certificate.ok()) << certificate.status();
  EXPECT_THAT(ScalarList(*certificate->Find(".spec"), "required"),
              ::testing::UnorderedElementsAre("secretName", "issuerRef"));
  EXPECT_THAT(ScalarList(*certificate->Find(".spec.issuerRef"), "required"),
              ::testing::ElementsAre("name"));
}

class IssuerCrd : public ::testing::TestWithParam<std::string> {};

TEST_P(IssuerCrd, VenafiNeedsExactlyOneOfTppCloudNgts) {
  auto issuer = LoadOurs(GetParam());
  ASSERT_TRUE(issuer.ok()) << issuer.status();
  auto venafi = issuer->Find(".spec.venafi");
  ASSERT_TRUE(venafi.has_value());
  const YAML::Node rules = Field(*venafi, "x-kubernetes-validations");
  ASSERT_TRUE(rules.IsSequence()) << "no x-kubernetes-validations on .spec.venafi";
  ASSERT_EQ(rules.size(), 1u);
  const std::string rule = ScalarOr(rules[0], "rule");
  for (const char* backend : {"has(self.tpp)", "has(self.cloud)", "has(self.ngts)"}) {
    EXPECT_TRUE(absl::StrContains(rule, backend)) << rule;
  }
  EXPECT_TRUE(absl::StrContains(rule, "exists_one")) << rule;
  EXPECT_FALSE(ScalarOr(rules[0], "message").empty());
}

TEST_P(IssuerCrd, AcmeRenewalInformationSourceDefaultsToAri) {
  auto issuer = LoadOurs(GetParam());
  ASSERT_TRUE(issuer.ok()) << issuer.status();
  auto source = issuer->Find(".spec.acme.renewalInformationSource");
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(ScalarOr(*source, "default"), "ARI");
}

INSTANTIATE_TEST_SUITE_P(
    BothScopes, IssuerCrd,
    ::testing::Values("cert-manager.io_issuers.yaml", "cert-manager.io_clusterissuers.yaml"),
    [](const auto& info) {
      return std::string(absl::StrContains(info.param, "cluster") ? "ClusterIssuer" : "Issuer");
    });

// Large embedded Kubernetes types we pass through untouched; nothing else may skip validation.
bool IsAgreedPassThrough(const std::string& path) {
  return absl::EndsWith(path, ".podTemplate.spec.affinity") ||
         absl::EndsWith(path, ".dns01.webhook.config");
}

class EachOfOurCrds : public ::testing::TestWithParam<std::string> {};

// Kubernetes only serves structural schemas: every node typed unless it is int-or-string or keeps
// unknown fields; map-list keys required or defaulted.
TEST_P(EachOfOurCrds, SchemaIsStructural) {
  auto crd = LoadOurs(GetParam());
  ASSERT_TRUE(crd.ok()) << crd.status();
  std::vector<std::string> problems;
  for (const auto& [path, node] : crd->Nodes()) {
    const std::string label = CrdSchemaIndex::Label(path);
    const bool untyped_ok = FlagSet(node, "x-kubernetes-int-or-string") ||
                            FlagSet(node, "x-kubernetes-preserve-unknown-fields");
    if (ScalarOr(node, "type").empty() && !untyped_ok) problems.push_back(label + " has no type");
    if (Field(node, "properties").IsMap() && Field(node, "additionalProperties").IsMap()) {
      problems.push_back(label + " has both properties and additionalProperties");
    }
    if (ScalarOr(node, "x-kubernetes-list-type") == "map") {
      const YAML::Node items = Field(node, "items");
      const std::vector<std::string> listed = ScalarList(items, "required");
      const std::set<std::string> required(listed.begin(), listed.end());
      for (const std::string& key : ScalarList(node, "x-kubernetes-list-map-keys")) {
        auto key_node = crd->Find(path + "[]." + key);
        if (!required.contains(key) && !(key_node && !Field(*key_node, "default").IsNull())) {
          problems.push_back(label + ": map key " + key + " is neither required nor defaulted");
        }
      }
    }
    if (FlagSet(node, "x-kubernetes-preserve-unknown-fields") && !IsAgreedPassThrough(path)) {
      problems.push_back(label + " keeps unknown fields but is not an agreed pass-through");
    }
  }
  EXPECT_TRUE(NoProblems(problems));
}

TEST_P(EachOfOurCrds, ServesV1WithStatusSubresource) {
  auto crd = LoadOurs(GetParam());
  ASSERT_TRUE(crd.ok()) << crd.status();
  const YAML::Node v1 = crd->Version("v1");
  ASSERT_TRUE(v1.IsMap());
  EXPECT_EQ(ScalarOr(v1, "served"), "true");
  EXPECT_EQ(ScalarOr(v1, "storage"), "true");
  EXPECT_TRUE(Field(Field(v1, "subresources"), "status").IsMap());
  EXPECT_EQ(Field(Field(crd->Crd(), "spec"), "versions").size(), 1u);
  ASSERT_TRUE(crd->Find(".status").has_value());
  EXPECT_EQ(ScalarOr(*crd->Find(".status"), "type"), "object");
  ASSERT_TRUE(crd->Find(".spec").has_value());
}

INSTANTIATE_TEST_SUITE_P(AllCrds, EachOfOurCrds,
                         ::testing::Values("cert-manager.io_certificates.yaml",
                                           "cert-manager.io_certificaterequests.yaml",
                                           "cert-manager.io_issuers.yaml",
                                           "cert-manager.io_clusterissuers.yaml",
                                           "acme.cert-manager.io_orders.yaml",
                                           "acme.cert-manager.io_challenges.yaml"),
                         [](const auto& info) {
                           std::string name = fs::path(info.param).stem().string();
                           for (char& c : name) {
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

}  // namespace
}  // namespace certforge::crds
