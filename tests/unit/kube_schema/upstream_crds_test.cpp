// Compatibility with cert-manager's published CRDs (read at run time from
// CERTFORGE_UPSTREAM_CRDS_DIR): every schema compiles, and sample manifests are pruned,
// defaulted and validated as kube-apiserver would.

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "tests/unit/kube_schema/schema_test_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using testing::YamlToJson;

const std::filesystem::path kCrdsDir = UPSTREAM_CRDS_DIR;

const char* const kCrdFiles[] = {
    "cert-manager.io_certificates.yaml", "cert-manager.io_certificaterequests.yaml",
    "cert-manager.io_issuers.yaml",      "cert-manager.io_clusterissuers.yaml",
    "acme.cert-manager.io_orders.yaml",  "acme.cert-manager.io_challenges.yaml",
};

// The storage version's schema of one CRD file.
json StorageSchema(const std::string& file) {
  std::ifstream in(kCrdsDir / file);
  std::stringstream text;
  text << in.rdbuf();
  const json crd = YamlToJson(text.str());
  for (const json& version : crd.at("spec").at("versions")) {
    if (version.value("storage", false)) return version.at("schema").at("openAPIV3Schema");
  }
  ADD_FAILURE() << "no storage version in " << file;
  return json::object();
}

class UpstreamCrdsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!std::filesystem::is_directory(kCrdsDir)) return;
    for (const char* file : kCrdFiles) {
      auto schema = StructuralSchema::Compile(StorageSchema(file));
      ASSERT_TRUE(schema.ok()) << file << ": " << schema.status();
      schemas_->emplace(file, *std::move(schema));
    }
  }

  void SetUp() override {
    if (!std::filesystem::is_directory(kCrdsDir)) {
      GTEST_SKIP() << "cert-manager CRDs not found in " << kCrdsDir;
    }
  }

  static const StructuralSchema& Schema(const std::string& file) { return schemas_->at(file); }

  // Runs the server's create pipeline: prune, default, validate.
  static std::vector<FieldError> Admit(const std::string& file, const std::string& manifest_yaml,
                                       std::vector<std::string>* pruned = nullptr) {
    json object = YamlToJson(manifest_yaml);
    const StructuralSchema& schema = Schema(file);
    std::vector<std::string> removed = schema.Prune(object);
    if (pruned != nullptr) *pruned = removed;
    schema.ApplyDefaults(object);
    return schema.Validate(object);
  }

  static inline std::map<std::string, StructuralSchema>* schemas_ =
      new std::map<std::string, StructuralSchema>();
};

constexpr const char* kCertificates = "cert-manager.io_certificates.yaml";
constexpr const char* kIssuers = "cert-manager.io_issuers.yaml";
constexpr const char* kClusterIssuers = "cert-manager.io_clusterissuers.yaml";

constexpr const char* kCertificate = R"(
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: example-com
  namespace: default
  labels: {team: web}
spec:
  secretName: example-com-tls
  commonName: example.com
  dnsNames: [example.com, www.example.com]
  duration: 2160h
  renewBefore: 360h
  privateKey: {algorithm: ECDSA, size: 256, rotationPolicy: Always, encoding: PKCS8}
  usages: [server auth, digital signature, key encipherment]
  subject: {organizations: [Example Inc]}
  issuerRef: {name: ca-issuer, kind: Issuer, group: cert-manager.io}
)";

TEST_F(UpstreamCrdsTest, EveryVersionOfEveryCrdCompiles) {
  for (const char* file : kCrdFiles) {
    std::ifstream in(kCrdsDir / file);
    std::stringstream text;
    text << in.rdbuf();
    const json crd = YamlToJson(text.str());
    for (const json& version : crd.at("spec").at("versions")) {
      auto schema = StructuralSchema::Compile(version.at("schema").at("openAPIV3Schema"));
      ASSERT_TRUE(schema.ok()) << file << " " << version.value("name", "") << ": "
                               << schema.status();
      EXPECT_TRUE(schema->UnsupportedRules().empty()) << file;
    }
  }
}

TEST_F(UpstreamCrdsTest, ValidCertificatePasses) {
  std::vector<std::string> pruned;
  EXPECT_EQ(Admit(kCertificates, kCertificate, &pruned), std::vector<FieldError>{});
  EXPECT_TRUE(pruned.empty());
}

TEST_F(UpstreamCrdsTest, CertificateWithWrongType) {
  std::string manifest = kCertificate;
  manifest.replace(manifest.find("dnsNames: [example.com, www.example.com]"),
                   std::string("dnsNames: [example.com, www.example.com]").size(),
                   "dnsNames: example.com");
  EXPECT_EQ(Admit(kCertificates, manifest),
            (std::vector<FieldError>{
                {"spec.dnsNames", "FieldValueTypeInvalid",
                 "Invalid value: \"string\": spec.dnsNames in body must be of type array: "
                 "\"string\""}}));
}

TEST_F(UpstreamCrdsTest, CertificateWithBadEnum) {
  std::string manifest = kCertificate;
  manifest.replace(manifest.find("algorithm: ECDSA"), std::string("algorithm: ECDSA").size(),
                   "algorithm: DSA");
  EXPECT_EQ(
      Admit(kCertificates, manifest),
      (std::vector<FieldError>{{"spec.privateKey.algorithm", "FieldValueNotSupported",
                                "Unsupported value: \"DSA\": supported values: \"RSA\", \"ECDSA\", "
                                "\"Ed25519\""}}));
}

