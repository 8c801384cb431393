// deploy/examples/private-pki.yaml applied with kubectl ends in a chain openssl verifies, with
// the resources, conditions, Secrets and events cert-manager would leave behind.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/integration/pki/pki_fixture.h"
#include "tests/support/cpu_split.h"
#include "tests/support/temp_dir.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class PrivatePkiManifest : public PkiTest {
 protected:
  void ApplyAndVerifyTheChain();
};

// The same wired as `make run` wires it: the controller dials the KubeGateway API served by
// local-apiserver's own process (--gateway-listen-address) instead of k8s-gateway, and
// local-apiserver runs on CPUs of its own.
class PrivatePkiManifestGatewayInApiServer : public PrivatePkiManifest {
 protected:
  std::optional<CertforgeStackOptions> OwnStackOptions() const override {
    return CertforgeStackOptions{.embedded_gateway = true, .split_cpus = true};
  }
};

int CountCertificates(const std::string& pem) {
  int n = 0;
  for (size_t at = pem.find("-----BEGIN CERTIFICATE-----"); at != std::string::npos;
       at = pem.find("-----BEGIN CERTIFICATE-----", at + 1)) {
    ++n;
  }
  return n;
}

void PrivatePkiManifest::ApplyAndVerifyTheChain() {
  std::string manifest = ReadFile(SourceDir() + "/deploy/examples/private-pki.yaml");
  ASSERT_FALSE(manifest.empty()) << "no manifest under " << SourceDir();
  auto applied = stack().Apply(manifest);
  ASSERT_TRUE(applied.ok()) << applied.message();

  for (const auto& [ns, name] : std::vector<std::pair<std::string, std::string>>{
           {"cert-manager", "my-selfsigned-ca"}, {"default", "example-test-com"}}) {
    auto waited = stack().Kubectl(
        {"wait", "--for=condition=Ready", "--timeout=60s", "-n", ns, "certificate/" + name}, "",
        std::chrono::seconds(70));
    ASSERT_EQ(waited.exit_code, 0) << waited.Describe() << "\n" << stack().LogTails();
    EXPECT_THAT(waited.out, HasSubstr("condition met"));
  }

  std::string root = SecretValue("root-secret", "tls.crt", "cert-manager");
  std::string leaf = SecretValue("example-test-com-tls", "tls.crt", "default");
  ASSERT_EQ(CountCertificates(root), 1) << root;
  ASSERT_EQ(CountCertificates(leaf), 1) << "a root CA is not part of the chain:\n" << leaf;
  TempDir files("pki-verify");
  WriteFile(files.File("root.crt"), root);
  WriteFile(files.File("leaf.crt"), leaf);
  auto verified = Openssl({"verify", "-CAfile", files.File("root.crt"), files.File("leaf.crt")});
  EXPECT_EQ(verified.exit_code, 0) << verified.Describe();
  EXPECT_EQ(verified.out, files.File("leaf.crt") + ": OK\n");

  EXPECT_EQ(SecretValue("example-test-com-tls", "ca.crt", "default"), root);
  EXPECT_EQ(SecretValue("root-secret", "ca.crt", "cert-manager"), root);
  EXPECT_EQ(PublicKeyOfKey(SecretValue("example-test-com-tls", "tls.key", "default")),
            PublicKeyOfCertificate(leaf));
  auto leaf_text =
      Openssl({"x509", "-noout", "-subject", "-issuer", "-ext", "subjectAltName"}, leaf);
  EXPECT_THAT(leaf_text.out, HasSubstr("issuer=CN = my-selfsigned-ca"));
  EXPECT_THAT(leaf_text.out, HasSubstr("DNS:example.com"));
}

TEST_F(PrivatePkiManifest, IssuesAChainOpensslVerifies) { ApplyAndVerifyTheChain(); }

TEST_F(PrivatePkiManifestGatewayInApiServer, RunsOnItsCpusAndIssuesAChainOpensslVerifies) {
  // On two or more CPUs: local-apiserver on the first half, every other process on the rest.
  if (auto split = SplitCpus(AllowedCpus())) {
    ASSERT_TRUE(stack().cpu_split().has_value());
    auto pids = stack().Pids();
    ASSERT_EQ(pids.size(), 5u) << "local-apiserver, k8s-gateway, controller and two signers";
    for (const auto& [process, pid] : pids) {
      EXPECT_EQ(CpusOf(pid), process == "local-apiserver" ? split->apiserver : split->others)
          << process;
    }
  }
  ApplyAndVerifyTheChain();
}

