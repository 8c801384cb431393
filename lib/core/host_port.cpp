#include "lib/core/host_port.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace certforge::core {

absl::StatusOr<HostPort> ParseHostPort(std::string_view address) {
  size_t colon = address.rfind(':');
  if (colon == std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", std::string(address), "\" has no :port"));
  }
  HostPort out;
  std::string_view host = address.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  } else if (host.find(':') != std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", std::string(address), "\": put an IPv6 host in brackets"));
  }
  out.host = std::string(host);
  if (!absl::SimpleAtoi(std::string(address.substr(colon + 1)), &out.port) || out.port < 0 ||
      out.port > 65535) {
    return absl::InvalidArgumentError(
        absl::StrCat("address \"", std::string(address), "\": invalid port"));
  }
  return out;
}

}  // namespace certforge::core
