#include "services/controller/reconcile_loop.h"

#include <stdexcept>

#include "spdlog/spdlog.h"

namespace certforge::controller {

ReconcileLoop::ReconcileLoop(std::vector<std::unique_ptr<Reconciler>> reconcilers, int workers)
    : reconcilers_(reconcilers.size()),
      workers_(workers),
      queue_(core::WorkQueueBackoff{std::chrono::seconds(1), std::chrono::seconds(30)}) {
  if (reconcilers.empty() || reconcilers.size() > 32) {
    throw std::invalid_argument("a reconcile loop runs 1 to 32 reconcilers");
  }
  for (size_t i = 0; i < reconcilers.size(); ++i) {
    reconcilers_[i].reconciler = std::move(reconcilers[i]);
  }
}

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
  while (auto item = queue_.Get()) {
    for (size_t i = 0; i < reconcilers_.size(); ++i) {
      if (item->tags & (Reconcilers{1} << i)) Run(i, item->key);
    }
    queue_.Done(item->key);
  }
}

void ReconcileLoop::Run(size_t i, const std::string& key) {
  Entry& entry = reconcilers_[i];
  const Reconcilers tag = Reconcilers{1} << i;
  ++entry.sync_calls;
  ReconcileResult result;
  try {
    result = entry.reconciler->Reconcile(key);
  } catch (const std::exception& e) {
    // A bug costs one retry of one key, never the process.
    result = ReconcileResult::Error(absl::InternalError(e.what()));
  }
  if (result.status.ok()) {
    queue_.Forget(key, tag);
    if (result.requeue_after) queue_.AddAfter(key, *result.requeue_after, tag);
  } else {
    ++entry.sync_errors;
    spdlog::debug("{} {}: {}", entry.reconciler->name(), key, std::string(result.status.message()));
    queue_.AddRateLimited(key, tag);
  }
}

}  // namespace certforge::controller
