// local-apiserver: a Kubernetes-compatible API server on SQLite, certforge's embedded default.
#include <CLI/CLI.hpp>

#include "lib/core/shutdown_signal.h"
#include "lib/obs/logging.h"
#include "services/local-apiserver/api_server.h"
#include "services/local-apiserver/embedded_gateway.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  certforge::core::ShutdownSignal shutdown;
  certforge::apiserver::ApiServerOptions options;
  std::string log_level = "info", log_format = "text";
  int64_t event_ttl_seconds = 3600;
  std::vector<std::string> gateway_addresses;
  CLI::App app{"local-apiserver: a Kubernetes-compatible API server on SQLite"};
  app.add_option("--data-dir", options.data_dir,
                 "Folder for the database, certificates, tokens and kubeconfig")
      ->required();
  app.add_option("--bind-address", options.bind_address, "Address to listen on")
      ->capture_default_str();
  app.add_option("--secure-port", options.secure_port, "HTTPS port (0 picks a free one)")
      ->capture_default_str();
  app.add_option("--insecure-port", options.insecure_port,
                 "Plain HTTP port without authentication, loopback only (-1 = off)")
      ->capture_default_str();
  app.add_option("--loopback-port", options.loopback_port,
                 "Plain HTTP port on 127.0.0.1 with token authentication, for clients on this "
                 "machine (0 picks a free one, -1 = off)")
      ->capture_default_str();
  app.add_option("--loopback-socket", options.loopback_socket,
                 "Unix socket serving what --loopback-port serves, for k8s-gateway's "
                 "--api-server-socket (cheaper per request than loopback TCP)");
  app.add_option("--loopback-kubeconfig-out", options.loopback_kubeconfig_out,
                 "Where to write the kubeconfig for --loopback-port and --loopback-socket "
                 "(default <data-dir>/loopback.kubeconfig)");
  app.add_option("--token-auth-file", options.token_auth_file,
                 "Bearer tokens, one 'token,user,uid[,\"groups\"]' per line "
                 "(default <data-dir>/tokens.csv, created with an admin token)");
  app.add_option("--tls-cert-file", options.tls_cert_file,
                 "Serving certificate (default: generated with its own CA under <data-dir>/pki)");
  app.add_option("--tls-private-key-file", options.tls_private_key_file, "Serving key");
  app.add_option("--tls-san", options.tls_sans,
                 "Extra names for the generated serving certificate");
  app.add_option("--kubeconfig-out", options.kubeconfig_out,
                 "Where to write the admin kubeconfig (default <data-dir>/kubeconfig)");
  app.add_option("--watch-history", options.watch_history,
                 "Changes kept for watches that resume from a resourceVersion")
      ->capture_default_str();
  app.add_option("--event-ttl-seconds", event_ttl_seconds, "How long Events are kept")
      ->capture_default_str();
  app.add_option("--gateway-listen-address", gateway_addresses,
                 "Also serve k8s-gateway's KubeGateway gRPC API from this process, on host:port "
                 "or unix:PATH (may be repeated): for the standalone stack's controller, without "
                 "the HTTP hop through a separate gateway");
  app.add_flag("--fsync", options.fsync, "fsync every commit (durable across power loss)");
  app.add_option("--log-level", log_level)->capture_default_str();
  app.add_option("--log-format", log_format, "text or json")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  options.event_ttl = std::chrono::seconds(event_ttl_seconds);

  certforge::obs::InitLogging("local-apiserver", log_level, log_format);
  auto server = certforge::apiserver::ApiServer::Create(options);
  if (!server.ok()) {
    spdlog::critical("cannot start: {}", std::string(server.status().message()));
    return 1;
  }
  // The gateway first: the kubeconfig that Start writes last tells clients everything serves.
  std::unique_ptr<certforge::apiserver::EmbeddedGateway> gateway;
  if (!gateway_addresses.empty()) {
    auto started = certforge::apiserver::EmbeddedGateway::Start(
        [api = server->get()](const httplib::Request& req, httplib::Response& res) {
          api->ServeInProcess(req, res);
        },
        gateway_addresses);
    if (!started.ok()) {
      spdlog::critical("--gateway-listen-address: {}", std::string(started.status().message()));
      return 1;
    }
    gateway = std::move(*started);
  }
  if (auto s = (*server)->Start(); !s.ok()) {
    spdlog::critical("cannot start: {}", std::string(s.message()));
    if (gateway) gateway->Stop();
    return 1;
  }
  int sig = shutdown.Wait();
  spdlog::info("signal {}: shutting down", sig);
  if (gateway) gateway->Stop();
  (*server)->Stop();
  return 0;
}
