#include "lib/pki/ip_address.h"

#include <arpa/inet.h>

#include <cstring>

#include "absl/strings/str_cat.h"

namespace certforge::pki {

absl::StatusOr<std::string> ParseIpAddress(std::string_view text) {
  // inet_pton needs a terminated string; addresses are short, so longer input is invalid anyway.
  char buffer[INET6_ADDRSTRLEN + 1] = {};
  bool fits =
      !text.empty() && text.size() < sizeof(buffer) && text.find('\0') == std::string_view::npos;
  if (fits) std::memcpy(buffer, text.data(), text.size());

  unsigned char octets[16];
  if (fits && inet_pton(AF_INET, buffer, octets) == 1) {
    return std::string(reinterpret_cast<char*>(octets), 4);
  }
  if (fits && inet_pton(AF_INET6, buffer, octets) == 1) {
    static constexpr unsigned char kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::memcmp(octets, kMappedPrefix, sizeof(kMappedPrefix)) == 0) {
      return std::string(reinterpret_cast<char*>(octets) + 12, 4);
    }
    return std::string(reinterpret_cast<char*>(octets), 16);
  }
  return absl::InvalidArgumentError(absl::StrCat("invalid IP address \"", std::string(text), "\""));
}

std::string FormatIpAddress(std::string_view octets) {
  char text[INET6_ADDRSTRLEN] = {};
  int family = octets.size() == 4 ? AF_INET : octets.size() == 16 ? AF_INET6 : 0;
  if (family == 0 || inet_ntop(family, octets.data(), text, sizeof(text)) == nullptr) return {};
  return text;
}

}  // namespace certforge::pki
