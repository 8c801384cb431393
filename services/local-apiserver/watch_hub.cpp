#include "services/local-apiserver/watch_hub.h"

namespace certforge::apiserver {

WatchSubscription::Wait WatchSubscription::Next(std::chrono::milliseconds timeout,
                                                WatchChange* out) {
  std::unique_lock lock(mu_);
  cv_.wait_for(lock, timeout, [&] { return closed_ || !queue_.empty(); });
  if (!queue_.empty()) {
    *out = std::move(queue_.front());
    queue_.pop_front();
    return Wait::kChange;
  }
  return closed_ ? Wait::kClosed : Wait::kTimeout;
}

int64_t WatchSubscription::QuietRevision() {
  std::lock_guard hub_lock(hub_->mu_);
  std::lock_guard lock(mu_);
  return queue_.empty() ? hub_->published_ : 0;
}

WatchSubscription::~WatchSubscription() { hub_->Unsubscribe(this); }

std::unique_ptr<WatchSubscription> WatchHub::Subscribe(const std::string& resource,
                                                       const std::string& ns) {
  std::unique_ptr<WatchSubscription> sub(new WatchSubscription(this, resource, ns));
  std::lock_guard lock(mu_);
  if (shutdown_) {
    sub->closed_ = true;
  } else {
    subs_.insert(sub.get());
  }
  return sub;
}

void WatchHub::Unsubscribe(WatchSubscription* sub) {
  std::lock_guard lock(mu_);
  subs_.erase(sub);
}

void WatchHub::SetPublishedRevision(int64_t rv) {
  std::lock_guard lock(mu_);
  published_ = rv;
}

void WatchHub::Publish(const WatchChange& change) {
  std::lock_guard lock(mu_);
  published_ = change.rv;
  for (WatchSubscription* sub : subs_) {
    if (sub->resource_ != change.resource) continue;
    if (!sub->ns_.empty() && sub->ns_ != change.ns) continue;
    std::lock_guard sub_lock(sub->mu_);
    if (sub->closed_) continue;
    if (sub->queue_.size() >= max_queue_) {
      sub->closed_ = true;  // too slow: the client re-watches from its last resourceVersion
      sub->queue_.clear();
    } else {
      sub->queue_.push_back(change);
    }
    sub->cv_.notify_one();
  }
}

void WatchHub::Shutdown() {
  std::lock_guard lock(mu_);
  shutdown_ = true;
  for (WatchSubscription* sub : subs_) {
    std::lock_guard sub_lock(sub->mu_);
    sub->closed_ = true;
    sub->cv_.notify_one();
  }
}

size_t WatchHub::watcher_count() const {
  std::lock_guard lock(mu_);
  return subs_.size();
}

}  // namespace certforge::apiserver
