#pragma once
// A real k8s-gateway in front of a kubeconfig's API server, on free loopback ports and a Unix
// socket in its dir.

#include <memory>
#include <string>

#include "absl/status/status.h"
#include "tests/support/child_process.h"

namespace certforge::testing {

class GatewayProcess {
 public:
  // Logs and the ready file go to `dir`.
  // With `api_server_socket` it reaches the API server through that Unix socket.
  GatewayProcess(std::string kubeconfig, std::string dir, std::string api_server_socket = "")
      : kubeconfig_(std::move(kubeconfig)),
        dir_(std::move(dir)),
        api_server_socket_(std::move(api_server_socket)) {}

  // Free ports on the first start; a restart keeps them, so clients find it again.
  absl::Status Start();
  int Stop() { return process_ ? process_->Stop() : 0; }
  void Kill9();

  std::string address() const { return "127.0.0.1:" + std::to_string(grpc_port_); }
  // The same gRPC API on a Unix socket, as the standalone stack's controller reaches it; empty
  // when `dir` is too deep for a socket's path.
  std::string unix_address() const;
  int grpc_port() const { return grpc_port_; }
  int healthz_port() const { return healthz_port_; }
  pid_t pid() const { return process_ ? process_->pid() : -1; }
  std::string LogTail() const { return process_ ? process_->LogTail() : ""; }

 private:
  std::string kubeconfig_;
  std::string dir_;
  std::string api_server_socket_;
  std::unique_ptr<ChildProcess> process_;
  int grpc_port_ = 0;
  int healthz_port_ = 0;
  int starts_ = 0;
};

}  // namespace certforge::testing
