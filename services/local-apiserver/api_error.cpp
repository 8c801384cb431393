#include "services/local-apiserver/api_error.h"

#include "absl/strings/cord.h"
#include "lib/kube/json_parse.h"

namespace certforge::apiserver {
namespace {

constexpr char kPayloadUrl[] = "certforge.dev/kubernetes-status";

nlohmann::json StatusBody(int code, std::string_view reason, std::string_view message) {
  return {{"kind", "Status"},   {"apiVersion", "v1"},         {"metadata", nlohmann::json::object()},
          {"status", "Failure"}, {"message", std::string(message)}, {"reason", std::string(reason)},
          {"code", code}};
}

absl::Status WithBody(absl::StatusCode code, const nlohmann::json& body) {
  absl::Status status(code, body.value("message", ""));
  status.SetPayload(kPayloadUrl, absl::Cord(body.dump()));
  return status;
}

nlohmann::json Details(const ResourceName& what) {
  return {{"name", what.name}, {"group", what.group}, {"kind", what.resource}};
}

absl::Status Simple(absl::StatusCode code, int http, std::string_view reason,
                    std::string_view message) {
  return WithBody(code, StatusBody(http, reason, message));
}

}  // namespace

std::string QualifiedResource(std::string_view group, std::string_view resource) {
  return group.empty() ? std::string(resource) : std::string(resource) + "." + std::string(group);
}

absl::Status NotFoundError(const ResourceName& what) {
  auto body = StatusBody(404, "NotFound",
                         QualifiedResource(what.group, what.resource) + " \"" + what.name +
                             "\" not found");
  body["details"] = Details(what);
  return WithBody(absl::StatusCode::kNotFound, body);
}

absl::Status AlreadyExistsError(const ResourceName& what) {
  auto body = StatusBody(409, "AlreadyExists",
                         QualifiedResource(what.group, what.resource) + " \"" + what.name +
                             "\" already exists");
  body["details"] = Details(what);
  return WithBody(absl::StatusCode::kAlreadyExists, body);
}

absl::Status ConflictError(const ResourceName& what) {
  return ConflictMessageError(
      what,
      "the object has been modified; please apply your changes to the latest version and try "
      "again");
}

absl::Status ConflictMessageError(const ResourceName& what, std::string_view message) {
  auto body = StatusBody(409, "Conflict",
                         "Operation cannot be fulfilled on " +
                             QualifiedResource(what.group, what.resource) + " \"" + what.name +
                             "\": " + std::string(message));
  body["details"] = Details(what);
  return WithBody(absl::StatusCode::kAborted, body);
}

absl::Status InvalidError(std::string_view group, std::string_view kind, std::string_view name,
                          const std::vector<kube::FieldError>& causes) {
  std::string message = std::string(kind) + (group.empty() ? "" : "." + std::string(group)) +
                        " \"" + std::string(name) + "\" is invalid: ";
  nlohmann::json json_causes = nlohmann::json::array();
  for (size_t i = 0; i < causes.size(); ++i) {
    const auto& c = causes[i];
    if (i > 0) message += ", ";
    message += c.field.empty() ? c.message : c.field + ": " + c.message;
    json_causes.push_back({{"reason", c.reason}, {"message", c.message}, {"field", c.field}});
  }
  if (causes.size() > 1) {
    // kube-apiserver wraps several causes in brackets.
    message = std::string(kind) + (group.empty() ? "" : "." + std::string(group)) + " \"" +
              std::string(name) + "\" is invalid: [" +
              message.substr(message.find("is invalid: ") + 12) + "]";
  }
  auto body = StatusBody(422, "Invalid", message);
  body["details"] = {{"name", std::string(name)},
                     {"group", std::string(group)},
                     {"kind", std::string(kind)},
                     {"causes", json_causes}};
  return WithBody(absl::StatusCode::kInvalidArgument, body);
}

absl::Status BadRequestError(std::string_view message) {
  return Simple(absl::StatusCode::kInvalidArgument, 400, "BadRequest", message);
}
absl::Status UnauthorizedError() {
  return Simple(absl::StatusCode::kUnauthenticated, 401, "Unauthorized", "Unauthorized");
}
absl::Status ForbiddenError(std::string_view message) {
  return Simple(absl::StatusCode::kPermissionDenied, 403, "Forbidden", message);
}
absl::Status MethodNotAllowedError(std::string_view message) {
  return Simple(absl::StatusCode::kUnimplemented, 405, "MethodNotAllowed", message);
}
absl::Status NotAcceptableError(std::string_view message) {
  return Simple(absl::StatusCode::kUnimplemented, 406, "NotAcceptable", message);
}
absl::Status UnsupportedMediaTypeError(std::string_view message) {
  return Simple(absl::StatusCode::kUnimplemented, 415, "UnsupportedMediaType", message);
}
absl::Status ExpiredError(std::string_view message) {
  return Simple(absl::StatusCode::kOutOfRange, 410, "Expired", message);
}
absl::Status RequestEntityTooLargeError(std::string_view message) {
  return Simple(absl::StatusCode::kResourceExhausted, 413, "RequestEntityTooLarge", message);
}
absl::Status InternalServerError(std::string_view message) {
  return Simple(absl::StatusCode::kInternal, 500, "InternalError", message);
}

RenderedStatus RenderStatus(const absl::Status& status) {
  if (auto payload = status.GetPayload(kPayloadUrl)) {
    auto body = kube::ParseJsonOrDiscarded(std::string(*payload));
    if (!body.is_discarded()) return {body.value("code", 500), body};
  }
  // A plain absl::Status from a lower layer: map the code the way Kubernetes would.
  int http = 500;
  std::string reason = "InternalError";
  switch (status.code()) {
    case absl::StatusCode::kNotFound: http = 404; reason = "NotFound"; break;
    case absl::StatusCode::kAlreadyExists: http = 409; reason = "AlreadyExists"; break;
    case absl::StatusCode::kAborted: http = 409; reason = "Conflict"; break;
    case absl::StatusCode::kInvalidArgument: http = 400; reason = "BadRequest"; break;
    case absl::StatusCode::kFailedPrecondition: http = 422; reason = "Invalid"; break;
    case absl::StatusCode::kPermissionDenied: http = 403; reason = "Forbidden"; break;
    case absl::StatusCode::kUnauthenticated: http = 401; reason = "Unauthorized"; break;
    case absl::StatusCode::kOutOfRange: http = 410; reason = "Expired"; break;
    case absl::StatusCode::kUnavailable: http = 503; reason = "ServiceUnavailable"; break;
    case absl::StatusCode::kDeadlineExceeded: http = 504; reason = "Timeout"; break;
    default: break;
  }
  return {http, StatusBody(http, reason, std::string(status.message()))};
}

}  // namespace certforge::apiserver
