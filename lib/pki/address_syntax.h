#pragma once
// Syntax checks for the names a Certificate spec carries, with the rules (and, where it matters,
// the error texts) of the Go code cert-manager runs: net.ParseIP / net.ParseCIDR, net/mail's
// ParseAddress, net/url's Parse plus crypto/x509's URI domain check.

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace certforge::pki {

bool IsValidUtf8(std::string_view text);
// Go's isIA5String: no code point above 127.
bool IsIa5String(std::string_view text);

// A CIDR range as name constraints carry it: the masked address then the mask, 4+4 or 16+16
// octets. InvalidArgument "invalid CIDR address: <text>" otherwise.
absl::StatusOr<std::string> ParseCidr(std::string_view text);

// OK when net/mail.ParseAddress accepts `text` and gives back exactly `text` as the address;
// otherwise the message cert-manager's webhook would put after "invalid email address: ".
absl::Status CheckEmailAddress(std::string_view text);

// OK when Go's url.Parse and crypto/x509's URI SAN checks would accept `text`.
absl::Status CheckUri(std::string_view text);

}  // namespace certforge::pki
