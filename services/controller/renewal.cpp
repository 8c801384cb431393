#include "services/controller/renewal.h"

#include <algorithm>

namespace certforge::controller {

std::optional<core::TimePoint> RenewalTime(core::TimePoint not_before, core::TimePoint not_after,
                                           const RenewalSpec& spec) {
  if (spec.disabled) return std::nullopt;
  auto lifetime = std::chrono::duration_cast<std::chrono::seconds>(not_after - not_before);
  std::chrono::seconds before = lifetime / 3;
  if (spec.renew_before && spec.renew_before->count() > 0 && *spec.renew_before < lifetime) {
    before = *spec.renew_before;
  } else if (spec.renew_before_percentage && *spec.renew_before_percentage > 0 &&
             *spec.renew_before_percentage < 100) {
    before = std::chrono::seconds(lifetime.count() * *spec.renew_before_percentage / 100);
  }
  return std::chrono::time_point_cast<std::chrono::seconds>(not_after - before);
}

std::chrono::seconds IssuanceBackoff(int failed_attempts, std::chrono::seconds min,
                                     std::chrono::seconds max) {
  if (failed_attempts <= 1) return std::min(min, max);
  int shift = std::min(failed_attempts - 1, 30);
  auto delay = min.count() * (int64_t{1} << shift);
  if (delay / (int64_t{1} << shift) != min.count() || delay > max.count()) return max;
  return std::chrono::seconds(delay);
}

}  // namespace certforge::controller
