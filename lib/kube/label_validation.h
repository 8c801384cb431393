#pragma once
// Kubernetes' rules for label keys (qualified names) and label values.

#include <string_view>

#include "absl/status/status.h"

namespace certforge::kube {

// A qualified name: an optional lowercase DNS subdomain prefix (≤253 characters) and "/", then a
// name of 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric.
// InvalidArgumentError names the key and the rule it breaks.
absl::Status ValidateLabelKey(std::string_view key);

// Empty, or 1-63 alphanumerics, '-', '_' or '.', starting and ending alphanumeric.
absl::Status ValidateLabelValue(std::string_view value);

}  // namespace certforge::kube
