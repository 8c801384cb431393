#pragma once
// A real local-apiserver for a test: its own data dir, HTTPS on a free port, an admin
// kubeconfig, and kubectl pointed at it (with a private discovery cache). It also serves
// authenticated plain HTTP on another loopback port and on a Unix socket in its data dir, which
// the standalone stack's gateway uses.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/support/child_process.h"
#include "tests/support/run_command.h"

namespace certforge::testing {

// `path`, or "" when it is too long for a Unix socket (a deep TMPDIR): callers then keep to TCP.
std::string UnixSocketPathOrEmpty(const std::string& path);

class LocalApiServerProcess {
 public:
  // `data_dir` holds the SQLite store, certificates, tokens and the kubeconfig.
  explicit LocalApiServerProcess(std::string data_dir, std::vector<std::string> extra_args = {});
  ~LocalApiServerProcess();

  // Starts the server and waits until it serves. A restart keeps the ports.
  absl::Status Start();
  void Kill9();
  absl::Status Stop();  // SIGTERM; fails if the process did not exit cleanly
  absl::Status Restart() {
    Kill9();
    return Start();
  }

  pid_t pid() const { return process_ ? process_->pid() : -1; }
  const std::string& data_dir() const { return data_dir_; }
  std::string kubeconfig() const { return data_dir_ + "/kubeconfig"; }
  // http://127.0.0.1:<loopback port> with the admin token.
  std::string loopback_kubeconfig() const { return data_dir_ + "/loopback.kubeconfig"; }
  // Empty when the data dir is too deep for a Unix socket's path (then only the port serves).
  std::string loopback_socket() const {
    return UnixSocketPathOrEmpty(data_dir_ + "/loopback.sock");
  }
  std::string server() const { return "https://127.0.0.1:" + std::to_string(port_); }
  int port() const { return port_; }
  std::string token() const;    // the admin bearer token from the kubeconfig
  std::string ca_file() const;  // the CA that signed the serving certificate
  std::string LogTail() const { return process_ ? process_->LogTail() : ""; }

  // kubectl <args> against this server.
  CommandResult Kubectl(const std::vector<std::string>& args, const std::string& stdin_text = "",
                        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // A curl request with the admin token: returns stdout (body) and the exit code.
  CommandResult Curl(const std::vector<std::string>& args) const;

 private:
  std::string data_dir_;
  std::vector<std::string> extra_args_;
  int port_ = 0;
  int loopback_port_ = 0;
  std::unique_ptr<ChildProcess> process_;
  int starts_ = 0;
};

// The directory holding the built binaries (set by ctest: CERTFORGE_BIN_DIR).
std::string BinDir();


}  // namespace certforge::testing
