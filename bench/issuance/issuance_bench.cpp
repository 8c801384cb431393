// Issuance end to end: the whole stack (local-apiserver, k8s-gateway, controller with its job
// broker, signers) as real processes on loopback, a CA ClusterIssuer, then N ECDSA P-256
// Certificates applied at once through the gateway. Measures the time until every one is
// Ready=True (seen by a watch), the CPU each process spent, and checks what was issued.
// cert-manager's users report 40 Certificates taking up to 50 minutes (cert-manager #7572).
//
//   issuance-bench --certificates 1000 --signers 1 --json out.json [--steps] [--runs N]
#include <sys/resource.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "absl/status/statusor.h"
#include "bench/bench_env.h"
#include "bench/issuance/issuance_check.h"
#include "bench/issuance/issuance_report.h"
#include "bench/issuance/issuance_runs.h"
#include "bench/issuance/issuance_tracker.h"
#include "bench/issuance/process_cpu.h"
#include "lib/core/base64.h"
#include "lib/kube/gateway_client.h"
#include "tests/support/certforge_stack.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace {

using nlohmann::json;
namespace t = certforge::testing;
namespace kube = certforge::kube;
namespace b = certforge::bench;
using b::Clock;

const kube::GroupVersionResource kNamespaces{"", "v1", "namespaces"};
const kube::GroupVersionResource kSecrets{"", "v1", "secrets"};
const kube::GroupVersionResource kCertificates{"cert-manager.io", "v1", "certificates"};
const kube::GroupVersionResource kClusterIssuers{"cert-manager.io", "v1", "clusterissuers"};

// The root CA of deploy/examples/private-pki.yaml: self-signed issuer → CA Certificate → CA issuer.
constexpr char kRootCa[] = R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: self-signed-issuer
spec:
  selfSigned: {}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata:
  name: my-selfsigned-ca
  namespace: cert-manager
spec:
  isCA: true
  commonName: my-selfsigned-ca
  secretName: root-secret
  privateKey:
    algorithm: ECDSA
    size: 256
  issuerRef:
    name: self-signed-issuer
    kind: ClusterIssuer
    group: cert-manager.io
---
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata:
  name: ca-issuer
spec:
  ca:
    secretName: root-secret
)";

std::string CertificateName(int i) { return "cert-" + std::to_string(i); }

json Certificate(const std::string& ns, int i) {
  std::string name = CertificateName(i);
  return {{"apiVersion", "cert-manager.io/v1"},
          {"kind", "Certificate"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec",
           {{"secretName", name + "-tls"},
            {"dnsNames", {"app-" + std::to_string(i) + ".bench.example.com"}},
            {"privateKey", {{"algorithm", "ECDSA"}, {"size", 256}}},
            {"issuerRef", {{"name", "ca-issuer"}, {"kind", "ClusterIssuer"}}}}}};
}

bool ReadyTrue(const json& object) {
  for (const auto& c : object.value("status", json::object()).value("conditions", json::array())) {
    if (c.value("type", "") == "Ready") return c.value("status", "") == "True";
  }
  return false;
}

double Seconds(Clock::duration d) { return std::chrono::duration<double>(d).count(); }

double SelfCpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto s = [](const timeval& tv) { return tv.tv_sec + tv.tv_usec / 1e6; };
  return s(usage.ru_utime) + s(usage.ru_stime);
}

// The stack's processes (children of this one), named as the report shows them.
std::vector<b::ProcessInfo> StackProcesses() {
  std::vector<b::ProcessInfo> out;
  int signer = 0;
  for (auto p : b::ChildProcesses(getpid())) {
    if (p.name == "signer") {
      p.name = "signer-" + std::to_string(++signer);
    } else if (p.name != "local-apiserver" && p.name != "k8s-gateway" && p.name != "controller") {
      continue;  // a kubectl or curl still finishing
    }
    out.push_back(p);
  }
  return out;
}

std::vector<double> CpuOf(const std::vector<b::ProcessInfo>& processes) {
  std::vector<double> cpu;
  for (const auto& p : processes) cpu.push_back(b::ProcessCpuSeconds(p.pid));
  return cpu;
}