TEST_F(PrivatePkiManifest, LeavesTheResourcesCertManagerWould) {
  auto applied = stack().Apply(ReadFile(SourceDir() + "/deploy/examples/private-pki.yaml"));
  ASSERT_TRUE(applied.ok()) << applied.message();
  ASSERT_EQ(stack()
                .Kubectl({"wait", "--for=condition=Ready", "--timeout=60s", "-n", "default",
                          "certificate/example-test-com"},
                         "", std::chrono::seconds(70))
                .exit_code,
            0)
      << stack().LogTails();

  struct Expected {
    std::string ns, certificate, secret, issuer, common_name, alt_names;
  };
  for (const auto& e : std::vector<Expected>{{"cert-manager", "my-selfsigned-ca", "root-secret",
                                              "self-signed-issuer", "my-selfsigned-ca", ""},
                                             {"default", "example-test-com", "example-test-com-tls",
                                              "ca-issuer", "", "example.com"}}) {
    SCOPED_TRACE(e.certificate);
    json secret = Get("secret", e.secret, e.ns);
    EXPECT_EQ(secret.value("type", ""), "kubernetes.io/tls");
    json labels = secret["metadata"].value("labels", json::object());
    EXPECT_EQ(labels.value("controller.cert-manager.io/fao", ""), "true");
    json annotations = secret["metadata"].value("annotations", json::object());
    EXPECT_EQ(annotations.value("cert-manager.io/certificate-name", ""), e.certificate);
    EXPECT_EQ(annotations.value("cert-manager.io/issuer-name", ""), e.issuer);
    EXPECT_EQ(annotations.value("cert-manager.io/issuer-kind", ""), "ClusterIssuer");
    EXPECT_EQ(annotations.value("cert-manager.io/issuer-group", ""), "cert-manager.io");
    EXPECT_EQ(annotations.value("cert-manager.io/common-name", "<absent>"), e.common_name);
    EXPECT_EQ(annotations.value("cert-manager.io/alt-names", "<absent>"), e.alt_names);
    EXPECT_EQ(annotations.value("cert-manager.io/ip-sans", "<absent>"), "");
    EXPECT_EQ(annotations.value("cert-manager.io/uri-sans", "<absent>"), "");

    json certificate = Get("certificate", e.certificate, e.ns);
    EXPECT_EQ(ConditionField(certificate, "Ready", "reason"), "Ready");
    EXPECT_EQ(ConditionField(certificate, "Ready", "message"),
              "Certificate is up to date and has not expired");
    EXPECT_EQ(certificate["status"].value("revision", 0), 1);
    EXPECT_FALSE(certificate["status"].contains("nextPrivateKeySecretName"));
    EXPECT_EQ(ConditionField(certificate, "Issuing", "status"), "");

    json request = Get("certificaterequest", e.certificate + "-1", e.ns);
    EXPECT_EQ(ConditionField(request, "Approved", "status"), "True") << request.dump(2);
    EXPECT_EQ(ConditionField(request, "Approved", "reason"), "cert-manager.io");
    EXPECT_EQ(ConditionField(request, "Ready", "status"), "True");
    EXPECT_EQ(ConditionField(request, "Ready", "reason"), "Issued");
    json request_annotations = request["metadata"].value("annotations", json::object());
    EXPECT_EQ(request_annotations.value("cert-manager.io/certificate-name", ""), e.certificate);
    EXPECT_EQ(request_annotations.value("cert-manager.io/certificate-revision", ""), "1");

    auto events = EventsFor(e.certificate, e.ns);
    auto has = [&](const std::string& prefix) {
      return std::any_of(events.begin(), events.end(),
                         [&](const std::string& ev) { return ev.rfind(prefix, 0) == 0; });
    };
    EXPECT_TRUE(has("Normal Issuing: Issuing certificate as Secret does not exist"));
    EXPECT_TRUE(has("Normal Generated: Stored new private key in temporary Secret resource"));
    EXPECT_TRUE(has("Normal Requested: Created new CertificateRequest resource \"" + e.certificate +
                    "-1\""));
    EXPECT_TRUE(has("Normal Issuing: The certificate has been successfully issued"));
    // Exactly cert-manager's four: cleaning up the temporary key Secret records none.
    EXPECT_EQ(events.size(), 4u) << ::testing::PrintToString(events);
    for (const auto& ev : events) EXPECT_EQ(ev.rfind("Warning", 0), std::string::npos) << ev;
  }

  for (const auto& [name, reason] : std::vector<std::pair<std::string, std::string>>{
           {"self-signed-issuer", "IsReady"}, {"ca-issuer", "KeyPairVerified"}}) {
    json issuer = Get("clusterissuer", name, "");
    EXPECT_EQ(ConditionField(issuer, "Ready", "status"), "True") << issuer.dump(2);
    EXPECT_EQ(ConditionField(issuer, "Ready", "reason"), reason);
  }

  // kubectl describe finds the same events through its field selectors.
  auto described =
      stack().Kubectl({"describe", "certificate", "example-test-com", "-n", "default"});
  ASSERT_EQ(described.exit_code, 0) << described.Describe();
  EXPECT_THAT(described.out, HasSubstr("Events:"));
  for (const char* reason : {"Issuing", "Generated", "Requested"}) {
    EXPECT_THAT(described.out, HasSubstr(std::string("Normal  ") + reason)) << described.out;
  }
}

}  // namespace
}  // namespace certforge::testing
