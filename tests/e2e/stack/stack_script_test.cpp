// `make up` / `make down` as a user runs them (scripts/stack), on free ports and a temporary
// $CERTFORGE_HOME: the stack comes up, issues the private PKI example with a verified chain,
// serves kubectl, refuses to start twice on the same ports, and `down` stops all it started.
// The controller calls local-apiserver's own gateway; k8s-gateway serves tooling.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "lib/kube/gateway_client.h"
#include "tests/support/certforge_stack.h"
#include "tests/support/cpu_split.h"
#include "tests/support/local_apiserver_process.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace certforge::testing {
namespace {

using ::testing::HasSubstr;

// `count` distinct loopback ports nothing listens on right now: all are bound at once, so the
// kernel cannot hand out the same one twice.
std::vector<int> FreePorts(int count) {
  std::vector<int> fds, ports;
  for (int i = 0; i < count; ++i) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof(addr);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &length);
    fds.push_back(fd);
    ports.push_back(ntohs(addr.sin_port));
  }
  for (int fd : fds) close(fd);
  return ports;
}

// Running and not a zombie.
bool ProcessRunning(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string pid_field, name, state;
  if (!(stat >> pid_field >> name >> state)) return false;
  return state != "Z" && state != "X";
}

// The end of every service log under `home`, for failure messages.
std::string LogTails(const std::string& home) {
  std::string out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(home + "/logs", ec)) {
    std::ifstream in(entry.path());
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    out += "--- " + entry.path().filename().string() + ":\n" +
           text.substr(text.size() > 3000 ? text.size() - 3000 : 0) + "\n";
  }
  return out;
}

class StackScript : public ::testing::Test {
 protected:
  std::map<std::string, std::string> Env(const std::string& home) const {
    return {{"CERTFORGE_HOME", home},
            {"CERTFORGE_BIN_DIR", BinDir()},
            {"CERTFORGE_APISERVER_PORT", std::to_string(ports_[0])},
            {"CERTFORGE_GATEWAY_ADDRESS", "127.0.0.1:" + std::to_string(ports_[1])},
            {"CERTFORGE_GATEWAY_HEALTH_ADDRESS", "127.0.0.1:" + std::to_string(ports_[2])},
            {"CERTFORGE_CONTROLLER_HEALTH_ADDRESS", "127.0.0.1:" + std::to_string(ports_[3])},
            {"CERTFORGE_BUS_ADDRESS", "tcp://127.0.0.1:" + std::to_string(ports_[4])},
            {"CERTFORGE_APISERVER_LOOPBACK_PORT", std::to_string(ports_[5])}};
  }
  CommandResult Stack(const std::string& verb, const std::string& home,
                      const std::map<std::string, std::string>& more_env = {}) const {
    auto env = Env(home);
    for (const auto& [name, value] : more_env) env[name] = value;
    return RunCommand({SourceDir() + "/scripts/stack", verb}, "", env, std::chrono::seconds(240));
  }
  void TearDown() override { Stack("down", home_.path()); }
  pid_t PidOf(const std::string& service) const {
    std::ifstream in(home_.path() + "/run/" + service + ".pid");
    pid_t pid = 0;
    in >> pid;
    return pid;
  }
  CommandResult Kubectl(std::vector<std::string> args, const std::string& stdin_text = "") const {
    args.insert(args.begin(), {"kubectl", "--kubeconfig", home_.path() + "/kubeconfig"});
    return RunCommand(args, stdin_text);
  }

  std::vector<int> ports_ = FreePorts(6);
  TempDir home_{"certforge-home"};
};

