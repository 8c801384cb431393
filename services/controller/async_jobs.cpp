#include "services/controller/async_jobs.h"

namespace certforge::controller {

namespace {
// A result nobody came back for (the resource was deleted meanwhile) is dropped after this.
constexpr auto kResultTtl = std::chrono::minutes(10);
}  // namespace

std::optional<bus::JobResult> AsyncJobs::Take(const std::string& service,
                                              const std::string& job_type, const std::string& id,
                                              const std::function<std::string()>& payload,
                                              std::function<void()> wake) {
  {
    std::lock_guard lock(mu_);
    if (auto it = finished_.find(id); it != finished_.end()) {
      bus::JobResult result = std::move(it->second.result);
      finished_.erase(it);
      return result;
    }
    if (running_.count(id)) {
      running_[id] = std::move(wake);  // the latest waker wins
      return std::nullopt;
    }
    running_[id] = std::move(wake);
    ExpireOldResultsLocked();
  }
  broker_.Submit(service, job_type, id, payload(), [this, id](const bus::JobResult& result) {
    std::function<void()> wake;
    {
      std::lock_guard lock(mu_);
      auto it = running_.find(id);
      if (it == running_.end()) return;  // forgotten meanwhile
      wake = std::move(it->second);
      running_.erase(it);
      finished_[id] = {result, std::chrono::steady_clock::now()};
    }
    if (wake) wake();
  });
  return std::nullopt;
}

void AsyncJobs::Forget(const std::string& id) {
  bool was_running;
  {
    std::lock_guard lock(mu_);
    was_running = running_.erase(id) > 0;
    finished_.erase(id);
  }
  if (was_running) broker_.Cancel(id);
}

size_t AsyncJobs::pending() const {
  std::lock_guard lock(mu_);
  return running_.size();
}

void AsyncJobs::ExpireOldResultsLocked() {
  auto now = std::chrono::steady_clock::now();
  for (auto it = finished_.begin(); it != finished_.end();) {
    it = now - it->second.at > kResultTtl ? finished_.erase(it) : std::next(it);
  }
}

}  // namespace certforge::controller
