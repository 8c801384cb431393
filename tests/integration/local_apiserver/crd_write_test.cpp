// kubectl writes custom resources: patch types (strategic refused with kubectl's own message,
// merge and JSON patch applied), client-side and server-side apply, and the 409s (stale
// replace, create of an existing name).

#include "tests/integration/local_apiserver/apiserver_test_base.h"

namespace certforge::testing {
namespace {

using nlohmann::json;

class CrdWriteTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer(); }
  static void TearDownTestSuite() { StopSuiteServer(); }
};

TEST_F(CrdWriteTest, StrategicPatchIsRefusedMergeAndJsonPatchApply) {
  const std::string& ns = Namespace();
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "p", "p-tls"));
  json before = GetJson(InNs({"certificate", "p"}));

  CommandResult smp =
      Kubectl(InNs({"patch", "certificate", "p", "-p", R"({"metadata":{"labels":{"a":"b"}}})"}));
  EXPECT_EQ(smp.exit_code, 1);
  EXPECT_EQ(smp.err,
            "error: application/strategic-merge-patch+json is not supported by "
            "cert-manager.io/v1, Kind=Certificate: the body of the request was in an unknown "
            "format - accepted media types include: application/json-patch+json, "
            "application/merge-patch+json, application/apply-patch+yaml\n");
  EXPECT_EQ(GetJson(InNs({"certificate", "p"})), before);

  EXPECT_EQ(KubectlOk(InNs({"patch", "cert", "p", "--type=merge", "-p",
                            R"({"spec":{"dnsNames":["a.example.com","b.example.com"]}})"})),
            "certificate.cert-manager.io/p patched\n");
  json merged = GetJson(InNs({"certificate", "p"}));
  EXPECT_EQ(merged["spec"]["dnsNames"], json::array({"a.example.com", "b.example.com"}));
  EXPECT_EQ(merged["metadata"]["generation"], 2);

  EXPECT_EQ(KubectlOk(InNs({"patch", "cert", "p", "--type=json", "-p",
                            R"([{"op":"replace","path":"/spec/secretName","value":"q-tls"},)"
                            R"({"op":"add","path":"/metadata/labels","value":{"j":"1"}},)"
                            R"({"op":"remove","path":"/spec/dnsNames/0"}])"})),
            "certificate.cert-manager.io/p patched\n");
  json patched = GetJson(InNs({"certificate", "p"}));
  EXPECT_EQ(patched["spec"]["secretName"], "q-tls");
  EXPECT_EQ(patched["spec"]["dnsNames"], json::array({"b.example.com"}));
  EXPECT_EQ(patched["metadata"]["labels"], (json{{"j", "1"}}));
  EXPECT_EQ(patched["metadata"]["generation"], 3);

  // A patch that changes nothing writes nothing: same resourceVersion, kubectl says so.
  EXPECT_EQ(KubectlOk(InNs({"patch", "cert", "p", "--type=merge", "-p",
                            R"({"spec":{"secretName":"q-tls"}})"})),
            "certificate.cert-manager.io/p patched (no change)\n");
  EXPECT_EQ(GetJson(InNs({"certificate", "p"}))["metadata"]["resourceVersion"],
            patched["metadata"]["resourceVersion"]);

  // A JSON patch whose test fails changes nothing either.
  CommandResult failed_test =
      Kubectl(InNs({"patch", "cert", "p", "--type=json", "-p",
                    R"([{"op":"test","path":"/spec/secretName","value":"other"},)"
                    R"({"op":"replace","path":"/spec/secretName","value":"r-tls"}])"}));
  EXPECT_EQ(failed_test.exit_code, 1) << failed_test.Describe();
  EXPECT_EQ(GetJson(InNs({"certificate", "p"}))["spec"]["secretName"], "q-tls");
}

TEST_F(CrdWriteTest, ClientSideApplyTwiceThenChanged) {
  const std::string& ns = Namespace();
  std::string manifest = CertificateYaml(ns, "csa", "csa-tls", "  duration: 2160h\n");
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, manifest), "certificate.cert-manager.io/csa created\n");
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, manifest),
            "certificate.cert-manager.io/csa unchanged\n");

  // Drop duration, add a usage: the three-way merge removes what the manifest no longer has.
  std::string changed = CertificateYaml(ns, "csa", "csa-tls", "  usages: [server auth]\n");
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, changed),
            "certificate.cert-manager.io/csa configured\n");
  json live = GetJson(InNs({"certificate", "csa"}));
  EXPECT_FALSE(live["spec"].contains("duration")) << live.dump(2);
  EXPECT_EQ(live["spec"]["usages"], json::array({"server auth"}));
  EXPECT_EQ(live["metadata"]["generation"], 2);
  json last_applied = json::parse(
      live["metadata"]["annotations"].value("kubectl.kubernetes.io/last-applied-configuration", ""),
      nullptr, false);
  EXPECT_EQ(last_applied["spec"], YamlToJson(changed)["spec"]);
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, changed),
            "certificate.cert-manager.io/csa unchanged\n");
}

