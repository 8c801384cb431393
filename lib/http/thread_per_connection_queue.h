#pragma once
// httplib's default pool has a fixed number of threads, and a Kubernetes watch holds its
// connection (and so its thread) for minutes: a fixed pool would starve. This queue gives each
// connection its own thread, up to a cap, and waits for all of them on shutdown.

#include <condition_variable>
#include <functional>
#include <mutex>

#include "httplib.h"

namespace certforge::http {

class ThreadPerConnectionQueue : public httplib::TaskQueue {
 public:
  explicit ThreadPerConnectionQueue(size_t max_threads) : max_threads_(max_threads) {}
  ~ThreadPerConnectionQueue() override { shutdown(); }

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;

 private:
  const size_t max_threads_;
  std::mutex mu_;
  std::condition_variable cv_;
  size_t running_ = 0;
};

}  // namespace certforge::http
