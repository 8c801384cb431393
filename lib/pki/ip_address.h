#pragma once
// IP addresses as X.509 iPAddress SANs carry them: 4 or 16 octets.

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::pki {

// The octets of an IPv4 or IPv6 address in text form. An IPv4-mapped IPv6 address
// ("::ffff:10.0.0.1") becomes its 4 IPv4 octets, as Go's crypto/x509 (hence cert-manager)
// encodes it. Anything else, including prefixes and surrounding spaces, is InvalidArgument.
absl::StatusOr<std::string> ParseIpAddress(std::string_view text);

// The canonical text of 4 or 16 octets ("10.0.0.1", "2001:db8::1"); "" for any other length.
std::string FormatIpAddress(std::string_view octets);

}  // namespace certforge::pki
