#pragma once
// When a certificate is due for renewal, and how long to wait after failed issuances: pure
// functions of the Certificate's fields and times (pkg/util/pki/renewaltime.go; the trigger
// controller's backoff).

#include <chrono>
#include <optional>

#include "lib/core/time_format.h"

namespace certforge::controller {

struct RenewalSpec {
  std::optional<std::chrono::seconds> renew_before;  // spec.renewBefore
  std::optional<int> renew_before_percentage;        // spec.renewBeforePercentage
  bool disabled = false;                             // spec.renewal.policy: Disabled
};

// notAfter − renewBefore', to the second, where renewBefore' is spec.renewBefore when it is
// positive and shorter than the certificate's actual lifetime, else lifetime × percentage/100
// when the percentage is in (0, 100), else a third of the lifetime. nullopt when disabled.
std::optional<core::TimePoint> RenewalTime(core::TimePoint not_before, core::TimePoint not_after,
                                           const RenewalSpec& spec);

// The wait before retrying after `failed_attempts` failed issuances: min × 2^(attempts−1),
// capped at max (1h, 2h, 4h ... 32h by default). At least min once anything failed.
std::chrono::seconds IssuanceBackoff(int failed_attempts, std::chrono::seconds min,
                                     std::chrono::seconds max);

}  // namespace certforge::controller
