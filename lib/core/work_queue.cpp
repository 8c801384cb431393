#include "lib/core/work_queue.h"

#include <algorithm>

namespace certforge::core {

// Waiting workers are signalled after the lock is released, so a woken worker does not block
// again on the mutex at once.
void WorkQueue::Add(const std::string& key, Tags tags) {
  bool ready;
  {
    absl::MutexLock lock(&mu_);
    ready = AddLocked(key, tags);
  }
  if (ready) cv_.Signal();
}

bool WorkQueue::AddLocked(const std::string& key, Tags tags) {
  if (shutting_down_) return false;
  auto [it, added] = dirty_.try_emplace(key, tags);
  if (!added) {
    it->second |= tags;  // already waiting: it goes out once, for everyone who wants it
    return false;
  }
  if (processing_.count(key)) return false;  // re-queued by Done
  ready_.push_back(key);
  return true;
}

void WorkQueue::AddAfter(const std::string& key, std::chrono::milliseconds delay, Tags tags) {
  if (delay.count() <= 0) return Add(key, tags);
  bool earliest;
  {
    absl::MutexLock lock(&mu_);
    if (shutting_down_) return;
    auto due = Clock::now() + delay;
    TaggedKey tagged{key, tags};
    // Keep only the earliest pending time for a key and tags.
    if (auto it = delayed_index_.find(tagged); it != delayed_index_.end()) {
      if (it->second->first <= due) return;
      delayed_.erase(it->second);
      delayed_index_.erase(it);
    }
    // Only a new earliest due time changes what a waiting worker sleeps until; one worker
    // re-arms its wait (waking them all for every renewal scheduled cost the controller).
    earliest = delayed_.empty() || due < delayed_.begin()->first;
    delayed_index_[tagged] = delayed_.emplace(due, tagged);
  }
  if (earliest) cv_.Signal();
}

void WorkQueue::AddRateLimited(const std::string& key, Tags tag) {
  std::chrono::milliseconds delay;
  {
    absl::MutexLock lock(&mu_);
    int n = failures_[{key, tag}]++;
    auto factor = std::min<int64_t>(int64_t{1} << std::min(n, 30), backoff_.max.count());
    delay = std::min(backoff_.base * factor, backoff_.max);
  }
  AddAfter(key, delay, tag);
}

void WorkQueue::Forget(const std::string& key, Tags tag) {
  absl::MutexLock lock(&mu_);
  failures_.erase({key, tag});
}

int WorkQueue::Failures(const std::string& key, Tags tag) const {
  absl::MutexLock lock(&mu_);
  auto it = failures_.find({key, tag});
  return it == failures_.end() ? 0 : it->second;
}

size_t WorkQueue::PromoteDueLocked(Clock::time_point now) {
  size_t promoted = 0;
  while (!delayed_.empty() && delayed_.begin()->first <= now) {
    TaggedKey tagged = delayed_.begin()->second;
    delayed_index_.erase(tagged);
    delayed_.erase(delayed_.begin());
    if (AddLocked(tagged.first, tagged.second)) ++promoted;
  }
  return promoted;
}

std::optional<WorkQueue::Item> WorkQueue::Get() {
  std::optional<Item> item;
  size_t promoted = 0;
  {
    absl::MutexLock lock(&mu_);
    while (!shutting_down_) {
      promoted = PromoteDueLocked(Clock::now());
      if (!ready_.empty()) {
        item = Item{std::move(ready_.front()), 0};
        ready_.pop_front();
        auto dirty = dirty_.find(item->key);
        item->tags = dirty->second;
        dirty_.erase(dirty);
        processing_.insert(item->key);
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
  return item;
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
