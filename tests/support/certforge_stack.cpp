#include "tests/support/certforge_stack.h"

#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

// The port of a ready file's `healthz_port`, once the file exists and parses.
int ReadyPort(const std::string& ready_file) {
  auto parsed = nlohmann::json::parse(ReadFile(ready_file), nullptr, false);
  return parsed.is_object() ? parsed.value("healthz_port", 0) : 0;
}

bool HealthzReady(int port) {
  return RunCommand({"curl", "-sf", "-o", "/dev/null", "--max-time", "2",
                     "http://127.0.0.1:" + std::to_string(port) + "/readyz"})
             .exit_code == 0;
}

}  // namespace

std::string SourceDir() {
  const char* dir = std::getenv("CERTFORGE_SOURCE_DIR");
  return dir ? dir : ".";
}

CertforgeStack::CertforgeStack(CertforgeStackOptions options) : options_(std::move(options)) {
  signers_.resize(options_.signers);
  signer_starts_.resize(options_.signers, 0);
  if (options_.split_cpus) cpus_ = SplitCpus(AllowedCpus());
}

CertforgeStack::~CertforgeStack() {
  // Dependents first, so nobody logs a storm of reconnects while the others go.
  for (auto& signer : signers_) {
    if (signer) signer->Stop(std::chrono::seconds(2));
  }
  if (controller_) controller_->Stop(std::chrono::seconds(5));
  if (gateway_) gateway_->Stop();
  if (apiserver_) apiserver_->Stop().IgnoreError();
}

