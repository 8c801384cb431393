#include "tests/integration/k8s_gateway/gateway_harness.h"

#include <filesystem>

#include "tests/support/wait_for.h"

namespace certforge::testing {

std::string GatewayAtName(const ::testing::TestParamInfo<GatewayAt>& info) {
  return info.param == GatewayAt::kGatewayProcess ? "K8sGateway" : "InLocalApiServer";
}

GatewayHarness::GatewayHarness(std::vector<std::string> apiserver_args, GatewayAt at)
    : dir_("k8s-gateway-it"), at_(at) {
  std::filesystem::create_directories(dir_.File("apiserver"));
  if (at_ == GatewayAt::kApiServerProcess) {
    // The socket's path must be short enough; a TMPDIR that deep fails here, loudly.
    address_ = "unix:" + dir_.File("gateway.sock");
    apiserver_args.insert(apiserver_args.end(), {"--gateway-listen-address", address_});
  }
  apiserver_ =
      std::make_unique<LocalApiServerProcess>(dir_.File("apiserver"), std::move(apiserver_args));
}

GatewayHarness::~GatewayHarness() {
  client_.reset();
  if (gateway_) gateway_->Stop(std::chrono::seconds(5));
}

absl::Status GatewayHarness::StartApiServer() { return apiserver_->Start(); }

absl::Status GatewayHarness::StartGateway() {
  if (at_ == GatewayAt::kApiServerProcess) {
    client_ = std::make_unique<kube::GatewayClient>(kube::GatewayClient::Connect(address_));
    return absl::OkStatus();
  }
  std::string ready = dir_.File("ready.json");
  std::filesystem::remove(ready);
  gateway_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{BinDir() + "/k8s-gateway", "--kubeconfig", apiserver_->kubeconfig(),
                               "--listen-address", "127.0.0.1:0", "--healthz-listen-address",
                               "127.0.0.1:0", "--ready-file", ready, "--log-level", "debug"},
      dir_.File("gateway." + std::to_string(++gateway_starts_) + ".log"));
  bool up = WaitFor([&] { return std::filesystem::exists(ready) || !gateway_->Running(); },
                    std::chrono::seconds(30));
  if (!up || !gateway_->Running()) {
    return absl::UnavailableError("k8s-gateway did not start:\n" + gateway_->LogTail());
  }
  auto ports = nlohmann::json::parse(ReadFile(ready));
  address_ = "127.0.0.1:" + std::to_string(ports["grpc_port"].get<int>());
  healthz_port_ = ports["healthz_port"].get<int>();
  client_ = std::make_unique<kube::GatewayClient>(kube::GatewayClient::Connect(address_));
  return absl::OkStatus();
}

int GatewayHarness::StopGateway() {
  if (at_ == GatewayAt::kApiServerProcess) return apiserver_->Stop().ok() ? 0 : 1;
  return gateway_ ? gateway_->Stop() : 0;
}

std::string GatewayHarness::Logs() const {
  return "--- gateway log ---\n" + GatewayLog() + "\n--- local-apiserver log ---\n" +
         apiserver_->LogTail();
}

absl::Status GatewayHarness::CreateNamespace(const std::string& name) {
  auto created = client_->Create(
      kNamespaces, {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}});
  return created.ok() || created.status().code() == absl::StatusCode::kAlreadyExists
             ? absl::OkStatus()
             : created.status();
}

nlohmann::json SecretObject(const std::string& namespace_, const std::string& name,
                            const nlohmann::json& labels) {
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"metadata", {{"name", name}, {"namespace", namespace_}, {"labels", labels}}},
          {"type", "Opaque"},
          {"data", {{"key", "dmFsdWU="}}}};
}

std::string RvOf(const nlohmann::json& object) {
  return object.at("metadata").value("resourceVersion", "");
}

}  // namespace certforge::testing
