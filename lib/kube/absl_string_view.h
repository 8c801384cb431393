#pragma once
// Debian's abseil is built with its own absl::string_view rather than an alias of
// std::string_view, so crossing between the two needs an explicit conversion.

#include <string_view>

#include "absl/strings/string_view.h"

namespace certforge::kube {

inline absl::string_view ToAbsl(std::string_view s) {
  return absl::string_view(s.data(), s.size());
}
inline std::string_view ToStd(absl::string_view s) { return std::string_view(s.data(), s.size()); }

}  // namespace certforge::kube