// Says where the stack's processes run.
std::string CpuPlacement(const t::CertforgeStack& stack) {
  const auto& cpus = stack.cpu_split();
  if (!cpus) return "not split: every process on CPUs " + t::CpuList(t::AllowedCpus());
  return "local-apiserver on CPUs " + t::CpuList(cpus->apiserver) + ", the others on " +
         t::CpuList(cpus->others);
}

struct Settings {
  int certificates = 1000, signers = 1, clients = 8, timeout_s = 300, settle_ms = 2000;
  std::string ns = "bench";
  std::vector<std::string> controller_args;
  bool every_step = false;
  bool embedded_gateway = false;
  bool split_cpus = true;
};

// One measured run on a stack of its own: started, loaded, checked and stopped. An error says
// why the run could not be measured; a run that was measured but failed is in the result.
absl::StatusOr<b::IssuanceResult> RunOnce(const Settings& settings) {
  auto fail = [](const std::string& what) { return absl::InternalError(what); };
  t::CertforgeStackOptions options;
  options.signers = settings.signers;
  options.controller_args = settings.controller_args;
  options.embedded_gateway = settings.embedded_gateway;
  options.split_cpus = settings.split_cpus;
  t::CertforgeStack stack(options);
  if (auto s = stack.Start(); !s.ok()) return fail(std::string(s.message()));
  auto ready = json::parse(t::ReadFile(stack.dir() + "/k8s-gateway.ready"), nullptr, false);
  if (!ready.is_object()) return fail("unreadable k8s-gateway ready file");
  kube::GatewayClient client(kube::GatewayClient::Connect(
      settings.embedded_gateway ? stack.ControllerGatewayAddress()
                                : "127.0.0.1:" + std::to_string(ready.value("grpc_port", 0))));

  if (auto s = stack.Apply(kRootCa); !s.ok()) return fail(std::string(s.message()));
  bool ca_ready = t::WaitFor(
      [&] {
        auto issuer = client.Get(kClusterIssuers, "", "ca-issuer");
        return issuer.ok() && ReadyTrue(*issuer);
      },
      std::chrono::seconds(60), std::chrono::milliseconds(50));
  if (!ca_ready) return fail("the CA ClusterIssuer did not become Ready:\n" + stack.LogTails());
  auto root = client.Get(kSecrets, "cert-manager", "root-secret");
  if (!root.ok()) return fail("no root-secret: " + std::string(root.status().message()));
  auto ca_pem = certforge::core::Base64Decode((*root)["data"].value("tls.crt", ""));
  if (!ca_pem.ok()) return fail("unreadable root-secret");
  const std::string& ns = settings.ns;
  auto created_ns = client.Create(
      kNamespaces, {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}});
  if (!created_ns.ok()) return fail("namespace: " + std::string(created_ns.status().message()));

  b::IssuanceTracker tracker(client, ns, settings.every_step);
  if (auto s = tracker.Start(std::chrono::seconds(30)); !s.ok()) {
    return fail(std::string(s.message()));
  }
  auto processes = StackProcesses();
  if (static_cast<int>(processes.size()) != 3 + settings.signers) {
    return fail("expected " + std::to_string(3 + settings.signers) + " stack processes, found " +
                std::to_string(processes.size()));
  }

  const int certificates = settings.certificates;
  b::IssuanceResult result;
  result.certificates = certificates;
  result.signers = settings.signers;
  result.clients = settings.clients;
  result.cpu_placement = CpuPlacement(stack);
  result.load_before = b::LoadAverage();
  auto cpu_before = CpuOf(processes);
  double self_before = SelfCpuSeconds();

  // The measured run: every create from `clients` threads, as one big `kubectl apply` would.
  const auto start = Clock::now();
  std::atomic<int> next{0}, failures{0};
  std::vector<std::thread> creators;
  for (int c = 0; c < settings.clients; ++c) {
    creators.emplace_back([&] {
      for (int i = next++; i < certificates; i = next++) {
        if (!client.Create(kCertificates, Certificate(ns, i)).ok()) ++failures;
      }
    });
  }
  for (auto& th : creators) th.join();
  result.create_s = Seconds(Clock::now() - start);
  result.create_failures = failures;

  result.ready =
      tracker.WaitForReady(certificates, start + std::chrono::seconds(settings.timeout_s));
  const auto all_ready = Clock::now();
  auto cpu_ready = CpuOf(processes);
  result.ready_s = Seconds(all_ready - start);
  tracker.WaitForQuiet(std::chrono::milliseconds(settings.settle_ms),
                       all_ready + std::chrono::seconds(60));
  auto cpu_quiet = CpuOf(processes);
  result.quiet_s = Seconds(tracker.last_event() - start);
  result.bench_cpu_s = SelfCpuSeconds() - self_before;
  result.load_after = b::LoadAverage();

  for (size_t i = 0; i < processes.size(); ++i) {
    result.cpu.push_back({processes[i].name, processes[i].pid, cpu_ready[i] - cpu_before[i],
                          cpu_quiet[i] - cpu_before[i]});
  }
  result.steps = b::SummarizeSteps(tracker.steps(), start);
  result.writes = tracker.writes();
  tracker.Stop();

  std::vector<std::string> secret_names;
  for (int i = 0; i < certificates; ++i) secret_names.push_back(CertificateName(i) + "-tls");
  auto check = b::CheckIssuance(client, ns, secret_names, *ca_pem);
  if (!check.ok()) return fail("checking the Secrets: " + std::string(check.status().message()));
  result.check = *check;
  if (!result.all_ready()) std::fprintf(stderr, "%s\n", stack.LogTails().c_str());
  return result;
}

