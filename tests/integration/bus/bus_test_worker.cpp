// bus-test-worker: a bus worker process for integration tests. Job types: "echo" answers
// "<pid>:<payload>", "sleep" sleeps <payload> ms first, "fail" returns an error.

#include <unistd.h>

#include <CLI/CLI.hpp>
#include <string>
#include <thread>

#include "lib/bus/worker.h"
#include "lib/core/shutdown_signal.h"
#include "lib/obs/logging.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  using namespace certforge;
  core::ShutdownSignal shutdown;
  CLI::App app{"bus-test-worker: a ZeroMQ bus worker for tests"};
  bus::WorkerOptions options;
  int heartbeat_ms = 100;
  std::string public_file, secret_file, broker_key;
  std::string log_level = "debug";
  app.add_option("--endpoint", options.broker_endpoint, "broker endpoint")->required();
  app.add_option("--service", options.service, "service name")->required();
  app.add_option("--capacity", options.capacity, "jobs at once")->capture_default_str();
  app.add_option("--heartbeat-ms", heartbeat_ms, "heartbeat interval")->capture_default_str();
  app.add_option("--liveness", options.heartbeat_liveness, "missed heartbeats tolerated")
      ->capture_default_str();
  app.add_option("--curve-public-key-file", public_file, "this worker's CURVE public key");
  app.add_option("--curve-secret-key-file", secret_file, "this worker's CURVE secret key");
  app.add_option("--broker-public-key", broker_key, "the broker's CURVE public key (Z85)");
  app.add_option("--log-level", log_level)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  obs::InitLogging("bus-test-worker", log_level);

  options.heartbeat_interval = std::chrono::milliseconds(heartbeat_ms);
  options.reconnect_min = std::chrono::milliseconds(50);
  options.reconnect_max = std::chrono::milliseconds(500);
  if (!public_file.empty()) {
    auto keys = bus::LoadCurveKeyPair(public_file, secret_file);
    if (!keys.ok()) {
      spdlog::error("{}", keys.status().ToString());
      return 1;
    }
    options.curve = *keys;
    options.broker_public_key = broker_key;
  }
  std::string pid = std::to_string(getpid());
  auto worker = bus::Worker::Start(
      options,
      [pid](const std::string& type, const std::string&,
            const std::string& payload) -> absl::StatusOr<std::string> {
        if (type == "sleep") {
          std::this_thread::sleep_for(std::chrono::milliseconds(std::stoi(payload)));
        } else if (type == "fail") {
          return absl::AbortedError("asked to fail");
        }
        return pid + ":" + payload;
      });
  if (!worker.ok()) {
    spdlog::error("{}", worker.status().ToString());
    return 1;
  }
  spdlog::info("bus-test-worker {} up", pid);
  shutdown.Wait();
  (*worker)->Stop();
  return 0;
}
