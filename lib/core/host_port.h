#pragma once
// "127.0.0.1:9440", "[::1]:9440", ":9440" → host and port (port 0: pick a free one).

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::core {

struct HostPort {
  std::string host;  // without brackets; empty means all interfaces
  int port = 0;
};

absl::StatusOr<HostPort> ParseHostPort(std::string_view address);

}  // namespace certforge::core