absl::Status CertforgeStack::Start() {
  std::vector<std::string> apiserver_args;
  // A TMPDIR too deep for a socket path keeps the controller on k8s-gateway.
  if (std::string socket = UnixSocketPathOrEmpty(dir_.File("apiserver-gateway.sock"));
      options_.embedded_gateway && !socket.empty()) {
    embedded_gateway_address_ = "unix:" + socket;
    apiserver_args = {"--gateway-listen-address", embedded_gateway_address_};
  }
  apiserver_ = std::make_unique<LocalApiServerProcess>(dir_.File("apiserver"), apiserver_args);
  std::filesystem::create_directories(dir_.File("apiserver"));
  if (auto s = apiserver_->Start(); !s.ok()) return s;
  if (auto s = Place(apiserver_->pid(), true); !s.ok()) return s;
  bool serving = WaitFor(
      [&] {
        return Kubectl({"get", "--raw", "/readyz"}).exit_code == 0;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(100));
  if (!serving) return absl::UnavailableError("local-apiserver not ready:\n" + LogTails());
  // Wired as the standalone stack is: Unix sockets between the processes.
  gateway_ = std::make_unique<GatewayProcess>(apiserver_->loopback_kubeconfig(), dir_.path(),
                                              apiserver_->loopback_socket());
  if (auto s = StartGateway(); !s.ok()) return s;
  if (auto s = ApplyCrds(); !s.ok()) return s;
  if (auto s = StartController(); !s.ok()) return s;
  for (int i = 0; i < signer_count(); ++i) {
    if (auto s = StartSigner(i); !s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status CertforgeStack::ApplyCrds() {
  auto applied = Kubectl({"apply", "-k", SourceDir() + "/deploy/kustomize/base/crds"}, "",
                         std::chrono::seconds(120));
  if (applied.exit_code != 0) {
    return absl::InternalError("applying the CRDs failed: " + applied.Describe());
  }
  // Served as soon as discovery lists them.
  bool served = WaitFor(
      [&] {
        return Kubectl({"get", "certificates,certificaterequests,issuers,clusterissuers", "-A"})
                   .exit_code == 0;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(200));
  if (!served) return absl::UnavailableError("the CRDs are not served");
  auto ns = Kubectl({"create", "namespace", "cert-manager"});
  if (ns.exit_code != 0 && ns.err.find("AlreadyExists") == std::string::npos) {
    return absl::InternalError("creating namespace cert-manager failed: " + ns.Describe());
  }
  return absl::OkStatus();
}

absl::Status CertforgeStack::StartGateway() {
  if (auto s = gateway_->Start(); !s.ok()) return s;
  return Place(gateway_->pid(), false);
}

absl::Status CertforgeStack::RestartApiServer() {
  if (auto s = apiserver_->Restart(); !s.ok()) return s;
  return Place(apiserver_->pid(), true);
}

std::map<std::string, pid_t> CertforgeStack::Pids() const {
  std::map<std::string, pid_t> pids;
  if (apiserver_) pids["local-apiserver"] = apiserver_->pid();
  if (gateway_) pids["k8s-gateway"] = gateway_->pid();
  if (controller_) pids["controller"] = controller_->pid();
  for (size_t i = 0; i < signers_.size(); ++i) {
    if (signers_[i]) pids["signer-" + std::to_string(i)] = signers_[i]->pid();
  }
  return pids;
}

absl::Status CertforgeStack::Place(pid_t pid, bool apiserver) {
  if (!cpus_) return absl::OkStatus();
  return PinProcess(pid, apiserver ? cpus_->apiserver : cpus_->others);
}

std::string CertforgeStack::ControllerGatewayAddress() const {
  if (!embedded_gateway_address_.empty()) return embedded_gateway_address_;
  return gateway_->unix_address().empty() ? gateway_->address() : gateway_->unix_address();
}

absl::Status CertforgeStack::StartController() {
  std::string ready = dir_.File("controller.ready");
  std::filesystem::remove(ready);
  // The first start picks a free port; restarts bind the same one again.
  std::string bind = bus_endpoint_.empty() ? "tcp://127.0.0.1:0" : bus_endpoint_;
  std::vector<std::string> argv = {BinDir() + "/controller",
                                   "--kube-gateway",
                                   ControllerGatewayAddress(),
                                   "--cluster-resource-namespace",
                                   "cert-manager",
                                   "--bus-bind-address",
                                   bind,
                                   "--healthz-listen-address",
                                   "127.0.0.1:0",
                                   "--ready-file",
                                   ready};
  argv.insert(argv.end(), options_.controller_args.begin(), options_.controller_args.end());
  controller_ = std::make_unique<ChildProcess>(
      argv, dir_.File("controller." + std::to_string(++controller_starts_) + ".log"));
  bool up = WaitFor([&] { return std::filesystem::exists(ready) || !controller_->Running(); },
                    std::chrono::seconds(60));
  if (!up || !controller_->Running()) {
    return absl::UnavailableError("controller did not start:\n" + controller_->LogTail());
  }
  auto parsed = nlohmann::json::parse(ReadFile(ready), nullptr, false);
  if (!parsed.is_object() || !parsed.contains("bus_endpoint")) {
    return absl::InternalError("unreadable controller ready file: " + ReadFile(ready));
  }
  bus_endpoint_ = parsed["bus_endpoint"].get<std::string>();
  return Place(controller_->pid(), false);
}

void CertforgeStack::KillController9() {
  if (!controller_) return;
  controller_->Kill9();
  controller_->Wait(std::chrono::seconds(10));
}

absl::Status CertforgeStack::RestartController() {
  KillController9();
  return StartController();
}

bool CertforgeStack::ControllerRunning() { return controller_ && controller_->Running(); }

absl::Status CertforgeStack::StartSigner(int index) {
  std::string name = "signer-" + std::to_string(index);
  std::string ready = dir_.File(name + ".ready");
  std::filesystem::remove(ready);
  auto& signer = signers_.at(index);
  signer = std::make_unique<ChildProcess>(
      std::vector<std::string>{BinDir() + "/signer", "--broker", bus_endpoint_,
                               "--healthz-listen-address", "127.0.0.1:0", "--ready-file", ready},
      dir_.File(name + "." + std::to_string(++signer_starts_.at(index)) + ".log"));
  // Ready once it serves health and has reached the broker.
  bool up = WaitFor(
      [&] {
        if (!signer->Running()) return true;
        int port = std::filesystem::exists(ready) ? ReadyPort(ready) : 0;
        return port > 0 && HealthzReady(port);
      },
      std::chrono::seconds(30), std::chrono::milliseconds(100));
  if (!up || !signer->Running()) {
    return absl::UnavailableError(name + " did not connect:\n" + signer->LogTail());
  }
  return Place(signer->pid(), false);
}

void CertforgeStack::KillSigner9(int index) {
  auto& signer = signers_.at(index);
  if (!signer) return;
  signer->Kill9();
  signer->Wait(std::chrono::seconds(10));
}

absl::Status CertforgeStack::RestartSigner(int index) {
  KillSigner9(index);
  return StartSigner(index);
}

bool CertforgeStack::SignerRunning(int index) {
  return signers_.at(index) && signers_.at(index)->Running();
}

CommandResult CertforgeStack::Kubectl(const std::vector<std::string>& args,
                                      const std::string& stdin_text,
                                      std::chrono::milliseconds timeout) const {
  return apiserver_->Kubectl(args, stdin_text, timeout);
}

absl::Status CertforgeStack::Apply(const std::string& yaml) const {
  auto applied = Kubectl({"apply", "-f", "-"}, yaml, std::chrono::seconds(120));
  if (applied.exit_code != 0) return absl::InternalError("kubectl apply: " + applied.Describe());
  return absl::OkStatus();
}

std::string CertforgeStack::ControllerLog() const {
  std::string log;
  for (int i = 1; i <= controller_starts_; ++i) {
    log += ReadFile(dir_.File("controller." + std::to_string(i) + ".log"));
  }
  return log;
}

std::string CertforgeStack::LogTails(size_t bytes_each) const {
  auto tail = [bytes_each](const std::string& log) {
    return log.size() > bytes_each ? log.substr(log.size() - bytes_each) : log;
  };
  std::string out;
  if (controller_) out += "--- controller:\n" + controller_->LogTail(bytes_each);
  for (size_t i = 0; i < signers_.size(); ++i) {
    if (signers_[i]) {
      out += "--- signer-" + std::to_string(i) + ":\n" + signers_[i]->LogTail(bytes_each);
    }
  }
  if (gateway_) out += "--- k8s-gateway:\n" + tail(gateway_->LogTail());
  if (apiserver_) out += "--- local-apiserver:\n" + tail(apiserver_->LogTail());
  return out;
}

}  // namespace certforge::testing
