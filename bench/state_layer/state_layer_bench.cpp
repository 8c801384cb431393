// The state layer under load: local-apiserver and k8s-gateway as real processes, driven through
// the gateway's gRPC API as the controller drives them. Measures create throughput, watch
// delivery latency, and the resident memory of both processes holding many Secrets and
// Certificates (cert-manager's users report > 8 GB of controller memory at 30,000 Secrets).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "bench/bench_env.h"
#include "bench/state_layer/process_memory.h"
#include "lib/kube/gateway_client.h"
#include "tests/support/gateway_process.h"
#include "tests/support/local_apiserver_process.h"
#include "tests/support/temp_dir.h"

namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace t = certforge::testing;
namespace kube = certforge::kube;

const kube::GroupVersionResource kSecrets{"", "v1", "secrets"};
const kube::GroupVersionResource kConfigMaps{"", "v1", "configmaps"};
const kube::GroupVersionResource kNamespaces{"", "v1", "namespaces"};
const kube::GroupVersionResource kCertificates{"cert-manager.io", "v1", "certificates"};

std::string Filler(size_t n, char seed) {
  std::string s(n, 'A');
  for (size_t i = 0; i < n; ++i)
    s[i] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"[(i * 7 + seed) % 64];
  return s;
}

// A Secret shaped like one cert-manager writes: a chain, a key, a CA and its annotations.
json TlsSecret(const std::string& ns, int i) {
  std::string name = "cert-" + std::to_string(i) + "-tls";
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"type", "kubernetes.io/tls"},
          {"metadata",
           {{"name", name},
            {"namespace", ns},
            {"labels", {{"controller.cert-manager.io/fao", "true"}}},
            {"annotations",
             {{"cert-manager.io/certificate-name", "cert-" + std::to_string(i)},
              {"cert-manager.io/issuer-name", "ca-issuer"},
              {"cert-manager.io/issuer-kind", "ClusterIssuer"},
              {"cert-manager.io/issuer-group", "cert-manager.io"},
              {"cert-manager.io/common-name", ""},
              {"cert-manager.io/alt-names", "app-" + std::to_string(i) + ".example.com"},
              {"cert-manager.io/ip-sans", ""},
              {"cert-manager.io/uri-sans", ""}}}}},
          {"data",
           {{"tls.crt", Filler(2200, static_cast<char>(i))},
            {"tls.key", Filler(320, static_cast<char>(i + 1))},
            {"ca.crt", Filler(960, static_cast<char>(i + 2))}}}};
}

json Certificate(const std::string& ns, int i) {
  std::string name = "cert-" + std::to_string(i);
  return {{"apiVersion", "cert-manager.io/v1"},
          {"kind", "Certificate"},
          {"metadata", {{"name", name}, {"namespace", ns}}},
          {"spec",
           {{"secretName", name + "-tls"},
            {"dnsNames", {"app-" + std::to_string(i) + ".example.com"}},
            {"privateKey", {{"algorithm", "ECDSA"}, {"size", 256}}},
            {"issuerRef", {{"name", "ca-issuer"}, {"kind", "ClusterIssuer"}}}}}};
}

struct Throughput {
  int objects = 0;
  double seconds = 0;
  int failures = 0;
};

