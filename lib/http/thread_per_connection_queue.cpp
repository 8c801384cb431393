#include "lib/http/thread_per_connection_queue.h"

#include <thread>

namespace certforge::http {

void ThreadPerConnectionQueue::enqueue(std::function<void()> fn) {
  std::unique_lock lock(mu_);
  // Past the cap, new connections wait for a thread instead of exhausting the process.
  cv_.wait(lock, [&] { return running_ < max_threads_; });
  ++running_;
  std::thread([this, fn = std::move(fn)] {
    fn();
    std::lock_guard done(mu_);
    --running_;
    cv_.notify_all();
  }).detach();
}

void ThreadPerConnectionQueue::shutdown() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return running_ == 0; });
}

}  // namespace certforge::http
