#include "services/controller/renewal.h"

#include <algorithm>

namespace certforge::controller {

std::optional<core::TimePoint> RenewalTime(core::TimePoint not_before, core::TimePoint not_after,
                                           const RenewalSpec& spec) {
  if (spec.disabled) return std::nullopt;
  // Full clock precision until the end, then down to the second, as cert-manager: truncating
  // the lifetime first would renew up to a second late (e.g. a third of 90d − 1s).
  auto lifetime = not_after - not_before;
  auto before = lifetime / 3;
  if (spec.renew_before && spec.renew_before->count() > 0 && *spec.renew_before < lifetime) {
    before = *spec.renew_before;
  } else if (spec.renew_before_percentage && *spec.renew_before_percentage > 0 &&
             *spec.renew_before_percentage < 100) {
    // In floating point, as cert-manager: lifetime × percentage can overflow 64 bits.
    std::chrono::duration<double, core::TimePoint::period> share = lifetime;
    before = std::chrono::duration_cast<core::TimePoint::duration>(
        share * *spec.renew_before_percentage / 100);
  }
  return std::chrono::floor<std::chrono::seconds>(not_after - before);
}

std::chrono::seconds IssuanceBackoff(int failed_attempts, std::chrono::seconds min,
                                     std::chrono::seconds max) {
  if (min <= std::chrono::seconds(0)) return std::chrono::seconds(0);  // backoff turned off
  std::chrono::seconds delay = min;
  // Doubling stops at the cap, so this neither overflows nor runs more than 63 times.
  for (int i = 1; i < failed_attempts && delay < max; ++i) {
    delay = delay > max / 2 ? max : delay * 2;
  }
  // As cert-manager: capped at max, but never shorter than min.
  return std::max(std::min(delay, max), min);
}

}  // namespace certforge::controller