TEST_F(CrdWriteTest, ServerSideApplyCreatesThenUpdates) {
  const std::string& ns = Namespace();
  std::string manifest = CertificateYaml(ns, "ssa", "ssa-tls");
  EXPECT_EQ(KubectlOk({"apply", "--server-side", "-f", "-"}, manifest),
            "certificate.cert-manager.io/ssa serverside-applied\n");
  json created = GetJson(InNs({"certificate", "ssa"}));
  EXPECT_EQ(created["spec"], YamlToJson(manifest)["spec"]);
  EXPECT_EQ(created["metadata"]["generation"], 1);

  std::string changed = CertificateYaml(ns, "ssa", "ssa-tls", "  renewBefore: 240h\n");
  EXPECT_EQ(KubectlOk({"apply", "--server-side", "-f", "-"}, changed),
            "certificate.cert-manager.io/ssa serverside-applied\n");
  json updated = GetJson(InNs({"certificate", "ssa"}));
  EXPECT_EQ(updated["spec"]["renewBefore"], "240h");
  EXPECT_EQ(updated["metadata"]["generation"], 2);
  EXPECT_EQ(updated["metadata"]["uid"], created["metadata"]["uid"]);

  // A server-side dry run validates and answers, but stores nothing.
  std::string dry = CertificateYaml(ns, "ssa-dry", "dry-tls");
  EXPECT_EQ(KubectlOk({"apply", "--server-side", "--dry-run=server", "-f", "-"}, dry),
            "certificate.cert-manager.io/ssa-dry serverside-applied (server dry run)\n");
  EXPECT_EQ(Kubectl(InNs({"get", "certificate", "ssa-dry"})).exit_code, 1);
}

TEST_F(CrdWriteTest, StaleReplaceConflictsAndSecondCreateAlreadyExists) {
  const std::string& ns = Namespace();
  std::string manifest = CertificateYaml(ns, "c", "c-tls");
  EXPECT_EQ(KubectlOk({"create", "-f", "-"}, manifest), "certificate.cert-manager.io/c created\n");
  CommandResult again = Kubectl({"create", "-f", "-"}, manifest);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(again.err,
            "Error from server (AlreadyExists): error when creating \"STDIN\": "
            "certificates.cert-manager.io \"c\" already exists\n");

  json stale = GetJson(InNs({"certificate", "c"}));
  KubectlOk(InNs({"label", "certificate", "c", "moved=yes"}));
  stale["spec"]["secretName"] = "stale-tls";
  CommandResult replaced = Kubectl({"replace", "-f", "-"}, stale.dump());
  EXPECT_EQ(replaced.exit_code, 1);
  EXPECT_EQ(replaced.err,
            "Error from server (Conflict): error when replacing \"STDIN\": Operation cannot be "
            "fulfilled on certificates.cert-manager.io \"c\": the object has been modified; "
            "please apply your changes to the latest version and try again\n");
  EXPECT_EQ(GetJson(InNs({"certificate", "c"}))["spec"]["secretName"], "c-tls");

  // With the current resourceVersion the same replace goes through.
  json fresh = GetJson(InNs({"certificate", "c"}));
  fresh["spec"]["secretName"] = "fresh-tls";
  EXPECT_EQ(KubectlOk({"replace", "-f", "-"}, fresh.dump()),
            "certificate.cert-manager.io/c replaced\n");
  json now = GetJson(InNs({"certificate", "c"}));
  EXPECT_EQ(now["spec"]["secretName"], "fresh-tls");
  EXPECT_EQ(now["metadata"]["labels"], (json{{"moved", "yes"}}));

  // The Status body a client sees for the conflict, via the API directly.
  stale["metadata"]["resourceVersion"] = fresh["metadata"]["resourceVersion"];
  auto http =
      Http("PUT", "/apis/cert-manager.io/v1/namespaces/" + ns + "/certificates/c", stale.dump());
  EXPECT_EQ(http.code, 409) << http.body;
  json status = json::parse(http.body, nullptr, false);
  EXPECT_EQ(status.value("reason", ""), "Conflict");
  EXPECT_EQ(status["details"],
            (json{{"name", "c"}, {"group", "cert-manager.io"}, {"kind", "certificates"}}));
}

}  // namespace
}  // namespace certforge::testing
