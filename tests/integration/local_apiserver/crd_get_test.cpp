// kubectl reads custom resources of the project's CRDs: cert-manager's table columns, YAML
// round trips, short names, the category, and discovery as `kubectl api-resources` shows it.

#include <regex>
#include <set>

#include "tests/integration/local_apiserver/apiserver_test_base.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using Headers = std::vector<std::string>;

constexpr char kReadyStatus[] =
    R"({"status":{"conditions":[{"type":"Ready","status":"True","reason":"Ready",)"
    R"("message":"Certificate is up to date and has not expired","observedGeneration":1}],)"
    R"("notAfter":"2027-02-25T00:00:00Z"}})";

class CrdGetTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer(); }
  static void TearDownTestSuite() { StopSuiteServer(); }
};

TEST_F(CrdGetTest, CertificateTableHasCertManagerColumns) {
  const std::string& ns = Namespace();
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "web", "web-tls"));

  ParsedTable table = ParseTable(KubectlOk(InNs({"get", "certificates"})));
  EXPECT_EQ(table.headers, (Headers{"NAME", "READY", "SECRET", "AGE"}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0]["NAME"], "web");
  EXPECT_EQ(table.rows[0]["READY"], "");
  EXPECT_EQ(table.rows[0]["SECRET"], "web-tls");
  EXPECT_TRUE(std::regex_match(table.rows[0]["AGE"], std::regex("[0-9]+s")))
      << table.rows[0]["AGE"];

  KubectlOk(InNs(
      {"patch", "certificate", "web", "--subresource=status", "--type=merge", "-p", kReadyStatus}));
  ParsedTable wide = ParseTable(KubectlOk(InNs({"get", "certificates", "-o", "wide"})));
  EXPECT_EQ(wide.headers,
            (Headers{"NAME", "READY", "SECRET", "ISSUER", "STATUS", "EXPIRATION", "AGE"}));
  ASSERT_EQ(wide.rows.size(), 1u);
  TableRow row = wide.rows[0];
  EXPECT_EQ(row["NAME"], "web");
  EXPECT_EQ(row["READY"], "True");
  EXPECT_EQ(row["SECRET"], "web-tls");
  EXPECT_EQ(row["ISSUER"], "selfsigned");
  EXPECT_EQ(row["STATUS"], "Certificate is up to date and has not expired");
  EXPECT_EQ(row["EXPIRATION"], "2027-02-25T00:00:00Z");

  // One object by name, and every namespace: the same row, plus NAMESPACE first.
  ParsedTable one = ParseTable(KubectlOk(InNs({"get", "certificate", "web"})));
  ASSERT_EQ(one.rows.size(), 1u);
  EXPECT_EQ(one.rows[0]["READY"], "True");
  ParsedTable all = ParseTable(KubectlOk({"get", "certificates", "-A"}));
  EXPECT_EQ(all.headers, (Headers{"NAMESPACE", "NAME", "READY", "SECRET", "AGE"}));
  ASSERT_EQ(all.rows.size(), 1u);
  EXPECT_EQ(all.rows[0]["NAMESPACE"], ns);
}

TEST_F(CrdGetTest, GetYamlRoundTripsTheSpec) {
  const std::string& ns = Namespace();
  std::string manifest = CertificateYaml(ns, "full", "full-tls",
                                         "  duration: 2160h\n"
                                         "  renewBefore: 360h\n"
                                         "  isCA: false\n"
                                         "  commonName: full.example.com\n"
                                         "  revisionHistoryLimit: 3\n"
                                         "  usages: [digital signature, key encipherment]\n"
                                         "  subject:\n"
                                         "    organizations: [Example Org]\n"
                                         "  privateKey:\n"
                                         "    algorithm: ECDSA\n"
                                         "    size: 256\n"
                                         "    rotationPolicy: Always\n"
                                         "  secretTemplate:\n"
                                         "    labels: {team: platform}\n");
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, manifest),
            "certificate.cert-manager.io/full created\n");

  json sent = YamlToJson(manifest);
  json got = YamlToJson(KubectlOk(InNs({"get", "certificate", "full", "-o", "yaml"})));
  EXPECT_EQ(got["spec"], sent["spec"]) << got.dump(2);
  EXPECT_EQ(got["apiVersion"], "cert-manager.io/v1");
  EXPECT_EQ(got["kind"], "Certificate");
  const json& meta = got["metadata"];
  EXPECT_EQ(meta["name"], "full");
  EXPECT_EQ(meta["namespace"], ns);
  EXPECT_EQ(meta["generation"], 1);
  EXPECT_TRUE(meta["resourceVersion"].is_string()) << meta.dump();
  EXPECT_TRUE(
      std::regex_match(meta.value("uid", ""),
                       std::regex("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")))
      << meta.dump();
  EXPECT_TRUE(
      std::regex_match(meta.value("creationTimestamp", ""),
                       std::regex("[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")))
      << meta.dump();
  EXPECT_FALSE(got.contains("status")) << got.dump(2);

  // The same manifest again changes nothing, not even the resourceVersion.
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, manifest),
            "certificate.cert-manager.io/full unchanged\n");
  json again = GetJson(InNs({"certificate", "full"}));
  EXPECT_EQ(again["metadata"]["resourceVersion"], meta["resourceVersion"]);
}

