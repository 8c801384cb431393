#pragma once
// Bus jobs from level-triggered reconcilers. A reconcile asks for a job's result by its
// idempotent id: the first ask submits it, a finished job's result is handed over once, and
// the reconciler's key is woken when it finishes. A reconcile never blocks on a worker.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "lib/bus/broker.h"

namespace certforge::controller {

class AsyncJobs {
 public:
  explicit AsyncJobs(bus::Broker& broker) : broker_(broker) {}

  // The result of job `id` if it has finished (handed over once), else nullopt after making
  // sure it is running. `payload` builds the request only when a submit is needed.
  std::optional<bus::JobResult> Take(const std::string& service, const std::string& job_type,
                                     const std::string& id,
                                     const std::function<std::string()>& payload,
                                     std::function<void()> wake);
  // Drops a pending job or an untaken result (the resource went away).
  void Forget(const std::string& id);
  size_t pending() const;

 private:
  void ExpireOldResultsLocked();

  bus::Broker& broker_;
  mutable std::mutex mu_;
  std::map<std::string, std::function<void()>> running_;  // id → wake
  struct Finished {
    bus::JobResult result;
    std::chrono::steady_clock::time_point at;
  };
  std::map<std::string, Finished> finished_;
};

}  // namespace certforge::controller
