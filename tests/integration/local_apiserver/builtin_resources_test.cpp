// Built-in kinds through kubectl's typed commands (protobuf request bodies), Secret semantics
// (base64 data, stringData folded in), and label and field selectors on lists.

#include <set>

#include "lib/core/base64.h"
#include "tests/integration/local_apiserver/apiserver_test_base.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using Names = std::set<std::string>;

class BuiltinResourcesTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer(); }
  static void TearDownTestSuite() { StopSuiteServer(); }

  // `kubectl get <args> -o name`, as a set.
  Names GetNames(const std::vector<std::string>& args) {
    std::vector<std::string> full = {"get"};
    full.insert(full.end(), args.begin(), args.end());
    full.insert(full.end(), {"-n", Namespace(), "-o", "name"});
    Names names;
    for (const auto& words : Words(KubectlOk(full))) names.insert(words[0]);
    return names;
  }
};

TEST_F(BuiltinResourcesTest, TypedCreateCommandsSendProtobuf) {
  const std::string& ns = Namespace();
  TempDir keys("tls-pair");
  CommandResult openssl =
      RunCommand({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                  "-nodes", "-keyout", keys.File("tls.key"), "-out", keys.File("tls.crt"), "-subj",
                  "/CN=web.example.com", "-days", "1"});
  ASSERT_EQ(openssl.exit_code, 0) << openssl.Describe();

  EXPECT_EQ(KubectlOk(InNs({"create", "secret", "tls", "web-tls", "--cert=" + keys.File("tls.crt"),
                            "--key=" + keys.File("tls.key")})),
            "secret/web-tls created\n");
  json tls = YamlToJson(KubectlOk(InNs({"get", "secret", "web-tls", "-o", "yaml"})));
  EXPECT_EQ(tls["type"], "kubernetes.io/tls");
  EXPECT_EQ(tls["data"]["tls.crt"], core::Base64Encode(ReadFile(keys.File("tls.crt"))));
  EXPECT_EQ(tls["data"]["tls.key"], core::Base64Encode(ReadFile(keys.File("tls.key"))));
  EXPECT_EQ(tls["data"].size(), 2u);
  EXPECT_EQ(tls["metadata"]["namespace"], ns);

  EXPECT_EQ(KubectlOk(InNs({"create", "secret", "generic", "login", "--from-literal=user=admin",
                            "--from-literal=password=s3cret"})),
            "secret/login created\n");
  json login = GetJson(InNs({"secret", "login"}));
  EXPECT_EQ(login["type"], "Opaque");
  EXPECT_EQ(login["data"], (json{{"user", "YWRtaW4="}, {"password", "czNjcmV0"}}));

  EXPECT_EQ(KubectlOk(InNs(
                {"create", "configmap", "settings", "--from-literal=a=1", "--from-literal=b=two"})),
            "configmap/settings created\n");
  EXPECT_EQ(GetJson(InNs({"configmap", "settings"}))["data"], (json{{"a", "1"}, {"b", "two"}}));

  std::string other = ns + "-other";
  EXPECT_EQ(KubectlOk({"create", "namespace", other}), "namespace/" + other + " created\n");
  json created = GetJson({"namespace", other});
  EXPECT_EQ(created["status"]["phase"], "Active");
  EXPECT_EQ(created["spec"]["finalizers"], json::array({"kubernetes"}));
  ParsedTable table = ParseTable(KubectlOk({"get", "namespace", other}));
  ASSERT_EQ(table.rows.size(), 1u);
  EXPECT_EQ(table.rows[0]["STATUS"], "Active");

  CommandResult twice =
      Kubectl(InNs({"create", "secret", "generic", "login", "--from-literal=user=other"}));
  EXPECT_EQ(twice.exit_code, 1);
  EXPECT_EQ(twice.err, "error: failed to create secret secrets \"login\" already exists\n");
}

TEST_F(BuiltinResourcesTest, StringDataIsFoldedIntoData) {
  const std::string& ns = Namespace();
  auto manifest = [&](const std::string& password) {
    return "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: " + ns +
           "}\nstringData: {password: " + password + "}\ndata: {user: YWRtaW4=}\n";
  };
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, manifest("hunter2")), "secret/db created\n");
  json secret = GetJson(InNs({"secret", "db"}));
  EXPECT_EQ(secret["data"], (json{{"password", "aHVudGVyMg=="}, {"user", "YWRtaW4="}}));
  EXPECT_FALSE(secret.contains("stringData")) << secret.dump(2);
  EXPECT_EQ(secret["type"], "Opaque");

  // Client-side apply of a Secret is a strategic merge patch with "stringData" in it.
  EXPECT_EQ(KubectlOk({"apply", "-f", "-"}, manifest("correct-horse")), "secret/db configured\n");
  secret = GetJson(InNs({"secret", "db"}));
  EXPECT_EQ(secret["data"]["password"], core::Base64Encode("correct-horse"));
  EXPECT_EQ(secret["data"]["user"], "YWRtaW4=");
  EXPECT_FALSE(secret.contains("stringData"));

  // Keys are checked and named by their path, as on a real server.
  CommandResult bad_key =
      Kubectl({"apply", "-f", "-"},
              "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bad, namespace: " + ns +
                  "}\ndata: {\"bad key\": x}\n");
  EXPECT_EQ(bad_key.exit_code, 1);
  EXPECT_EQ(bad_key.err,
            "The ConfigMap \"bad\" is invalid: data[bad key]: Invalid value: \"bad key\": a "
            "valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. "
            "'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is "
            "'[-._a-zA-Z0-9]+')\n");

  // A tls Secret without its keys is invalid, as on a real server.
  CommandResult invalid =
      Kubectl({"apply", "-f", "-"},
              "apiVersion: v1\nkind: Secret\nmetadata: {name: broken, namespace: " + ns +
                  "}\ntype: kubernetes.io/tls\nstringData: {tls.crt: x}\n");
  EXPECT_EQ(invalid.exit_code, 1);
  EXPECT_EQ(invalid.err, "The Secret \"broken\" is invalid: data[tls.key]: Required value\n");
}

