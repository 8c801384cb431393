#pragma once
// Exponential reconnect delays: min, 2×min, 4×min ... capped at max, back to min after Reset().

#include <chrono>

namespace certforge::bus {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max);
  // The delay to wait now; the next one is twice as long (up to max).
  std::chrono::milliseconds Next();
  void Reset() { next_ = min_; }

 private:
  std::chrono::milliseconds min_, max_, next_;
};

}  // namespace certforge::bus
