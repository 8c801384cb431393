#pragma once
// Kubernetes Status errors carried inside absl::Status: the HTTP code and the whole Status
// object (reason, details, causes) travel as a payload, so any layer can fail with exactly the
// response a real API server would give.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/status.h"
#include "lib/kube/field_error.h"

namespace certforge::apiserver {

// "secrets" for the core group, "certificates.cert-manager.io" otherwise: how messages name things.
std::string QualifiedResource(std::string_view group, std::string_view resource);

struct ResourceName {
  std::string group;
  std::string resource;  // plural
  std::string name;
};

absl::Status NotFoundError(const ResourceName& what);
absl::Status AlreadyExistsError(const ResourceName& what);
absl::Status ConflictError(const ResourceName& what);
absl::Status ConflictMessageError(const ResourceName& what, std::string_view message);
// 422: `kind` is the Kind ("Certificate"), as kubectl renders "The Certificate "x" is invalid".
absl::Status InvalidError(std::string_view group, std::string_view kind, std::string_view name,
                          const std::vector<kube::FieldError>& causes);
absl::Status BadRequestError(std::string_view message);
absl::Status UnauthorizedError();
absl::Status ForbiddenError(std::string_view message);
absl::Status MethodNotAllowedError(std::string_view message);
absl::Status NotAcceptableError(std::string_view message);
absl::Status UnsupportedMediaTypeError(std::string_view message);
absl::Status ExpiredError(std::string_view message);  // 410
absl::Status RequestEntityTooLargeError(std::string_view message);
absl::Status InternalServerError(std::string_view message);

struct RenderedStatus {
  int http_code;
  nlohmann::json body;  // a meta/v1 Status
};
// Any absl::Status, with or without a payload, as the HTTP response a client expects.
RenderedStatus RenderStatus(const absl::Status& status);

}  // namespace certforge::apiserver