TEST_F(BuiltinResourcesTest, LabelAndFieldSelectors) {
  const std::string& ns = Namespace();
  std::string secrets;
  for (auto [name, labels] : std::vector<std::pair<std::string, std::string>>{
           {"a", "{tier: db, env: prod}"}, {"b", "{tier: web}"}, {"c", "{}"}}) {
    secrets += "---\napiVersion: v1\nkind: Secret\nmetadata: {name: " + name +
               ", namespace: " + ns + ", labels: " + labels + "}\nstringData: {k: v}\n";
  }
  KubectlOk({"apply", "-f", "-"}, secrets);

  EXPECT_EQ(GetNames({"secrets", "-l", "tier=db"}), (Names{"secret/a"}));
  EXPECT_EQ(GetNames({"secrets", "-l", "tier in (db,web)"}), (Names{"secret/a", "secret/b"}));
  EXPECT_EQ(GetNames({"secrets", "-l", "!tier"}), (Names{"secret/c"}));
  EXPECT_EQ(GetNames({"secrets", "-l", "tier!=db"}), (Names{"secret/b", "secret/c"}));
  EXPECT_EQ(GetNames({"secrets", "-l", "tier,env=prod"}), (Names{"secret/a"}));
  EXPECT_EQ(GetNames({"secrets", "--field-selector", "metadata.name=b"}), (Names{"secret/b"}));
  EXPECT_EQ(GetNames({"secrets", "--field-selector", "metadata.name!=b"}),
            (Names{"secret/a", "secret/c"}));
  EXPECT_EQ(GetNames({"secrets", "-l", "tier", "--field-selector", "metadata.name!=a"}),
            (Names{"secret/b"}));
  EXPECT_EQ(GetNames({"secrets", "--field-selector", "type=Opaque,metadata.name=c"}),
            (Names{"secret/c"}));
  CommandResult none = Kubectl(InNs({"get", "secrets", "-l", "tier=none"}));
  EXPECT_EQ(none.exit_code, 0);
  EXPECT_EQ(none.out, "");
  EXPECT_EQ(none.err, "No resources found in " + ns + " namespace.\n");

  // Events by the object they are about; kubectl describe finds them the same way.
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "web", "web-tls"));
  std::string uid = GetJson(InNs({"certificate", "web"}))["metadata"]["uid"];
  std::string events;
  for (auto [name, about] :
       std::vector<std::pair<std::string, std::string>>{{"e1", "web"}, {"e2", "api"}}) {
    events += "---\napiVersion: v1\nkind: Event\nmetadata: {name: " + name + ", namespace: " + ns +
              "}\ninvolvedObject: {apiVersion: cert-manager.io/v1, kind: Certificate, "
              "name: " +
              about + ", namespace: " + ns + ", uid: '" +
              (about == "web" ? uid : std::string("0")) +
              "'}\nreason: Issuing\nmessage: The certificate has been successfully issued\n"
              "type: Normal\nsource: {component: cert-manager-certificates-issuing}\n"
              "count: 1\nfirstTimestamp: '2026-01-01T00:00:00Z'\n"
              "lastTimestamp: '2026-01-01T00:00:00Z'\n";
  }
  KubectlOk({"apply", "-f", "-"}, events);
  EXPECT_EQ(GetNames({"events", "--field-selector", "involvedObject.name=web"}),
            (Names{"event/e1"}));
  EXPECT_EQ(GetNames({"events", "--field-selector",
                      "involvedObject.kind=Certificate,involvedObject.name!=web"}),
            (Names{"event/e2"}));
  EXPECT_EQ(GetNames({"events", "--field-selector", "reason=Issuing"}),
            (Names{"event/e1", "event/e2"}));
  std::string described = KubectlOk(InNs({"describe", "certificate", "web"}));
  EXPECT_NE(described.find("Normal  Issuing"), std::string::npos) << described;
  EXPECT_NE(described.find("cert-manager-certificates-issuing  The certificate has been "
                           "successfully issued"),
            std::string::npos)
      << described;

  CommandResult unsupported = Kubectl(InNs({"get", "secrets", "--field-selector", "spec.foo=x"}));
  EXPECT_EQ(unsupported.exit_code, 1);
  EXPECT_EQ(unsupported.err,
            "Error from server (BadRequest): Unable to find \"/v1, Resource=secrets\" that match "
            "label selector \"\", field selector \"spec.foo=x\": field label not supported: "
            "spec.foo\n");
  CommandResult on_crd =
      Kubectl(InNs({"get", "certificates", "--field-selector", "spec.secretName=web-tls"}));
  EXPECT_EQ(on_crd.exit_code, 1);
  EXPECT_NE(on_crd.err.find("field label not supported: spec.secretName"), std::string::npos)
      << on_crd.err;
  CommandResult bad_label = Kubectl(InNs({"get", "secrets", "-l", "tier in db"}));
  EXPECT_EQ(bad_label.exit_code, 1);
  EXPECT_NE(bad_label.err.find("unable to parse requirement"), std::string::npos) << bad_label.err;
}

}  // namespace
}  // namespace certforge::testing
