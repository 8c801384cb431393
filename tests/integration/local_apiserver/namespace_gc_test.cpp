// The server's own controllers as kubectl sees them: namespaces (a missing one, termination of
// one with content) and owner-reference garbage collection (background, orphan, foreground).

#include <thread>

#include "tests/integration/local_apiserver/apiserver_test_base.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

class NamespaceGcTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer(); }
  static void TearDownTestSuite() { StopSuiteServer(); }

  bool Exists(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"get"};
    full.insert(full.end(), args.begin(), args.end());
    CommandResult r = Kubectl(full);
    EXPECT_TRUE(r.exit_code == 0 || r.err.find("(NotFound)") != std::string::npos) << r.Describe();
    return r.exit_code == 0;
  }

  // A Secret owned by each of `owners` (Certificates in this test's namespace).
  void CreateOwnedSecret(const std::string& name, const std::vector<std::string>& owners) {
    json refs = json::array();
    for (const auto& owner : owners) {
      refs.push_back({{"apiVersion", "cert-manager.io/v1"},
                      {"kind", "Certificate"},
                      {"name", owner},
                      {"uid", GetJson(InNs({"certificate", owner}))["metadata"]["uid"]},
                      {"controller", owner == owners[0]},
                      {"blockOwnerDeletion", true}});
    }
    json secret = {
        {"apiVersion", "v1"},
        {"kind", "Secret"},
        {"metadata", {{"name", name}, {"namespace", Namespace()}, {"ownerReferences", refs}}},
        {"stringData", {{"k", "v"}}}};
    KubectlOk({"apply", "-f", "-"}, secret.dump());
  }
};

TEST_F(NamespaceGcTest, CreatingInAMissingNamespaceIsNotFound) {
  CommandResult typed =
      Kubectl({"create", "configmap", "c", "-n", "nowhere", "--from-literal=a=b"});
  EXPECT_EQ(typed.exit_code, 1);
  EXPECT_EQ(typed.err, "error: failed to create configmap: namespaces \"nowhere\" not found\n");
  CommandResult applied = Kubectl({"apply", "-f", "-"}, CertificateYaml("nowhere", "c", "c-tls"));
  EXPECT_EQ(applied.exit_code, 1);
  EXPECT_EQ(applied.err,
            "Error from server (NotFound): error when creating \"STDIN\": namespaces \"nowhere\" "
            "not found\n");
  EXPECT_FALSE(Exists({"namespace", "nowhere"}));
}

TEST_F(NamespaceGcTest, DeletingANamespaceRemovesItsObjectsThenItself) {
  const std::string& ns = Namespace();
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "held", "held-tls"));
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "plain", "plain-tls"));
  KubectlOk(InNs({"create", "configmap", "settings", "--from-literal=a=b"}));
  KubectlOk(InNs({"create", "secret", "generic", "login", "--from-literal=a=b"}));
  KubectlOk(InNs({"patch", "certificate", "held", "--type=merge", "-p",
                  R"({"metadata":{"finalizers":["example.com/hold"]}})"}));

  EXPECT_EQ(KubectlOk({"delete", "namespace", ns, "--wait=false"}),
            "namespace \"" + ns + "\" deleted\n");
  // The content goes, except what a finalizer holds; the namespace waits for it.
  ASSERT_TRUE(WaitFor(
      [&] {
        return !Exists(InNs({"configmap", "settings"})) && !Exists(InNs({"secret", "login"})) &&
               !Exists(InNs({"certificate", "plain"}));
      },
      seconds(30)));
  json held = GetJson(InNs({"certificate", "held"}));
  EXPECT_TRUE(held["metadata"].contains("deletionTimestamp")) << held.dump(2);
  json terminating = GetJson({"namespace", ns});
  EXPECT_EQ(terminating["status"]["phase"], "Terminating");
  EXPECT_TRUE(terminating["metadata"].contains("deletionTimestamp"));
  ParsedTable table = ParseTable(KubectlOk({"get", "namespace", ns}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0]["STATUS"], "Terminating");

  CommandResult refused = Kubectl(InNs({"create", "configmap", "late", "--from-literal=a=b"}));
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_EQ(refused.err,
            "error: failed to create configmap: configmaps \"late\" is forbidden: unable to create "
            "new content in namespace " +
                ns + " because it is being terminated\n");

  KubectlOk(InNs({"patch", "certificate", "held", "--type=merge", "-p",
                  R"({"metadata":{"finalizers":null}})"}));
  ASSERT_TRUE(WaitFor([&] { return !Exists({"namespace", ns}); }, seconds(30)));
  EXPECT_FALSE(Exists(InNs({"certificate", "held"})));

  // kubectl delete namespace waits by default, and returns once it is gone.
  std::string second = ns + "-2";
  KubectlOk({"create", "namespace", second});
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(second, "c", "c-tls"));
  EXPECT_EQ(KubectlOk({"delete", "namespace", second, "--timeout=30s"}),
            "namespace \"" + second + "\" deleted\n");
  EXPECT_FALSE(Exists({"namespace", second}));
  auto list = Http("GET", "/apis/cert-manager.io/v1/namespaces/" + second + "/certificates");
  EXPECT_EQ(json::parse(list.body, nullptr, false)["items"], json::array()) << list.body;
}

