#include "services/controller/reconcile_loop.h"

#include "spdlog/spdlog.h"

namespace certforge::controller {

ReconcileLoop::ReconcileLoop(std::unique_ptr<Reconciler> reconciler, int workers)
    : reconciler_(std::move(reconciler)),
      workers_(workers),
      queue_(core::WorkQueueBackoff{std::chrono::seconds(1), std::chrono::seconds(30)}) {}

ReconcileLoop::~ReconcileLoop() { Stop(); }

void ReconcileLoop::Start() {
  for (int i = 0; i < workers_; ++i) threads_.emplace_back([this] { Work(); });
}

void ReconcileLoop::Stop() {
  queue_.ShutDown();
  for (auto& t : threads_) {
    if (t.joinable()) t.join();
  }
  threads_.clear();
}

void ReconcileLoop::Work() {
  while (auto key = queue_.Get()) {
    ++sync_calls_;
    ReconcileResult result;
    try {
      result = reconciler_->Reconcile(*key);
    } catch (const std::exception& e) {
      // A bug costs one retry of one key, never the process.
      result = ReconcileResult::Error(absl::InternalError(e.what()));
    }
    if (result.status.ok()) {
      queue_.Forget(*key);
      if (result.requeue_after) queue_.AddAfter(*key, *result.requeue_after);
    } else {
      ++sync_errors_;
      spdlog::debug("{} {}: {}", reconciler_->name(), *key, std::string(result.status.message()));
      queue_.AddRateLimited(*key);
    }
    queue_.Done(*key);
  }
}

}  // namespace certforge::controller
