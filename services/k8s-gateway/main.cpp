// k8s-gateway: the only holder of Kubernetes credentials, serving the KubeGateway gRPC API over
// a real cluster or local-apiserver. Wiring only; the classes live in k8s_gateway_lib.

#include <grpcpp/grpcpp.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "lib/core/host_port.h"
#include "lib/core/shutdown_signal.h"
#include "lib/http/health_endpoints.h"
#include "lib/http/http_server.h"
#include "lib/obs/logging.h"
#include "lib/obs/ready_file.h"
#include "services/k8s-gateway/api_server_probe.h"
#include "services/k8s-gateway/curl_transport.h"
#include "services/k8s-gateway/gateway_server.h"
#include "services/k8s-gateway/gateway_service.h"
#include "services/k8s-gateway/kube_rest_client.h"
#include "services/k8s-gateway/kubeconfig.h"
#include "spdlog/spdlog.h"

namespace {

int Fail(const std::string& what) {
  spdlog::error("{}", what);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace certforge;
  core::ShutdownSignal shutdown;  // before any thread starts

  CLI::App app{"k8s-gateway: the KubeGateway gRPC API in front of a Kubernetes API server"};
  std::string kubeconfig;
  std::vector<std::string> listen_addresses = {"127.0.0.1:9440"};
  std::string healthz_address = "127.0.0.1:9441";
  std::string ready_file;
  std::string api_server_socket;
  std::string log_level = "info";
  std::string log_format = "text";
  app.add_option("--kubeconfig", kubeconfig, "kubeconfig file (default: in-cluster config)");
  app.add_option("--listen-address", listen_addresses,
                 "gRPC host:port (port 0 picks one) or unix:PATH (a Unix socket); may be repeated")
      ->capture_default_str();
  app.add_option("--api-server-socket", api_server_socket,
                 "Reach the API server through this Unix socket (local-apiserver's "
                 "--loopback-socket); the kubeconfig still gives its URL and credentials");
  app.add_option("--healthz-listen-address", healthz_address, "/healthz and /readyz host:port")
      ->capture_default_str();
  app.add_option("--ready-file", ready_file,
                 "written with {\"grpc_port\":N,\"healthz_port\":M} once both listen "
                 "(N: the first TCP address's port, 0 if none)");
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->capture_default_str();
  app.add_option("--log-format", log_format, "text or json")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  obs::InitLogging("k8s-gateway", log_level, log_format);

  auto config =
      kubeconfig.empty() ? k8sgw::Kubeconfig::InCluster() : k8sgw::Kubeconfig::LoadFile(kubeconfig);
  if (!config.ok()) return Fail(std::string(config.status().message()));
  config->unix_socket = api_server_socket;
  auto transport = k8sgw::CurlTransport::Create(*config);
  if (!transport.ok()) return Fail(std::string(transport.status().message()));
  spdlog::info("API server {} from {}{}", config->server, config->source,
               api_server_socket.empty() ? "" : " through Unix socket " + api_server_socket);
  k8sgw::KubeRestClient client(std::move(*transport));
  k8sgw::ApiServerProbe probe(client);
  k8sgw::GatewayService service(client, probe);

  auto healthz = core::ParseHostPort(healthz_address);
  if (!healthz.ok()) return Fail("--healthz-listen-address: " + healthz.status().ToString());
  // Lean: a cluster's gateway is judged by its memory (79 MiB after listing 30,000 Secrets with
  // tcmalloc's default caches, 51 MiB at this cap); its threads only relay.
  auto grpc_server = k8sgw::StartGatewayServer(service, listen_addresses, k8sgw::kLeanThreadCaches);
  if (!grpc_server.ok()) return Fail("--listen-address: " + grpc_server.status().ToString());
  int grpc_port = grpc_server->first_tcp_port;

  auto health = http::HttpServer::Create(
      {.host = healthz->host.empty() ? "0.0.0.0" : healthz->host, .port = healthz->port});
  if (!health.ok()) return Fail(std::string(health.status().message()));
  http::AddHealthEndpoints((*health)->routes(), [&probe] { return probe.NotReadyReason(); });
  if (auto started = (*health)->Start(); !started.ok()) {
    return Fail(std::string(started.message()));
  }
  spdlog::info("serving health on port {}", (*health)->port());
  if (!ready_file.empty()) {
    if (auto written = obs::WriteReadyFile(
            ready_file, {{"grpc_port", grpc_port}, {"healthz_port", (*health)->port()}});
        !written.ok()) {
      return Fail(std::string(written.message()));
    }
  }

  int sig = shutdown.Wait();
  spdlog::info("signal {}: shutting down", sig);
  service.Shutdown();
  grpc_server->server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
  spdlog::debug("gRPC server stopped");
  (*health)->Stop();
  spdlog::debug("health server stopped");
  spdlog::info("stopped");
  return 0;
}
