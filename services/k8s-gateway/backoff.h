#pragma once
// Reconnect delays: doubling from `initial` up to `max`, back to `initial` after a success.

#include <algorithm>
#include <chrono>

namespace certforge::k8sgw {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial = std::chrono::milliseconds(100),
          std::chrono::milliseconds max = std::chrono::seconds(5))
      : initial_(initial), max_(max), next_(initial) {}

  std::chrono::milliseconds Next() {
    auto delay = next_;
    next_ = std::min(next_ * 2, max_);
    return delay;
  }
  void Reset() { next_ = initial_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  std::chrono::milliseconds next_;
};

}  // namespace certforge::k8sgw
