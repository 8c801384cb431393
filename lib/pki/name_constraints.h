#pragma once
// The nameConstraints extension (RFC 5280 4.2.1.10) as cert-manager writes it from
// spec.nameConstraints: per subtree DNS domains, IP ranges, e-mail addresses, URI domains.

#include <openssl/x509v3.h>

#include "absl/status/statusor.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/x509_extensions.h"

namespace certforge::pki {

// Adds nothing when `constraints` is empty (as cert-manager); critical per constraints.critical.
// IP ranges must be CIDRs; names must be ASCII.
absl::Status AddNameConstraints(ExtensionSink sink, const NameConstraints& constraints);

// Back to the spec's form; IP ranges as "10.0.0.0/8" (or address/hex-mask for a non-prefix
// mask, as Go prints it). A subtree that is absent or empty reads as nullopt.
NameConstraints DecodeNameConstraints(const NAME_CONSTRAINTS* constraints, bool critical);

}  // namespace certforge::pki
