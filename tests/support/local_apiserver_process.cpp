#include "tests/support/local_apiserver_process.h"

#include <sys/un.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>

#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {

std::string BinDir() {
  const char* dir = std::getenv("CERTFORGE_BIN_DIR");
  return dir ? dir : "bin";
}

std::string UnixSocketPathOrEmpty(const std::string& path) {
  return path.size() < sizeof(sockaddr_un::sun_path) ? path : "";
}

LocalApiServerProcess::LocalApiServerProcess(std::string data_dir,
                                             std::vector<std::string> extra_args)
    : data_dir_(std::move(data_dir)), extra_args_(std::move(extra_args)) {}

LocalApiServerProcess::~LocalApiServerProcess() = default;

namespace {
int ServerPort(const std::string& kubeconfig) {
  YAML::Node config = YAML::LoadFile(kubeconfig);
  std::string server = config["clusters"][0]["cluster"]["server"].as<std::string>();
  return std::stoi(server.substr(server.rfind(':') + 1));
}
}  // namespace

absl::Status LocalApiServerProcess::Start() {
  std::filesystem::remove(kubeconfig());
  std::filesystem::remove(loopback_kubeconfig());
  std::vector<std::string> argv = {BinDir() + "/local-apiserver",
                                   "--data-dir",
                                   data_dir_,
                                   "--secure-port",
                                   std::to_string(port_),
                                   "--loopback-port",
                                   std::to_string(loopback_port_)};
  if (!loopback_socket().empty()) argv.insert(argv.end(), {"--loopback-socket", loopback_socket()});
  argv.insert(argv.end(), extra_args_.begin(), extra_args_.end());
  process_ = std::make_unique<ChildProcess>(
      argv, data_dir_ + "/local-apiserver." + std::to_string(++starts_) + ".log");
  // The kubeconfig is written once the server listens.
  bool up = WaitFor([&] { return std::filesystem::exists(kubeconfig()) || !process_->Running(); },
                    std::chrono::seconds(30));
  if (!up || !process_->Running()) {
    return absl::UnavailableError("local-apiserver did not start:\n" + process_->LogTail());
  }
  port_ = ServerPort(kubeconfig());
  loopback_port_ = ServerPort(loopback_kubeconfig());
  return absl::OkStatus();
}

void LocalApiServerProcess::Kill9() {
  if (process_) {
    process_->Kill9();
    process_->Wait(std::chrono::seconds(10));
  }
}

absl::Status LocalApiServerProcess::Stop() {
  if (!process_) return absl::OkStatus();
  int status = process_->Stop();
  if (status != 0) {
    return absl::InternalError("local-apiserver exited with status " + std::to_string(status) +
                               ":\n" + process_->LogTail());
  }
  return absl::OkStatus();
}

std::string LocalApiServerProcess::token() const {
  YAML::Node config = YAML::LoadFile(kubeconfig());
  return config["users"][0]["user"]["token"].as<std::string>();
}

std::string LocalApiServerProcess::ca_file() const { return data_dir_ + "/pki/ca.crt"; }

CommandResult LocalApiServerProcess::Kubectl(const std::vector<std::string>& args,
                                             const std::string& stdin_text,
                                             std::chrono::milliseconds timeout) const {
  std::vector<std::string> argv = {"kubectl", "--kubeconfig", kubeconfig(), "--cache-dir",
                                   data_dir_ + "/kube-cache"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, stdin_text, {{"HOME", data_dir_}}, timeout);
}

CommandResult LocalApiServerProcess::Curl(const std::vector<std::string>& args) const {
  std::vector<std::string> argv = {"curl",    "-sS", "--cacert",
                                   ca_file(), "-H",  "Authorization: Bearer " + token()};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv);
}

}  // namespace certforge::testing
