#pragma once
// Runs a Reconciler: a work queue of keys and a few worker threads. Errors retry with per-key
// exponential backoff (1s to 30s, as cert-manager's Certificate queues); a success resets it.

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "lib/core/work_queue.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class ReconcileLoop {
 public:
  ReconcileLoop(std::unique_ptr<Reconciler> reconciler, int workers);
  ~ReconcileLoop();

  void Enqueue(const std::string& key) { queue_.Add(key); }
  void EnqueueAfter(const std::string& key, std::chrono::milliseconds delay) {
    queue_.AddAfter(key, delay);
  }
  void Start();
  void Stop();

  const char* name() const { return reconciler_->name(); }
  uint64_t sync_calls() const { return sync_calls_; }
  uint64_t sync_errors() const { return sync_errors_; }

 private:
  void Work();

  std::unique_ptr<Reconciler> reconciler_;
  int workers_;
  core::WorkQueue queue_;
  std::vector<std::thread> threads_;
  std::atomic<uint64_t> sync_calls_{0};
  std::atomic<uint64_t> sync_errors_{0};
};

}  // namespace certforge::controller
