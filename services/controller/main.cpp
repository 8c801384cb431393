// controller: cert-manager's reconcilers (Certificates, CertificateRequests, Issuers), the
// renewal schedule and the job broker the signers connect to.
#include <CLI/CLI.hpp>
#include <fstream>

#include "absl/synchronization/mutex.h"
#include "lib/bus/broker.h"
#include "lib/bus/curve_keys.h"
#include "lib/core/go_duration.h"
#include "lib/core/host_port.h"
#include "lib/core/shutdown_signal.h"
#include "lib/http/health_endpoints.h"
#include "lib/http/http_server.h"
#include "lib/kube/gateway_client.h"
#include "lib/obs/logging.h"
#include "lib/obs/ready_file.h"
#include "services/controller/controller_manager.h"
#include "spdlog/spdlog.h"

namespace {

using namespace certforge;

int Fail(const std::string& what) {
  spdlog::critical("{}", what);
  return 1;
}

absl::StatusOr<std::chrono::seconds> FlagDuration(const std::string& flag,
                                                  const std::string& text) {
  auto d = core::ParseGoDuration(text);
  if (!d.ok()) return absl::InvalidArgumentError(flag + ": " + std::string(d.status().message()));
  return std::chrono::duration_cast<std::chrono::seconds>(*d);
}

std::vector<std::string> Lines(const std::string& file) {
  std::vector<std::string> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != '#') out.push_back(line);
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  core::ShutdownSignal shutdown;  // before any thread starts
  // Debian builds Abseil with Mutex deadlock detection on; gRPC's locks then pay for a lock
  // graph on every acquisition.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);

  CLI::App app{"controller: certforge's reconcilers and job broker"};
  controller::ControllerOptions options;
  std::string gateway = "127.0.0.1:9440";
  std::string bus_address = "tcp://127.0.0.1:9450";
  std::string healthz = "127.0.0.1:9403";
  std::string min_backoff = "1h", max_backoff = "32h";
  std::string copied_prefixes = "*,-kubectl.kubernetes.io/,-fluxcd.io/,-argocd.argoproj.io/";
  std::string ready_file, curve_public, curve_secret, authorized_keys_file;
  std::string log_level = "info", log_format = "text";
  app.add_option("--kube-gateway", gateway, "The k8s-gateway's gRPC host:port")
      ->capture_default_str();
  app.add_option("--cluster-resource-namespace", options.cluster_resource_namespace,
                 "Namespace of the Secrets that ClusterIssuers reference")
      ->capture_default_str();
  app.add_option("--bus-bind-address", bus_address, "Job broker endpoint (port 0 picks one)")
      ->capture_default_str();
  app.add_option("--certificate-request-minimum-backoff-duration", min_backoff,
                 "First wait after a failed issuance")
      ->capture_default_str();
  app.add_option("--certificate-request-maximum-backoff-duration", max_backoff,
                 "Longest wait after repeated failures")
      ->capture_default_str();
  app.add_option("--concurrent-workers", options.workers,
                 "Workers per controller, as in cert-manager (controllers that share a work "
                 "queue share their workers: six times as many for the Certificate controllers)")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_flag("--enable-certificate-owner-ref", options.enable_certificate_owner_ref,
               "Make Certificates own their Secrets");
  app.add_option("--copied-annotation-prefixes", copied_prefixes,
                 "Certificate annotations copied to CertificateRequests")
      ->capture_default_str();
  app.add_option("--healthz-listen-address", healthz, "/healthz and /readyz host:port")
      ->capture_default_str();
  app.add_option("--ready-file", ready_file,
                 "Written with {\"healthz_port\":N,\"bus_endpoint\":...} once serving");
  app.add_option("--bus-curve-public-key-file", curve_public, "The broker's CURVE public key");
  app.add_option("--bus-curve-secret-key-file", curve_secret, "The broker's CURVE secret key");
  app.add_option("--bus-authorized-keys-file", authorized_keys_file,
                 "Workers' CURVE public keys allowed to connect, one per line");
  app.add_option("--log-level", log_level)->capture_default_str();
  app.add_option("--log-format", log_format, "text or json")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  obs::InitLogging("controller", log_level, log_format);

  auto min = FlagDuration("--certificate-request-minimum-backoff-duration", min_backoff);
  auto max = FlagDuration("--certificate-request-maximum-backoff-duration", max_backoff);
  if (!min.ok()) return Fail(std::string(min.status().message()));
  if (!max.ok()) return Fail(std::string(max.status().message()));
  options.min_backoff = *min;
  options.max_backoff = *max;
  options.copied_annotation_prefixes.clear();
  for (size_t start = 0; start <= copied_prefixes.size();) {
    size_t comma = copied_prefixes.find(',', start);
    if (comma == std::string::npos) comma = copied_prefixes.size();
    if (comma > start)
      options.copied_annotation_prefixes.push_back(copied_prefixes.substr(start, comma - start));
    start = comma + 1;
  }

  bus::BrokerOptions broker_options;
  broker_options.endpoint = bus_address;
  if (!curve_secret.empty()) {
    auto keys = bus::LoadCurveKeyPair(curve_public, curve_secret);
    if (!keys.ok()) return Fail("CURVE keys: " + std::string(keys.status().message()));
    broker_options.curve = *keys;
    if (!authorized_keys_file.empty())
      broker_options.authorized_clients = Lines(authorized_keys_file);
  }
  auto broker = bus::Broker::Start(broker_options);
  if (!broker.ok()) return Fail("job broker: " + std::string(broker.status().message()));

  kube::GatewayClient client(kube::GatewayClient::Connect(gateway));
  controller::ControllerManager manager(client, **broker, options);

  auto address = core::ParseHostPort(healthz);
  if (!address.ok())
    return Fail("--healthz-listen-address: " + std::string(address.status().message()));
  http::HttpServer::Options health_options;
  health_options.host = address->host.empty() ? "0.0.0.0" : address->host;
  health_options.port = address->port;
  auto health = http::HttpServer::Create(health_options);
  if (!health.ok()) return Fail(std::string(health.status().message()));
  http::AddHealthEndpoints((*health)->routes(), [&] {
    return manager.synced() ? std::string() : std::string("caches not synced");
  });
  if (auto s = (*health)->Start(); !s.ok()) return Fail(std::string(s.message()));

  // Keep trying to sync: the gateway may still be starting.
  while (true) {
    auto started = manager.Start(std::chrono::seconds(60));
    if (started.ok()) break;
    spdlog::warn("waiting for caches: {}", std::string(started.message()));
  }
  if (!ready_file.empty()) {
    obs::WriteReadyFile(
        ready_file, {{"healthz_port", (*health)->port()}, {"bus_endpoint", (*broker)->endpoint()}})
        .IgnoreError();
  }
  spdlog::info("controller running; job bus on {}", (*broker)->endpoint());
  int sig = shutdown.Wait();
  spdlog::info("signal {}: shutting down", sig);
  manager.Stop();
  (*broker)->Stop();
  (*health)->Stop();
  return 0;
}
