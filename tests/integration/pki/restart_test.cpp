// The controller carries on by itself when the gateway or the API server under it restarts: its
// watches resume and certificates applied afterwards are issued.

#include <gtest/gtest.h>

#include "tests/integration/pki/pki_fixture.h"
#include "tests/support/cpu_split.h"

namespace certforge::testing {
namespace {

class Restarts : public PkiTest {
 protected:
  std::optional<CertforgeStackOptions> OwnStackOptions() const override {
    return CertforgeStackOptions{1, {}};
  }

  void IssueLeaf(const std::string& name) {
    auto applied = stack().Apply(Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: $NAME, namespace: $NS}
spec:
  secretName: $NAME-tls
  dnsNames: [$NAME.example.com]
  issuerRef: {name: ca, kind: Issuer}
)",
                                      {{"NAME", name}, {"NS", ns_}}));
    ASSERT_TRUE(applied.ok()) << applied.message();
    ASSERT_TRUE(WaitCertificateReady(name, 1, std::chrono::seconds(90)))
        << Describe("certificate", name);
    EXPECT_EQ(PublicKeyOfKey(SecretValue(name + "-tls", "tls.key")),
              PublicKeyOfCertificate(SecretValue(name + "-tls", "tls.crt")));
  }

  void IssueAcrossAnApiServerRestart() {
    ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
    ASSERT_NO_FATAL_FAILURE(IssueLeaf("before"));
    auto restarted = stack().RestartApiServer();
    ASSERT_TRUE(restarted.ok()) << restarted.message();
    if (const auto& split = stack().cpu_split()) {
      EXPECT_EQ(CpusOf(stack().Pids().at("local-apiserver")), split->apiserver)
          << "the restarted local-apiserver is not back on its CPUs";
    }
    ASSERT_NO_FATAL_FAILURE(IssueLeaf("after-apiserver"));
    EXPECT_TRUE(stack().ControllerRunning());
  }
};

// Wired as make run wires it: the controller on the KubeGateway API served by local-apiserver,
// and each process on its CPUs. A kill -9 takes the gateway down with the API server; the
// restarted process serves the same socket again, from its CPUs.
class RestartsGatewayInApiServer : public Restarts {
 protected:
  std::optional<CertforgeStackOptions> OwnStackOptions() const override {
    return CertforgeStackOptions{.signers = 1, .embedded_gateway = true, .split_cpus = true};
  }
};

TEST_F(Restarts, GatewayKilledAndRestarted) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  ASSERT_NO_FATAL_FAILURE(IssueLeaf("before"));
  stack().KillGateway9();
  auto started = stack().StartGateway();
  ASSERT_TRUE(started.ok()) << started.message();
  ASSERT_NO_FATAL_FAILURE(IssueLeaf("after-gateway"));
  EXPECT_TRUE(stack().ControllerRunning());
}

TEST_F(Restarts, ApiServerKilledAndRestarted) { IssueAcrossAnApiServerRestart(); }

TEST_F(RestartsGatewayInApiServer, ApiServerKilledAndRestarted) { IssueAcrossAnApiServerRestart(); }

}  // namespace
}  // namespace certforge::testing
