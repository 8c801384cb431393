#pragma once
// One controller's decision-and-act step for one key ("namespace/name"). Reconcilers are
// level-triggered: each call looks at the current state and moves it one step closer to the
// desired one, so running one twice, late, or after a restart does no harm.

#include <chrono>
#include <optional>
#include <string>

#include "absl/status/status.h"

namespace certforge::controller {

struct ReconcileResult {
  absl::Status status;                                     // not OK: retried with backoff
  std::optional<std::chrono::milliseconds> requeue_after;  // look again later (e.g. renewal)

  static ReconcileResult Done() { return {}; }
  static ReconcileResult After(std::chrono::milliseconds delay) {
    return {absl::OkStatus(), delay};
  }
  static ReconcileResult Error(absl::Status s) { return {std::move(s), std::nullopt}; }
};

class Reconciler {
 public:
  virtual ~Reconciler() = default;
  // cert-manager's controller name, e.g. "certificates-trigger" (logs, metrics).
  virtual const char* name() const = 0;
  virtual ReconcileResult Reconcile(const std::string& key) = 0;
};

}  // namespace certforge::controller
