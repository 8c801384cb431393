// cert-manager's own published CRDs (test data, when present) are served as a real API server
// serves them: accepted by server-side apply and create, printer columns, CEL rules.

#include <filesystem>
#include <set>

#include "tests/integration/local_apiserver/apiserver_test_base.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using Headers = std::vector<std::string>;

const char* const kCrdFiles[] = {
    "acme.cert-manager.io_challenges.yaml",     "acme.cert-manager.io_orders.yaml",
    "cert-manager.io_certificaterequests.yaml", "cert-manager.io_certificates.yaml",
    "cert-manager.io_clusterissuers.yaml",      "cert-manager.io_issuers.yaml",
};

class UpstreamCrdsTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() {
    if (!UpstreamCrdsDir().empty()) StartSuiteServer({}, /*apply_crds=*/false);
  }
  static void TearDownTestSuite() { StopSuiteServer(); }

  void SetUp() override {
    if (UpstreamCrdsDir().empty()) GTEST_SKIP() << "cert-manager's CRDs are not available";
    ApiServerTest::SetUp();
  }

  // Server-side applies the six CRDs (no last-applied annotation, whatever their size);
  // returns what kubectl printed.
  static std::string InstallUpstreamCrds() {
    std::string out;
    for (const char* file : kCrdFiles) {
      out += KubectlOk({"apply", "--server-side", "-f", UpstreamCrdsDir() + "/" + file});
    }
    return out;
  }

  std::string Issuer(const std::string& name, const std::string& spec) {
    return "apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: " + name +
           ", namespace: " + Namespace() + "}\nspec: " + spec + "\n";
  }
};

TEST_F(UpstreamCrdsTest, AllSixAreAcceptedAndServed) {
  EXPECT_EQ(InstallUpstreamCrds(),
            "customresourcedefinition.apiextensions.k8s.io/challenges.acme.cert-manager.io "
            "serverside-applied\n"
            "customresourcedefinition.apiextensions.k8s.io/orders.acme.cert-manager.io "
            "serverside-applied\n"
            "customresourcedefinition.apiextensions.k8s.io/certificaterequests.cert-manager.io "
            "serverside-applied\n"
            "customresourcedefinition.apiextensions.k8s.io/certificates.cert-manager.io "
            "serverside-applied\n"
            "customresourcedefinition.apiextensions.k8s.io/clusterissuers.cert-manager.io "
            "serverside-applied\n"
            "customresourcedefinition.apiextensions.k8s.io/issuers.cert-manager.io "
            "serverside-applied\n");
  // Applied again: still accepted, nothing to change.
  InstallUpstreamCrds();

  std::string names = KubectlOk({"api-resources", "--categories=cert-manager", "-o", "name"});
  EXPECT_EQ(names,
            "challenges.acme.cert-manager.io\norders.acme.cert-manager.io\n"
            "certificaterequests.cert-manager.io\ncertificates.cert-manager.io\n"
            "clusterissuers.cert-manager.io\nissuers.cert-manager.io\n");

  // `kubectl create` takes them too (after a delete, on a server that forgot them).
  const std::string orders = UpstreamCrdsDir() + "/acme.cert-manager.io_orders.yaml";
  KubectlOk({"delete", "-f", orders, "--timeout=30s"});
  EXPECT_EQ(KubectlOk({"create", "-f", orders}),
            "customresourcedefinition.apiextensions.k8s.io/orders.acme.cert-manager.io created\n");
}

