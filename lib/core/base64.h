#pragma once
// Base64 (RFC 4648 §4) and base64url without padding (§5), as Kubernetes and ACME use them.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::core {

std::string Base64Encode(std::string_view bytes);
absl::StatusOr<std::string> Base64Decode(std::string_view text);

std::string Base64UrlEncode(std::string_view bytes);  // no padding
absl::StatusOr<std::string> Base64UrlDecode(std::string_view text);

}  // namespace certforge::core
