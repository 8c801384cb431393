#include "lib/core/work_queue.h"

#include <algorithm>

namespace certforge::core {

// Waiting workers are signalled after the lock is released, so a woken worker does not block
// again on the mutex at once.
void WorkQueue::Add(const std::string& key) {
  bool ready;
  {
    absl::MutexLock lock(&mu_);
    ready = AddLocked(key);
  }
  if (ready) cv_.Signal();
}

bool WorkQueue::AddLocked(const std::string& key) {
  if (shutting_down_ || dirty_.count(key)) return false;
  dirty_.insert(key);
  if (processing_.count(key)) return false;  // re-queued by Done
  ready_.push_back(key);
  return true;
}

void WorkQueue::AddAfter(const std::string& key, std::chrono::milliseconds delay) {
  if (delay.count() <= 0) return Add(key);
  bool earliest;
  {
    absl::MutexLock lock(&mu_);
    if (shutting_down_) return;
    auto due = Clock::now() + delay;
    // Keep only the earliest pending time for a key.
    if (auto it = delayed_index_.find(key); it != delayed_index_.end()) {
      if (it->second->first <= due) return;
      delayed_.erase(it->second);
      delayed_index_.erase(it);
    }
    // Only a new earliest due time changes what a waiting worker sleeps until; one worker
    // re-arms its wait (waking them all for every renewal scheduled cost the controller).
    earliest = delayed_.empty() || due < delayed_.begin()->first;
    delayed_index_[key] = delayed_.emplace(due, key);
  }
  if (earliest) cv_.Signal();
}

void WorkQueue::AddRateLimited(const std::string& key) {
  std::chrono::milliseconds delay;
  {
    absl::MutexLock lock(&mu_);
    int n = failures_[key]++;
    auto factor = std::min<int64_t>(int64_t{1} << std::min(n, 30), backoff_.max.count());
    delay = std::min(backoff_.base * factor, backoff_.max);
  }
  AddAfter(key, delay);
}

void WorkQueue::Forget(const std::string& key) {
  absl::MutexLock lock(&mu_);
  failures_.erase(key);
}

int WorkQueue::Failures(const std::string& key) const {
  absl::MutexLock lock(&mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

size_t WorkQueue::PromoteDueLocked(Clock::time_point now) {
  size_t promoted = 0;
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    std::string key = delayed_.begin()->second;
    delayed_index_.erase(key);
    delayed_.erase(delayed_.begin());
    if (AddLocked(key)) ++promoted;
  }
  return promoted;
}

std::optional<std::string> WorkQueue::Get() {
  std::optional<std::string> key;
  size_t promoted = 0;
  {
    absl::MutexLock lock(&mu_);
    while (!shutting_down_) {
      promoted = PromoteDueLocked(Clock::now());
      if (!ready_.empty()) {
        key = std::move(ready_.front());
        ready_.pop_front();
        dirty_.erase(*key);
        processing_.insert(*key);
        break;
      }
      if (delayed_.empty()) {
        cv_.Wait(&mu_);
      } else {
        cv_.WaitWithTimeout(&mu_, absl::FromChrono(delayed_.begin()->first - Clock::now()));
      }
    }
  }
  for (size_t i = 0; i < promoted; ++i) cv_.Signal();
  return key;
}

void WorkQueue::Done(const std::string& key) {
  bool ready;
  {
    absl::MutexLock lock(&mu_);
    processing_.erase(key);
    ready = dirty_.count(key) > 0;
    if (ready) ready_.push_back(key);
  }
  if (ready) cv_.Signal();
}

void WorkQueue::ShutDown() {
  absl::MutexLock lock(&mu_);
  shutting_down_ = true;
  cv_.SignalAll();
}

size_t WorkQueue::Length() const {
  absl::MutexLock lock(&mu_);
  return ready_.size();
}

}  // namespace certforge::core