TEST_F(CrdGetTest, ShortNamesAndCategory) {
  const std::string& ns = Namespace();
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "short", "short-tls"));
  KubectlOk(InNs({"apply", "-f", "-"}),
            "apiVersion: cert-manager.io/v1\nkind: Issuer\nmetadata: {name: selfsigned}\n"
            "spec: {selfSigned: {}}\n");

  for (const char* name : {"certificate", "certificates", "cert", "certs",
                           "certificates.cert-manager.io", "cert.cert-manager.io"}) {
    EXPECT_EQ(KubectlOk(InNs({"get", name, "-o", "name"})), "certificate.cert-manager.io/short\n")
        << name;
  }
  EXPECT_EQ(KubectlOk(InNs({"get", "iss", "-o", "name"})), "issuer.cert-manager.io/selfsigned\n");

  // The category spans every kind in it; kubectl prints each kind's objects by full name.
  std::string category = KubectlOk(InNs({"get", "cert-manager", "-o", "name"}));
  std::set<std::string> names;
  for (const auto& words : Words(category)) names.insert(words[0]);
  EXPECT_EQ(names, (std::set<std::string>{"certificate.cert-manager.io/short",
                                          "issuer.cert-manager.io/selfsigned"}));
  std::string tables = KubectlOk(InNs({"get", "cert-manager"}));
  EXPECT_NE(tables.find("certificate.cert-manager.io/short"), std::string::npos) << tables;
  EXPECT_NE(tables.find("issuer.cert-manager.io/selfsigned"), std::string::npos) << tables;

  CommandResult unknown = Kubectl(InNs({"get", "certz"}));
  EXPECT_EQ(unknown.exit_code, 1);
  EXPECT_NE(unknown.err.find("the server doesn't have a resource type \"certz\""),
            std::string::npos)
      << unknown.Describe();
}

TEST_F(CrdGetTest, ApiResourcesListsTheCrds) {
  ParsedTable table = ParseTable(KubectlOk({"api-resources", "--api-group=cert-manager.io"}));
  EXPECT_EQ(table.headers, (Headers{"NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND"}));
  std::vector<TableRow> expected = {
      {{"NAME", "certificaterequests"},
       {"SHORTNAMES", "cr,crs"},
       {"APIVERSION", "cert-manager.io/v1"},
       {"NAMESPACED", "true"},
       {"KIND", "CertificateRequest"}},
      {{"NAME", "certificates"},
       {"SHORTNAMES", "cert,certs"},
       {"APIVERSION", "cert-manager.io/v1"},
       {"NAMESPACED", "true"},
       {"KIND", "Certificate"}},
      {{"NAME", "clusterissuers"},
       {"SHORTNAMES", "ciss"},
       {"APIVERSION", "cert-manager.io/v1"},
       {"NAMESPACED", "false"},
       {"KIND", "ClusterIssuer"}},
      {{"NAME", "issuers"},
       {"SHORTNAMES", "iss"},
       {"APIVERSION", "cert-manager.io/v1"},
       {"NAMESPACED", "true"},
       {"KIND", "Issuer"}},
  };
  EXPECT_EQ(table.rows, expected);

  std::string in_category = KubectlOk({"api-resources", "--categories=cert-manager", "-o", "name"});
  EXPECT_EQ(in_category,
            "challenges.acme.cert-manager.io\norders.acme.cert-manager.io\n"
            "certificaterequests.cert-manager.io\ncertificates.cert-manager.io\n"
            "clusterissuers.cert-manager.io\nissuers.cert-manager.io\n");

  ParsedTable wide =
      ParseTable(KubectlOk({"api-resources", "--api-group=acme.cert-manager.io", "-o", "wide"}));
  ASSERT_EQ(wide.rows.size(), 2u);
  for (auto& row : wide.rows) {
    EXPECT_EQ(row["VERBS"], "create,delete,deletecollection,get,list,patch,update,watch");
    EXPECT_EQ(row["CATEGORIES"], "cert-manager,cert-manager-acme");
  }

  // The CRDs themselves are served too, with their own table.
  ParsedTable crds = ParseTable(KubectlOk({"get", "crd"}));
  EXPECT_EQ(crds.headers, (Headers{"NAME", "CREATED AT"}));
  std::set<std::string> crd_names;
  for (auto& row : crds.rows) crd_names.insert(row["NAME"]);
  EXPECT_EQ(crd_names, (std::set<std::string>{
                           "certificaterequests.cert-manager.io", "certificates.cert-manager.io",
                           "challenges.acme.cert-manager.io", "clusterissuers.cert-manager.io",
                           "issuers.cert-manager.io", "orders.acme.cert-manager.io"}));
}

}  // namespace
}  // namespace certforge::testing