TEST_F(StackScript, UpIssuesAVerifiedChainAndDownStopsWhatItStarted) {
  auto up = Stack("up", home_.path());
  ASSERT_EQ(up.exit_code, 0) << up.Describe() << LogTails(home_.path());
  EXPECT_THAT(up.out, HasSubstr("example-test-com.crt: OK"));

  auto get = Kubectl({"get", "certificates", "-A"});
  ASSERT_EQ(get.exit_code, 0) << get.Describe();
  EXPECT_THAT(get.out, HasSubstr("READY"));
  EXPECT_THAT(get.out, HasSubstr("SECRET"));
  EXPECT_THAT(get.out, HasSubstr("my-selfsigned-ca"));
  EXPECT_THAT(get.out, HasSubstr("example-test-com"));

  // A second stack on the same ports is refused with the reason, not half started.
  TempDir other("certforge-home-2");
  auto again = Stack("up", other.path());
  EXPECT_NE(again.exit_code, 0);
  EXPECT_THAT(again.err, HasSubstr("already in use")) << again.Describe();
  EXPECT_FALSE(std::filesystem::exists(other.path() + "/run/local-apiserver.pid"));

  std::vector<pid_t> pids;
  for (const auto& entry : std::filesystem::directory_iterator(home_.path() + "/run")) {
    if (entry.path().extension() != ".pid") continue;
    std::ifstream in(entry.path());
    pid_t pid = 0;
    if (in >> pid) pids.push_back(pid);
  }
  ASSERT_EQ(pids.size(), 5u) << "local-apiserver, k8s-gateway, controller and two signers";
  for (pid_t pid : pids) EXPECT_TRUE(ProcessRunning(pid)) << pid;

  // On two or more CPUs local-apiserver has half of them to itself, the others the rest.
  if (auto split = SplitCpus(AllowedCpus())) {
    EXPECT_THAT(up.out, HasSubstr("local-apiserver on CPUs " + CpuList(split->apiserver)));
    EXPECT_EQ(CpusOf(PidOf("local-apiserver")), split->apiserver);
    for (const char* service : {"k8s-gateway", "controller", "signer-1", "signer-2"}) {
      EXPECT_EQ(CpusOf(PidOf(service)), split->others) << service;
    }
  }

  auto down = Stack("down", home_.path());
  ASSERT_EQ(down.exit_code, 0) << down.Describe();
  for (pid_t pid : pids) EXPECT_FALSE(ProcessRunning(pid)) << pid;
}

TEST_F(StackScript, ABadCpuSplitSettingIsRefusedBeforeAnythingStarts) {
  auto up = Stack("up", home_.path(), {{"CERTFORGE_SPLIT_CPUS", "yes"}});
  EXPECT_NE(up.exit_code, 0);
  EXPECT_THAT(up.err, HasSubstr("CERTFORGE_SPLIT_CPUS must be 0 or 1, not 'yes'"));
  EXPECT_FALSE(std::filesystem::exists(home_.path() + "/run/local-apiserver.pid"));
}

// k8s-gateway answers tooling on its address; the controller keeps issuing without it, because
// it calls the KubeGateway API that local-apiserver serves on a Unix socket.
TEST_F(StackScript, ControllerNeedsNoK8sGatewayWhichServesTooling) {
  auto up = Stack("up", home_.path());
  ASSERT_EQ(up.exit_code, 0) << up.Describe() << LogTails(home_.path());
  if (!std::filesystem::exists(home_.path() + "/run/apiserver-gateway.sock")) {
    GTEST_SKIP() << "TMPDIR is too deep for a Unix socket path; the stack keeps to TCP there";
  }

  kube::GatewayClient tooling(
      kube::GatewayClient::Connect("127.0.0.1:" + std::to_string(ports_[1])));
  auto listed = tooling.List({"cert-manager.io", "v1", "certificates"}, "");
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::vector<std::string> names;
  for (const auto& item : (*listed)["items"]) names.push_back(item["metadata"]["name"]);
  EXPECT_THAT(names, ::testing::UnorderedElementsAre("my-selfsigned-ca", "example-test-com"));

  pid_t gateway = PidOf("k8s-gateway");
  ASSERT_GT(gateway, 0);
  ASSERT_EQ(kill(gateway, SIGTERM), 0);
  for (int i = 0; i < 100 && ProcessRunning(gateway); ++i) usleep(100'000);
  ASSERT_FALSE(ProcessRunning(gateway));

  auto apply = Kubectl({"apply", "-f", "-"}, R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: issued-without-k8s-gateway
spec:
  dnsNames: [after.example.com]
  secretName: issued-without-k8s-gateway-tls
  issuerRef: {name: ca-issuer, kind: ClusterIssuer}
)");
  ASSERT_EQ(apply.exit_code, 0) << apply.Describe();
  auto ready = Kubectl(
      {"wait", "--for=condition=Ready", "--timeout=60s", "certificate/issued-without-k8s-gateway"});
  EXPECT_EQ(ready.exit_code, 0) << ready.Describe() << LogTails(home_.path());
}

}  // namespace
}  // namespace certforge::testing
