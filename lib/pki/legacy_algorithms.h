#pragma once
// OpenSSL 3.0 keeps RC2 (needed for cert-manager's default PKCS#12 profile, LegacyRC2) in its
// "legacy" provider, which is not loaded by default.

#include <openssl/types.h>

#include "absl/status/statusor.h"

namespace certforge::pki {

// A library context with the "default" and "legacy" providers, made on first use (thread-safe)
// and kept for the life of the process. Its own context, rather than loading "legacy" into the
// global one, so that the rest of the process never picks a legacy algorithm, and so that an
// explicit load does not switch off the automatic loading of "default" there.
absl::StatusOr<OSSL_LIB_CTX*> LegacyAlgorithmsContext();

}  // namespace certforge::pki
