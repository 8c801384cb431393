#include "lib/pki/legacy_algorithms.h"

#include <openssl/provider.h>

#include <string>

#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {
namespace {

struct LegacyContext {
  OSSL_LIB_CTX* context = nullptr;
  std::string error;  // empty when `context` is ready
};

LegacyContext MakeLegacyContext() {
  LegacyContext result;
  OSSL_LIB_CTX* context = OSSL_LIB_CTX_new();
  if (context == nullptr) {
    result.error = "OSSL_LIB_CTX_new: " + OpenSslErrors();
    return result;
  }
  // The providers stay loaded as long as the context, which is never freed: callers may be
  // encoding on any thread until the process exits.
  if (OSSL_PROVIDER_load(context, "default") == nullptr ||
      OSSL_PROVIDER_load(context, "legacy") == nullptr) {
    result.error = "loading OpenSSL's legacy provider: " + OpenSslErrors();
    OSSL_LIB_CTX_free(context);
    return result;
  }
  result.context = context;
  return result;
}

}  // namespace

absl::StatusOr<OSSL_LIB_CTX*> LegacyAlgorithmsContext() {
  // A magic static: made once, even when several threads ask at the same time.
  static const LegacyContext kLegacy = MakeLegacyContext();
  if (kLegacy.context == nullptr) return absl::FailedPreconditionError(kLegacy.error);
  return kLegacy.context;
}

}  // namespace certforge::pki
