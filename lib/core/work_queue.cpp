#include "lib/core/work_queue.h"

#include <algorithm>

namespace certforge::core {

void WorkQueue::Add(const std::string& key) {
  std::lock_guard lock(mu_);
  AddLocked(key);
}

void WorkQueue::AddLocked(const std::string& key) {
  if (shutting_down_ || dirty_.count(key)) return;
  dirty_.insert(key);
  if (processing_.count(key)) return;  // re-queued by Done
  ready_.push_back(key);
  cv_.notify_one();
}

void WorkQueue::AddAfter(const std::string& key, std::chrono::milliseconds delay) {
  if (delay.count() <= 0) return Add(key);
  std::lock_guard lock(mu_);
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
  bool earliest = delayed_.empty() || due < delayed_.begin()->first;
  delayed_index_[key] = delayed_.emplace(due, key);
  if (earliest) cv_.notify_one();
}

void WorkQueue::AddRateLimited(const std::string& key) {
  std::chrono::milliseconds delay;
  {
    std::lock_guard lock(mu_);
    int n = failures_[key]++;
    auto factor = std::min<int64_t>(int64_t{1} << std::min(n, 30), backoff_.max.count());
    delay = std::min(backoff_.base * factor, backoff_.max);
  }
  AddAfter(key, delay);
}

void WorkQueue::Forget(const std::string& key) {
  std::lock_guard lock(mu_);
  failures_.erase(key);
}

int WorkQueue::Failures(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = failures_.find(key);
  return it == failures_.end() ? 0 : it->second;
}

void WorkQueue::PromoteDueLocked(Clock::time_point now) {
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    std::string key = delayed_.begin()->second;
    delayed_index_.erase(key);
    delayed_.erase(delayed_.begin());
    AddLocked(key);
  }
}

std::optional<std::string> WorkQueue::Get() {
  std::unique_lock lock(mu_);
  while (true) {
    if (shutting_down_) return std::nullopt;
    PromoteDueLocked(Clock::now());
    if (!ready_.empty()) {
      std::string key = std::move(ready_.front());
      ready_.pop_front();
      dirty_.erase(key);
      processing_.insert(key);
      return key;
    }
    if (delayed_.empty()) {
      cv_.wait(lock);
    } else {
      cv_.wait_until(lock, delayed_.begin()->first);
    }
  }
}

void WorkQueue::Done(const std::string& key) {
  std::lock_guard lock(mu_);
  processing_.erase(key);
  if (dirty_.count(key)) {
    ready_.push_back(key);
    cv_.notify_one();
  }
}

void WorkQueue::ShutDown() {
  std::lock_guard lock(mu_);
  shutting_down_ = true;
  cv_.notify_all();
}

size_t WorkQueue::Length() const {
  std::lock_guard lock(mu_);
  return ready_.size();
}

}  // namespace certforge::core
