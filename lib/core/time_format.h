#pragma once
// RFC 3339 timestamps as Kubernetes writes them ("2026-11-27T19:58:31Z") and reads them
// (any offset, optional fraction), and kubectl's short human durations ("5m10s", "3d").

#include <chrono>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::core {

using TimePoint = std::chrono::system_clock::time_point;

std::string FormatRfc3339(TimePoint t);        // seconds precision, UTC, "Z"
std::string FormatRfc3339Micro(TimePoint t);   // microseconds, as metav1.MicroTime
absl::StatusOr<TimePoint> ParseRfc3339(std::string_view text);

// kubectl's duration.HumanDuration: 36s, 5m10s, 3h, 2d, 400d, ...
std::string HumanDuration(std::chrono::seconds d);

}  // namespace certforge::core
