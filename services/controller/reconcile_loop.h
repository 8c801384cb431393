#pragma once
// Runs Reconcilers over one work queue of keys with a few worker threads. Errors retry with
// per-key exponential backoff (1s to 30s, as cert-manager's Certificate queues); a success
// resets it.
//
// Controllers that react to the same resource share a loop: a key is queued once for all the
// reconcilers woken for it, and one worker runs them in the order given. So a change that wakes
// six controllers costs one hand-off between threads, not six. Each reconciler keeps its own
// retries and requeues, and no two of them run for the same key at once.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "lib/core/work_queue.h"
#include "services/controller/reconciler.h"

namespace certforge::controller {

class ReconcileLoop {
 public:
  // One bit per reconciler, in the order given (1 to 32 of them).
  using Reconcilers = uint32_t;
  static constexpr Reconcilers kAll = ~Reconcilers{0};

  ReconcileLoop(std::vector<std::unique_ptr<Reconciler>> reconcilers, int workers);
  ~ReconcileLoop();

  // Queues `key` for the reconcilers in `which`.
  void Enqueue(const std::string& key, Reconcilers which = kAll) { queue_.Add(key, which); }
  void Start();
  void Stop();

  size_t size() const { return reconcilers_.size(); }
  const char* name(size_t i) const { return reconcilers_[i].reconciler->name(); }
  uint64_t sync_calls(size_t i) const { return reconcilers_[i].sync_calls; }
  uint64_t sync_errors(size_t i) const { return reconcilers_[i].sync_errors; }

 private:
  struct Entry {
    std::unique_ptr<Reconciler> reconciler;
    std::atomic<uint64_t> sync_calls{0};
    std::atomic<uint64_t> sync_errors{0};
  };

  void Work();
  void Run(size_t i, const std::string& key);

  std::vector<Entry> reconcilers_;
  int workers_;
  core::WorkQueue queue_;
  std::vector<std::thread> threads_;
};

}  // namespace certforge::controller
