#pragma once
// A real local-apiserver and the KubeGateway API in front of it, plus a GatewayClient: served by
// a real k8s-gateway process, or by local-apiserver's own process (--gateway-listen-address), so
// that the same tests hold both to the same behaviour.

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "lib/kube/gateway_client.h"
#include "tests/support/child_process.h"
#include "tests/support/local_apiserver_process.h"
#include "tests/support/temp_dir.h"

namespace certforge::testing {

inline const kube::GroupVersionResource kSecrets{"", "v1", "secrets"};
inline const kube::GroupVersionResource kNamespaces{"", "v1", "namespaces"};
inline const kube::GroupVersionResource kEvents{"", "v1", "events"};
inline const kube::GroupVersionResource kCrds{"apiextensions.k8s.io", "v1",
                                              "customresourcedefinitions"};

enum class GatewayAt { kGatewayProcess, kApiServerProcess };
// For INSTANTIATE_TEST_SUITE_P: both places, and their names in test names.
inline auto EveryGatewayAt() {
  return ::testing::Values(GatewayAt::kGatewayProcess, GatewayAt::kApiServerProcess);
}
std::string GatewayAtName(const ::testing::TestParamInfo<GatewayAt>& info);

class GatewayHarness {
 public:
  // `apiserver_args`: extra local-apiserver flags (e.g. a short --watch-history).
  explicit GatewayHarness(std::vector<std::string> apiserver_args = {},
                          GatewayAt at = GatewayAt::kGatewayProcess);
  ~GatewayHarness();

  absl::Status StartApiServer();
  // Starts k8s-gateway, or (served by local-apiserver) only connects the client.
  absl::Status StartGateway();
  // SIGTERM to the process serving the gateway; the exit status as waitpid reports it.
  int StopGateway();

  // Where the gRPC API is served: 127.0.0.1:port or unix:PATH.
  std::string address() const { return address_; }
  LocalApiServerProcess& apiserver() { return *apiserver_; }
  kube::GatewayClient& client() { return *client_; }
  int healthz_port() const { return healthz_port_; }
  std::string GatewayLog() const { return gateway_ ? gateway_->LogTail(6000) : ""; }
  std::string Logs() const;  // both, for failure messages
  const TempDir& dir() const { return dir_; }

  // Creates a namespace through the gateway.
  absl::Status CreateNamespace(const std::string& name);

 private:
  TempDir dir_;
  GatewayAt at_;
  std::string address_;
  std::unique_ptr<LocalApiServerProcess> apiserver_;
  std::unique_ptr<ChildProcess> gateway_;
  std::unique_ptr<kube::GatewayClient> client_;
  int healthz_port_ = 0;
  int gateway_starts_ = 0;
};

nlohmann::json SecretObject(const std::string& namespace_, const std::string& name,
                            const nlohmann::json& labels = nlohmann::json::object());
std::string RvOf(const nlohmann::json& object);

}  // namespace certforge::testing
