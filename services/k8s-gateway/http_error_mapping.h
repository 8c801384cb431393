#pragma once
// Maps an API server's error response (HTTP code + Status body) to an absl::Status carrying a
// KubeError, with the gRPC code callers act on:
//   404 NotFound, 409 AlreadyExists (reason AlreadyExists) or Aborted (Conflict),
//   400/422 InvalidArgument, 401 Unauthenticated, 403 PermissionDenied, 405 Unimplemented,
//   415 FailedPrecondition, 410 OutOfRange ("expired"), 408/429/5xx Unavailable.

#include <string_view>

#include "absl/status/status.h"

namespace certforge::k8sgw {

absl::StatusCode CodeForHttp(long http_code, std::string_view reason);

// `http_code` must be an error (>= 400). `body` is usually a meta/v1 Status; any text is accepted.
absl::Status StatusFromHttpError(long http_code, std::string_view body);

// A watch ERROR event's object (a Status) as an error.
absl::Status StatusFromWatchError(std::string_view status_json);

// True for a 410 Gone/Expired: the resourceVersion or continue token is too old.
bool IsExpired(const absl::Status& status);

}  // namespace certforge::k8sgw
