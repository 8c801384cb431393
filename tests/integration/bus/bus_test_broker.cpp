// bus-test-broker: a broker process for integration tests. Writes its endpoint to --endpoint-file,
// waits for --min-workers workers of --service, submits --jobs "echo" jobs, appends one line per
// result ("<job id> <ok|error> <payload>") to --results-file, then serves until SIGTERM.

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <mutex>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "lib/bus/broker.h"
#include "lib/core/shutdown_signal.h"
#include "lib/obs/logging.h"
#include "spdlog/spdlog.h"

int main(int argc, char** argv) {
  using namespace certforge;
  core::ShutdownSignal shutdown;
  CLI::App app{"bus-test-broker: a ZeroMQ bus broker for tests"};
  bus::BrokerOptions options;
  int heartbeat_ms = 100;
  std::string endpoint_file, results_file, service = "echo", prefix = "job";
  int jobs = 0, min_workers = 1;
  std::string log_level = "debug";
  app.add_option("--endpoint", options.endpoint, "bind address")->capture_default_str();
  app.add_option("--endpoint-file", endpoint_file, "written with the bound endpoint");
  app.add_option("--heartbeat-ms", heartbeat_ms)->capture_default_str();
  app.add_option("--liveness", options.heartbeat_liveness)->capture_default_str();
  app.add_option("--service", service)->capture_default_str();
  app.add_option("--jobs", jobs, "echo jobs to submit")->capture_default_str();
  app.add_option("--job-prefix", prefix, "job ids are <prefix>-<n>")->capture_default_str();
  app.add_option("--min-workers", min_workers, "wait for this many workers before submitting")
      ->capture_default_str();
  app.add_option("--results-file", results_file);
  app.add_option("--log-level", log_level)->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  obs::InitLogging("bus-test-broker", log_level);
  options.heartbeat_interval = std::chrono::milliseconds(heartbeat_ms);

  auto broker = bus::Broker::Start(options);
  if (!broker.ok()) {
    spdlog::error("{}", broker.status().ToString());
    return 1;
  }
  std::mutex mu;
  std::atomic<bool> stopping{false};
  std::ofstream results;
  if (!results_file.empty()) results.open(results_file, std::ios::app);
  std::thread submitter([&] {
    while ((*broker)->WorkerCount(service) < static_cast<size_t>(min_workers)) {
      if (stopping) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    for (int i = 0; i < jobs; ++i) {
      (*broker)->Submit(service, "echo", absl::StrCat(prefix, "-", i), absl::StrCat(i),
                        [&](const bus::JobResult& r) {
                          std::lock_guard lock(mu);
                          results << r.job_id << " " << (r.status.ok() ? "ok" : "error") << " "
                                  << (r.status.ok() ? r.payload : r.status.ToString()) << std::endl;
                        });
    }
  });
  if (!endpoint_file.empty()) {
    std::ofstream out(endpoint_file + ".tmp");
    out << (*broker)->endpoint();
    out.close();
    std::rename((endpoint_file + ".tmp").c_str(), endpoint_file.c_str());
  }
  shutdown.Wait();
  stopping = true;
  submitter.join();
  (*broker)->Stop();
  return 0;
}
