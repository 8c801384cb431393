#include "lib/bus/backoff.h"

#include <algorithm>

namespace certforge::bus {

Backoff::Backoff(std::chrono::milliseconds min, std::chrono::milliseconds max)
    : min_(std::max(min, std::chrono::milliseconds(1))), max_(std::max(max, min_)), next_(min_) {}

std::chrono::milliseconds Backoff::Next() {
  auto delay = next_;
  next_ = std::min(next_ * 2, max_);
  return delay;
}

}  // namespace certforge::bus