int Fail(const std::string& what) {
  std::fprintf(stderr, "issuance-bench: %s\n", what.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  Settings settings;
  int runs = 1;
  std::string out_file;
  CLI::App app{"issuance-bench: N CA-issued ECDSA Certificates applied at once, end to end"};
  app.add_option("--certificates", settings.certificates)->capture_default_str();
  app.add_option("--signers", settings.signers)->check(CLI::Range(1, 16))->capture_default_str();
  app.add_option("--clients", settings.clients, "concurrent gRPC callers creating the Certificates")
      ->capture_default_str();
  app.add_option("--timeout", settings.timeout_s, "seconds to wait for all Ready")
      ->capture_default_str();
  app.add_option("--settle-ms", settings.settle_ms, "no watch event this long = the stack is done")
      ->capture_default_str();
  app.add_option("--controller-arg", settings.controller_args,
                 "an extra controller flag (repeatable)")
      ->allow_extra_args(false);
  app.add_option("--runs", runs,
                 "measure this many times, each on a fresh stack, and summarize (this machine's "
                 "speed varies from minute to minute)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--json", out_file, "also write the results as JSON here");
  app.add_flag("--steps", settings.every_step,
               "also watch CertificateRequests, Secrets and Events to time every step (the "
               "extra watches cost the stack CPU)");
  app.add_flag("--embedded-gateway", settings.embedded_gateway,
               "the controller and this benchmark call the KubeGateway API served by "
               "local-apiserver's own process instead of k8s-gateway's");
  app.add_option("--split-cpus", settings.split_cpus,
                 "place local-apiserver on half of the CPUs and the other processes on the rest, "
                 "as make run does")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  b::UseStackBesideThisBinary(CERTFORGE_BENCH_SOURCE_DIR);

  std::vector<b::IssuanceResult> results;
  bool all_ok = true;
  for (int run = 1; run <= runs; ++run) {
    if (runs > 1) std::printf("## Run %d of %d\n\n", run, runs);
    absl::StatusOr<b::IssuanceResult> result;
    try {
      result = RunOnce(settings);
    } catch (const std::exception& e) {  // a process of the stack could not be started
      return Fail(e.what());
    }
    if (!result.ok()) return Fail(std::string(result.status().message()));
    b::PrintMarkdown(*result);
    all_ok = all_ok && result->all_ready() && result->check.ok(settings.certificates);
    results.push_back(std::move(*result));
  }
  if (runs > 1) b::PrintRunsSummary(results);
  if (!out_file.empty()) {
    json out = runs == 1 ? b::ToJson(results[0]) : b::RunsToJson(results);
    std::ofstream(out_file) << out.dump(2) << "\n";
  }
  return all_ok ? 0 : 1;
}
