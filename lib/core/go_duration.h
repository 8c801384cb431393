#pragma once
// Go's time.Duration text form, which Kubernetes' metav1.Duration (so cert-manager's
// spec.duration and spec.renewBefore) reads and writes: "2160h0m0s", "90m", "1h30m", "1.5s".

#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::core {

// As time.ParseDuration: an optional sign, then one or more <number><unit> with units ns, us
// (or µs/μs), ms, s, m, h; "0" alone is zero. Errors carry Go's messages
// (`time: invalid duration "x"`, `time: missing unit in duration "x"`,
// `time: unknown unit "d" in duration "x"`).
absl::StatusOr<std::chrono::nanoseconds> ParseGoDuration(std::string_view text);

// As time.Duration.String: "2160h0m0s", "1m30s", "1.5s", "500ms", "0s".
std::string FormatGoDuration(std::chrono::nanoseconds duration);

}  // namespace certforge::core
