#pragma once
// The whole private-PKI stack as real processes on loopback and Unix sockets, wired as `make run`
// wires it: local-apiserver, k8s-gateway, the controller (hosting the job broker) and N signers,
// with the project's CRDs applied and the cert-manager namespace created. Tests kill and restart
// the controller and signers at will.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/support/child_process.h"
#include "tests/support/cpu_split.h"
#include "tests/support/gateway_process.h"
#include "tests/support/local_apiserver_process.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace certforge::testing {

struct CertforgeStackOptions {
  int signers = 2;
  // Extra controller flags, e.g. {"--certificate-request-minimum-backoff-duration", "1h"}.
  std::vector<std::string> controller_args;
  // The controller reaches the KubeGateway API served by local-apiserver's own process
  // (--gateway-listen-address) instead of k8s-gateway's; k8s-gateway still serves tools.
  bool embedded_gateway = false;
  // Places local-apiserver on half of the CPUs and the other processes on the rest, as
  // scripts/stack does (cpu_split.h); no effect on fewer than two CPUs.
  bool split_cpus = false;
};

class CertforgeStack {
 public:
  explicit CertforgeStack(CertforgeStackOptions options = {});
  ~CertforgeStack();
  CertforgeStack(const CertforgeStack&) = delete;
  CertforgeStack& operator=(const CertforgeStack&) = delete;

  // Starts every process in dependency order and waits until each one is ready.
  absl::Status Start();

  // The controller keeps its bus endpoint across restarts, so signers find it again.
  absl::Status StartController();
  void KillController9();
  absl::Status RestartController();
  bool ControllerRunning();

  // The gateway and the API server come back on the same ports (and on their CPUs).
  void KillGateway9() { gateway_->Kill9(); }
  absl::Status StartGateway();
  absl::Status RestartApiServer();  // kill -9, then start again

  absl::Status StartSigner(int index);  // 0-based
  void KillSigner9(int index);
  absl::Status RestartSigner(int index);
  bool SignerRunning(int index);
  int signer_count() const { return static_cast<int>(signers_.size()); }

  CommandResult Kubectl(const std::vector<std::string>& args, const std::string& stdin_text = "",
                        std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;
  // kubectl apply -f - with `yaml`; an error carries kubectl's output.
  absl::Status Apply(const std::string& yaml) const;

  const std::string& bus_endpoint() const { return bus_endpoint_; }
  // The KubeGateway address the controller dials (k8s-gateway's, or local-apiserver's own).
  std::string ControllerGatewayAddress() const;
  // False also when embedded_gateway was asked for but TMPDIR is too deep for its socket.
  bool GatewayInApiServer() const { return !embedded_gateway_address_.empty(); }
  const std::string& dir() const { return dir_.path(); }
  // Where the processes the stack starts run; nullopt when left to the kernel.
  const std::optional<CpuSplit>& cpu_split() const { return cpus_; }
  // The running processes by name: local-apiserver, k8s-gateway, controller, signer-0, ...
  std::map<std::string, pid_t> Pids() const;
  // The tails of every process's log, for failure messages.
  std::string LogTails(size_t bytes_each = 3000) const;
  // The whole current controller log (all of its starts so far).
  std::string ControllerLog() const;

 private:
  absl::Status ApplyCrds();
  // Puts a started process on its CPUs when options_.split_cpus asks for it.
  absl::Status Place(pid_t pid, bool apiserver);

  CertforgeStackOptions options_;
  TempDir dir_{"certforge-stack"};
  std::unique_ptr<LocalApiServerProcess> apiserver_;
  std::unique_ptr<GatewayProcess> gateway_;
  std::unique_ptr<ChildProcess> controller_;
  std::vector<std::unique_ptr<ChildProcess>> signers_;
  std::vector<int> signer_starts_;
  std::string bus_endpoint_;
  std::string embedded_gateway_address_;  // "" unless options_.embedded_gateway
  int controller_starts_ = 0;
  std::optional<CpuSplit> cpus_;  // set when split_cpus and there are CPUs to split
};

// The checkout's root (set by ctest: CERTFORGE_SOURCE_DIR).
std::string SourceDir();

}  // namespace certforge::testing