TEST_F(UpstreamCrdsTest, CertificateWithMissingRequiredField) {
  std::string manifest = kCertificate;
  manifest.erase(manifest.find("  secretName: example-com-tls\n"),
                 std::string("  secretName: example-com-tls\n").size());
  EXPECT_EQ(Admit(kCertificates, manifest),
            (std::vector<FieldError>{{"spec.secretName", "FieldValueRequired", "Required value"}}));
}

TEST_F(UpstreamCrdsTest, CertificateUnknownFieldsArePruned) {
  std::string manifest = kCertificate;
  manifest += "  colour: blue\n  privateKeyy: {size: 2048}\n";
  std::vector<std::string> pruned;
  EXPECT_TRUE(Admit(kCertificates, manifest, &pruned).empty());
  EXPECT_EQ(pruned, (std::vector<std::string>{"spec.colour", "spec.privateKeyy"}));
}

TEST_F(UpstreamCrdsTest, ValidIssuersPass) {
  EXPECT_EQ(Admit(kIssuers, R"(
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned, namespace: default}
spec:
  selfSigned: {}
)"),
            std::vector<FieldError>{});
  EXPECT_EQ(Admit(kClusterIssuers, R"(
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: letsencrypt}
spec:
  acme:
    server: https://acme-v02.api.letsencrypt.org/directory
    email: admin@example.com
    privateKeySecretRef: {name: letsencrypt-account}
    solvers:
    - selector: {dnsZones: [example.com]}
      dns01:
        rfc2136: {nameserver: "10.0.0.1:53", tsigKeyName: key, tsigAlgorithm: HMACSHA256,
                  tsigSecretSecretRef: {name: tsig, key: secret}}
    - http01:
        ingress: {ingressClassName: nginx}
)"),
            std::vector<FieldError>{});
  EXPECT_EQ(Admit(kClusterIssuers, R"(
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: ca}
spec:
  ca: {secretName: ca-key-pair}
)"),
            std::vector<FieldError>{});
}

TEST_F(UpstreamCrdsTest, IssuerWithMissingRequiredField) {
  // The Issuer schema has a CEL rule (venafi), so kube-apiserver also says it skipped the rules.
  EXPECT_EQ(Admit(kIssuers, R"(
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: ca, namespace: default}
spec:
  ca: {}
)"),
            (std::vector<FieldError>{
                {"spec.ca.secretName", "FieldValueRequired", "Required value"},
                {"<nil>", "FieldValueInvalid",
                 "Invalid value: \"null\": some validation rules were not checked because the "
                 "object was invalid; correct the existing errors to complete validation"}}));
}

constexpr const char* kVenafiIssuer = R"(
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: venafi, namespace: default}
spec:
  venafi:
    zone: "DevOps\\certforge"
)";

TEST_F(UpstreamCrdsTest, VenafiRuleAcceptsExactlyOneBackend) {
  EXPECT_EQ(Admit(kIssuers, std::string(kVenafiIssuer) + R"(
    cloud: {apiTokenSecretRef: {name: vaas-token, key: api-key}}
)"),
            std::vector<FieldError>{});
}

TEST_F(UpstreamCrdsTest, VenafiRuleFiresWhenTppAndCloudAreBothSet) {
  const std::vector<FieldError> expected = {
      {"spec.venafi", "FieldValueInvalid",
       "Invalid value: \"object\": exactly one of tpp, cloud, or ngts must be configured"}};
  EXPECT_EQ(Admit(kIssuers, std::string(kVenafiIssuer) + R"(
    tpp: {url: "https://tpp.example.com/vedsdk", credentialsRef: {name: tpp-secret}}
    cloud: {apiTokenSecretRef: {name: vaas-token, key: api-key}}
)"),
            expected);
  // And when neither is.
  EXPECT_EQ(Admit(kIssuers, kVenafiIssuer), expected);
  // The ClusterIssuer carries the same rule.
  std::string cluster_issuer = std::string(kVenafiIssuer) + R"(
    tpp: {url: "https://tpp.example.com/vedsdk", credentialsRef: {name: tpp-secret}}
    cloud: {apiTokenSecretRef: {name: vaas-token, key: api-key}}
)";
  cluster_issuer.replace(cluster_issuer.find("kind: Issuer"), 12, "kind: ClusterIssuer");
  EXPECT_EQ(Admit(kClusterIssuers, cluster_issuer), expected);
}

TEST_F(UpstreamCrdsTest, OrdersAndChallengesValidate) {
  EXPECT_EQ(Admit("acme.cert-manager.io_orders.yaml", R"(
apiVersion: acme.cert-manager.io/v1
kind: Order
metadata: {name: example-1, namespace: default}
spec:
  request: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURSBSRVFVRVNULS0tLS0K
  issuerRef: {name: letsencrypt, kind: ClusterIssuer}
  dnsNames: [example.com]
)"),
            std::vector<FieldError>{});
  const auto errors = Admit("acme.cert-manager.io_orders.yaml", R"(
apiVersion: acme.cert-manager.io/v1
kind: Order
metadata: {name: example-1, namespace: default}
spec:
  request: "not base64!"
  issuerRef: {name: letsencrypt}
)");
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].field, "spec.request");
  EXPECT_EQ(errors[0].message,
            "Invalid value: \"not base64!\": spec.request in body must be of type byte: "
            "\"not base64!\"");
}

}  // namespace
}  // namespace certforge::kube