TEST_F(UpstreamCrdsTest, CertificateAndIssuerTablesUseTheirPrinterColumns) {
  InstallUpstreamCrds();
  const std::string& ns = Namespace();
  KubectlOk({"apply", "-f", "-"}, Issuer("selfsigned", "{selfSigned: {}}"));
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "web", "web-tls"));
  KubectlOk(InNs({"patch", "certificate", "web", "--subresource=status", "--type=merge", "-p",
                  R"({"status":{"conditions":[{"type":"Ready","status":"True","reason":"Ready",)"
                  R"("message":"Certificate is up to date and has not expired"}],)"
                  R"("notAfter":"2027-02-25T00:00:00Z"}})"}));
  KubectlOk(InNs({"patch", "issuer", "selfsigned", "--subresource=status", "--type=merge", "-p",
                  R"({"status":{"conditions":[{"type":"Ready","status":"True","reason":"IsReady",)"
                  R"("message":"Signing CA verified"}]}})"}));

  ParsedTable certs = ParseTable(KubectlOk(InNs({"get", "certificates", "-o", "wide"})));
  EXPECT_EQ(certs.headers,
            (Headers{"NAME", "READY", "SECRET", "ISSUER", "STATUS", "EXPIRATION", "AGE"}));
  ASSERT_EQ(certs.rows.size(), 1u);
  EXPECT_EQ(certs.rows[0]["READY"], "True");
  EXPECT_EQ(certs.rows[0]["SECRET"], "web-tls");
  EXPECT_EQ(certs.rows[0]["ISSUER"], "selfsigned");
  EXPECT_EQ(certs.rows[0]["STATUS"], "Certificate is up to date and has not expired");
  EXPECT_EQ(certs.rows[0]["EXPIRATION"], "2027-02-25T00:00:00Z");

  ParsedTable issuers = ParseTable(KubectlOk(InNs({"get", "issuers"})));
  EXPECT_EQ(issuers.headers, (Headers{"NAME", "READY", "AGE"}));
  ASSERT_EQ(issuers.rows.size(), 1u);
  EXPECT_EQ(issuers.rows[0]["NAME"], "selfsigned");
  EXPECT_EQ(issuers.rows[0]["READY"], "True");
  ParsedTable wide = ParseTable(KubectlOk(InNs({"get", "issuers", "-o", "wide"})));
  EXPECT_EQ(wide.headers, (Headers{"NAME", "READY", "STATUS", "AGE"}));
  ASSERT_EQ(wide.rows.size(), 1u);
  EXPECT_EQ(wide.rows[0]["STATUS"], "Signing CA verified");
}

TEST_F(UpstreamCrdsTest, VenafiIssuerNeedsExactlyOneBackend) {
  InstallUpstreamCrds();
  const std::string tpp =
      "tpp: {url: 'https://tpp.example.com/vedsdk', "
      "credentialsRef: {name: tpp-creds}}";
  const std::string cloud = "cloud: {apiTokenSecretRef: {name: cloud-token, key: api-key}}";

  CommandResult both = Kubectl({"apply", "-f", "-"},
                               Issuer("both", "{venafi: {zone: z, " + tpp + ", " + cloud + "}}"));
  EXPECT_EQ(both.exit_code, 1);
  EXPECT_EQ(both.err,
            "The Issuer \"both\" is invalid: spec.venafi: Invalid value: \"object\": exactly one "
            "of tpp, cloud, or ngts must be configured\n");
  CommandResult neither = Kubectl({"apply", "-f", "-"}, Issuer("neither", "{venafi: {zone: z}}"));
  EXPECT_EQ(neither.exit_code, 1);
  EXPECT_NE(neither.err.find("exactly one of tpp, cloud, or ngts must be configured"),
            std::string::npos)
      << neither.err;

  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, Issuer("one", "{venafi: {zone: z, " + tpp + "}}")),
            "issuer.cert-manager.io/one created\n");
  // An update that breaks the rule is refused as well.
  CommandResult update = Kubectl(
      InNs({"patch", "issuer", "one", "--type=merge", "-p",
            R"({"spec":{"venafi":{"cloud":{"apiTokenSecretRef":{"name":"t","key":"k"}}}}})"}));
  EXPECT_EQ(update.exit_code, 1);
  EXPECT_NE(update.err.find("spec.venafi: Invalid value: \"object\": exactly one of tpp, cloud, "
                            "or ngts must be configured"),
            std::string::npos)
      << update.err;
}

}  // namespace
}  // namespace certforge::testing
