// signer: key generation and SelfSigned/CA signing for the controller, over the job bus. Run any
// number of replicas; each takes jobs as it has room.
#include <CLI/CLI.hpp>
#include <thread>

#include "lib/bus/curve_keys.h"
#include "lib/bus/worker.h"
#include "lib/core/host_port.h"
#include "lib/core/shutdown_signal.h"
#include "lib/http/health_endpoints.h"
#include "lib/http/http_server.h"
#include "lib/obs/logging.h"
#include "lib/obs/ready_file.h"
#include "services/signer/signing_jobs.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  using namespace certforge;
  core::ShutdownSignal shutdown;  // before any thread starts

  CLI::App app{"signer: key generation and SelfSigned/CA signing over the job bus"};
  std::string broker = "tcp://127.0.0.1:9450";
  int capacity = static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  std::string healthz = "127.0.0.1:9404";
  std::string ready_file, curve_public, curve_secret, broker_public;
  std::string log_level = "info", log_format = "text";
  app.add_option("--broker", broker, "The controller's job bus endpoint")->capture_default_str();
  app.add_option("--capacity", capacity, "Jobs run at once")->capture_default_str();
  app.add_option("--healthz-listen-address", healthz, "/healthz and /readyz host:port")
      ->capture_default_str();
  app.add_option("--ready-file", ready_file, "Written with {\"healthz_port\":N} once serving");
  app.add_option("--curve-public-key-file", curve_public, "This worker's CURVE public key");
  app.add_option("--curve-secret-key-file", curve_secret, "This worker's CURVE secret key");
  app.add_option("--broker-public-key-file", broker_public, "The broker's CURVE public key");
  app.add_option("--log-level", log_level)->capture_default_str();
  app.add_option("--log-format", log_format, "text or json")->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  obs::InitLogging("signer", log_level, log_format);

  bus::WorkerOptions options;
  options.broker_endpoint = broker;
  options.service = "signer";
  options.capacity = capacity;
  if (!curve_secret.empty() || !broker_public.empty()) {
    auto keys = bus::LoadCurveKeyPair(curve_public, curve_secret);
    auto server = bus::LoadCurvePublicKey(broker_public);
    if (!keys.ok() || !server.ok()) {
      spdlog::critical("CURVE keys: {}",
                       std::string((!keys.ok() ? keys.status() : server.status()).message()));
      return 1;
    }
    options.curve = *keys;
    options.broker_public_key = *server;
  }
  signer::SigningJobs jobs;
  auto worker = bus::Worker::Start(
      options, [&jobs](const std::string& type, const std::string&, const std::string& payload) {
        return jobs.Handle(type, payload);
      });
  if (!worker.ok()) {
    spdlog::critical("cannot start: {}", std::string(worker.status().message()));
    return 1;
  }

  auto address = core::ParseHostPort(healthz);
  if (!address.ok()) {
    spdlog::critical("--healthz-listen-address: {}", std::string(address.status().message()));
    return 1;
  }
  http::HttpServer::Options health_options;
  health_options.host = address->host.empty() ? "0.0.0.0" : address->host;
  health_options.port = address->port;
  auto health = http::HttpServer::Create(health_options);
  if (!health.ok()) {
    spdlog::critical("{}", std::string(health.status().message()));
    return 1;
  }
  http::AddHealthEndpoints((*health)->routes(), [&] {
    return (*worker)->connected() ? std::string() : std::string("not connected to the broker");
  });
  if (auto s = (*health)->Start(); !s.ok()) {
    spdlog::critical("{}", std::string(s.message()));
    return 1;
  }
  if (!ready_file.empty()) {
    obs::WriteReadyFile(ready_file, {{"healthz_port", (*health)->port()}}).IgnoreError();
  }
  spdlog::info("signer serving jobs from {} with capacity {}", broker, capacity);
  int sig = shutdown.Wait();
  spdlog::info("signal {}: shutting down", sig);
  (*worker)->Stop();
  (*health)->Stop();
  return 0;
}