// Creates `count` objects from `clients` threads sharing one gRPC channel.
Throughput CreateMany(kube::GatewayClient& client, const kube::GroupVersionResource& gvr, int count,
                      int clients, const std::function<json(int)>& make) {
  std::atomic<int> next{0}, failures{0};
  auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < clients; ++c) {
    threads.emplace_back([&] {
      for (int i = next++; i < count; i = next++) {
        if (!client.Create(gvr, make(i)).ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();
  return {count, std::chrono::duration<double>(Clock::now() - start).count(), failures.load()};
}

struct Latency {
  double p50_ms = 0, p95_ms = 0, p99_ms = 0, max_ms = 0;
};

// Time from just before a create is sent until its ADDED event reaches a gateway watcher.
Latency WatchLatency(kube::GatewayClient& client, const std::string& ns, int samples) {
  std::mutex mu;
  std::condition_variable cv;
  std::map<std::string, Clock::time_point> received;
  kube::GatewayClient::WatchCanceller canceller;
  std::atomic<bool> synced{false};
  std::thread watcher([&] {
    kube::GatewayClient::WatchOptions options;
    options.list_first = true;
    client
        .Watch(
            kConfigMaps, ns, options,
            [&](const kube::GatewayClient::WatchEvent& e) {
              if (e.initial_events_end) synced = true;
              if (e.type != certforge::kube::v1::WatchEvent::ADDED) return true;
              std::lock_guard lock(mu);
              received[e.object["metadata"].value("name", "")] = Clock::now();
              cv.notify_all();
              return true;
            },
            &canceller)
        .IgnoreError();
  });
  while (!synced) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  std::vector<double> ms;
  for (int i = 0; i < samples; ++i) {
    std::string name = "latency-" + std::to_string(i);
    json cm = {{"apiVersion", "v1"},
               {"kind", "ConfigMap"},
               {"metadata", {{"name", name}, {"namespace", ns}}},
               {"data", {{"i", std::to_string(i)}}}};
    auto sent = Clock::now();
    if (!client.Create(kConfigMaps, cm).ok()) continue;
    std::unique_lock lock(mu);
    if (cv.wait_for(lock, std::chrono::seconds(10), [&] { return received.count(name) > 0; })) {
      ms.push_back(std::chrono::duration<double, std::milli>(received[name] - sent).count());
    }
  }
  canceller.Cancel();
  watcher.join();
  std::sort(ms.begin(), ms.end());
  auto pct = [&](double p) {
    return ms.empty() ? 0 : ms[static_cast<size_t>(p * (ms.size() - 1))];
  };
  return {pct(0.50), pct(0.95), pct(0.99), ms.empty() ? 0 : ms.back()};
}

double Mib(int64_t kib) { return static_cast<double>(kib) / 1024.0; }

// The benchmark; main only sets up where the stack comes from and reports what cannot start.
int Run(int argc, char** argv) {
  int secrets = 30000, certificates = 10000, clients = 8, samples = 1000;
  std::string out_file;
  CLI::App app{"state-layer-bench: local-apiserver + k8s-gateway under load"};
  app.add_option("--secrets", secrets)->capture_default_str();
  app.add_option("--certificates", certificates)->capture_default_str();
  app.add_option("--clients", clients, "concurrent gRPC callers")->capture_default_str();
  app.add_option("--watch-samples", samples)->capture_default_str();
  app.add_option("--json", out_file, "also write the results as JSON here");
  bool embedded_gateway = false;
  app.add_flag("--embedded-gateway", embedded_gateway,
               "call the KubeGateway API served by local-apiserver's own process "
               "(--gateway-listen-address) instead of a k8s-gateway process");
  CLI11_PARSE(app, argc, argv);

  t::TempDir dir("state-layer-bench");
  std::filesystem::create_directories(dir.File("apiserver"));
  const std::string embedded_address = "unix:" + dir.File("apiserver-gateway.sock");
  t::LocalApiServerProcess apiserver(
      dir.File("apiserver"),
      embedded_gateway ? std::vector<std::string>{"--gateway-listen-address", embedded_address}
                       : std::vector<std::string>{});
  if (auto s = apiserver.Start(); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  t::GatewayProcess gateway(apiserver.kubeconfig(), dir.path());
  if (auto s = embedded_gateway ? absl::OkStatus() : gateway.Start(); !s.ok()) {
    std::fprintf(stderr, "%s\n", std::string(s.message()).c_str());
    return 1;
  }
  const char* src = std::getenv("CERTFORGE_SOURCE_DIR");
  std::string crds = std::string(src ? src : ".") + "/deploy/kustomize/base/crds";
  auto applied = apiserver.Kubectl({"apply", "-k", crds});
  if (applied.exit_code != 0) {
    std::fprintf(stderr, "applying CRDs failed: %s\n", applied.Describe().c_str());
    return 1;
  }
  kube::GatewayClient client(
      kube::GatewayClient::Connect(embedded_gateway ? embedded_address : gateway.address()));
  for (const char* ns : {"bench", "bench-watch"}) {
    client
        .Create(kNamespaces,
                {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", ns}}}})
        .IgnoreError();
  }
  pid_t api_pid = -1;
  {
    // The apiserver's pid: the newest local-apiserver child of ours.
    auto r =
        t::RunCommand({"pgrep", "-n", "-f", "local-apiserver --data-dir " + dir.File("apiserver")});
    api_pid = std::atoi(r.out.c_str());
  }
  auto idle_api = certforge::bench::ReadProcessMemory(api_pid);
  // No k8s-gateway process with --embedded-gateway: its rows read zero.
  auto idle_gw = certforge::bench::ReadProcessMemory(gateway.pid());

  Throughput secret_rate =
      CreateMany(client, kSecrets, secrets, clients, [](int i) { return TlsSecret("bench", i); });
  Throughput cert_rate = CreateMany(client, kCertificates, certificates, clients,
                                    [](int i) { return Certificate("bench", i); });
  auto loaded_api = certforge::bench::ReadProcessMemory(api_pid);
  auto loaded_gw = certforge::bench::ReadProcessMemory(gateway.pid());

  auto list_start = Clock::now();
  auto listed = client.List(kSecrets, "bench", {"controller.cert-manager.io/fao=true", ""});
  double list_seconds = std::chrono::duration<double>(Clock::now() - list_start).count();
  size_t listed_items = listed.ok() ? (*listed)["items"].size() : 0;
  listed = absl::StatusOr<json>(json());  // release the client-side copy before measuring
  auto after_list_api = certforge::bench::ReadProcessMemory(api_pid);
  auto after_list_gw = certforge::bench::ReadProcessMemory(gateway.pid());

  Latency latency = WatchLatency(client, "bench-watch", samples);

  std::printf("| measurement | value |\n|---|---|\n");
  std::printf("| Secrets created (%d gRPC callers) | %d in %.2f s = **%.0f /s** (%d failed) |\n",
              clients, secret_rate.objects, secret_rate.seconds,
              secret_rate.objects / secret_rate.seconds, secret_rate.failures);
  std::printf("| Certificates created | %d in %.2f s = **%.0f /s** (%d failed) |\n",
              cert_rate.objects, cert_rate.seconds, cert_rate.objects / cert_rate.seconds,
              cert_rate.failures);
  std::printf("| list of all Secrets by label, through the gateway | %zu items in %.2f s |\n",
              listed_items, list_seconds);
  std::printf(
      "| watch delivery, create → event at a gateway watcher (%d samples) | p50 %.2f ms, p95 %.2f "
      "ms, p99 %.2f ms, max %.2f ms |\n",
      samples, latency.p50_ms, latency.p95_ms, latency.p99_ms, latency.max_ms);
  std::printf(
      "| local-apiserver RSS: idle / holding all / after the list (peak) | %.1f / %.1f / %.1f "
      "(%.1f) MiB |\n",
      Mib(idle_api.rss_kib), Mib(loaded_api.rss_kib), Mib(after_list_api.rss_kib),
      Mib(after_list_api.peak_kib));
  std::printf(
      "| k8s-gateway RSS: idle / holding all / after the list (peak) | %.1f / %.1f / %.1f (%.1f) "
      "MiB |\n",
      Mib(idle_gw.rss_kib), Mib(loaded_gw.rss_kib), Mib(after_list_gw.rss_kib),
      Mib(after_list_gw.peak_kib));
  std::printf(
      "| whole state layer RSS holding %d Secrets + %d Certificates | **%.1f MiB** (peak %.1f MiB) "
      "|\n",
      secrets, certificates, Mib(after_list_api.rss_kib + after_list_gw.rss_kib),
      Mib(after_list_api.peak_kib + after_list_gw.peak_kib));

  if (!out_file.empty()) {
    json results = {{"secrets_per_second", secret_rate.objects / secret_rate.seconds},
                    {"certificates_per_second", cert_rate.objects / cert_rate.seconds},
                    {"list_seconds", list_seconds},
                    {"watch_latency_ms",
                     {{"p50", latency.p50_ms}, {"p95", latency.p95_ms}, {"p99", latency.p99_ms}}},
                    {"apiserver_rss_mib", Mib(after_list_api.rss_kib)},
                    {"apiserver_peak_mib", Mib(after_list_api.peak_kib)},
                    {"gateway_rss_mib", Mib(after_list_gw.rss_kib)},
                    {"gateway_peak_mib", Mib(after_list_gw.peak_kib)}};
    std::ofstream(out_file) << results.dump(2) << "\n";
  }
  gateway.Stop();
  return apiserver.Stop().ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  certforge::bench::UseStackBesideThisBinary(CERTFORGE_BENCH_SOURCE_DIR);
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {  // a process could not be started
    std::fprintf(stderr, "state-layer-bench: %s\n", e.what());
    return 1;
  }
}