TEST_F(NamespaceGcTest, OwnedSecretGoesWithItsCertificate) {
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(Namespace(), "owner", "owned"));
  CreateOwnedSecret("owned", {"owner"});
  EXPECT_EQ(KubectlOk(InNs({"delete", "certificate", "owner"})),
            "certificate.cert-manager.io \"owner\" deleted\n");
  EXPECT_TRUE(WaitFor(
      [&] {
        return !Exists(InNs({"secret", "owned"}));
      },
      seconds(15)))
      << LogTail();
}

TEST_F(NamespaceGcTest, OrphanCascadeKeepsTheSecretAndDropsTheReference) {
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(Namespace(), "owner", "kept"));
  CreateOwnedSecret("kept", {"owner"});
  EXPECT_EQ(KubectlOk(InNs({"delete", "certificate", "owner", "--cascade=orphan"})),
            "certificate.cert-manager.io \"owner\" deleted\n");
  EXPECT_FALSE(Exists(InNs({"certificate", "owner"})));
  // Give the collector every chance to (wrongly) take the dependent too.
  std::this_thread::sleep_for(seconds(2));
  json kept = GetJson(InNs({"secret", "kept"}));
  ASSERT_TRUE(kept.is_object()) << "the orphaned Secret was deleted";
  EXPECT_FALSE(kept["metadata"].contains("ownerReferences")) << kept["metadata"].dump(2);
  EXPECT_FALSE(kept["metadata"].contains("finalizers")) << kept["metadata"].dump(2);
}

TEST_F(NamespaceGcTest, ForegroundCascadeAndSharedOwnership) {
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(Namespace(), "first", "shared"));
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(Namespace(), "second", "only"));
  CreateOwnedSecret("shared", {"first", "second"});
  CreateOwnedSecret("only", {"second"});

  // One of two owners gone: the Secret stays, holding the other reference only.
  KubectlOk(InNs({"delete", "certificate", "first"}));
  std::string second_uid = GetJson(InNs({"certificate", "second"}))["metadata"]["uid"];
  ASSERT_TRUE(WaitFor(
      [&] {
        json s = GetJson(InNs({"secret", "shared"}));
        return s.is_object() && s["metadata"]["ownerReferences"].size() == 1;
      },
      seconds(15)));
  EXPECT_EQ(GetJson(InNs({"secret", "shared"}))["metadata"]["ownerReferences"][0]["uid"],
            second_uid);

  // Foreground: the dependents go first, then the owner; kubectl waits for all of it.
  EXPECT_EQ(
      KubectlOk(InNs({"delete", "certificate", "second", "--cascade=foreground", "--timeout=30s"})),
      "certificate.cert-manager.io \"second\" deleted\n");
  EXPECT_FALSE(Exists(InNs({"certificate", "second"})));
  EXPECT_FALSE(Exists(InNs({"secret", "only"})));
  EXPECT_FALSE(Exists(InNs({"secret", "shared"})));
}

}  // namespace
}  // namespace certforge::testing
