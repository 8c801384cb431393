#include "tests/support/gateway_process.h"

#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/local_apiserver_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {

std::string GatewayProcess::unix_address() const {
  std::string path = UnixSocketPathOrEmpty(dir_ + "/k8s-gateway.sock");
  return path.empty() ? "" : "unix:" + path;
}

absl::Status GatewayProcess::Start() {
  std::string ready = dir_ + "/k8s-gateway.ready";
  std::filesystem::remove(ready);
  std::vector<std::string> argv = {BinDir() + "/k8s-gateway",
                                   "--kubeconfig",
                                   kubeconfig_,
                                   "--listen-address",
                                   "127.0.0.1:" + std::to_string(grpc_port_),
                                   "--healthz-listen-address",
                                   "127.0.0.1:" + std::to_string(healthz_port_),
                                   "--ready-file",
                                   ready};
  if (!unix_address().empty()) argv.insert(argv.end(), {"--listen-address", unix_address()});
  if (!api_server_socket_.empty()) {
    argv.insert(argv.end(), {"--api-server-socket", api_server_socket_});
  }
  process_ = std::make_unique<ChildProcess>(
      argv, dir_ + "/k8s-gateway." + std::to_string(++starts_) + ".log");
  bool up = WaitFor([&] { return std::filesystem::exists(ready) || !process_->Running(); },
                    std::chrono::seconds(30));
  if (!up || !process_->Running()) {
    return absl::UnavailableError("k8s-gateway did not start:\n" + process_->LogTail());
  }
  auto ports = nlohmann::json::parse(ReadFile(ready));
  grpc_port_ = ports.at("grpc_port").get<int>();
  healthz_port_ = ports.at("healthz_port").get<int>();
  return absl::OkStatus();
}

void GatewayProcess::Kill9() {
  if (process_) {
    process_->Kill9();
    process_->Wait(std::chrono::seconds(10));
  }
}

}  // namespace certforge::testing
