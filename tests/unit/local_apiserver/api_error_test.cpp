#include "services/local-apiserver/api_error.h"

#include <gtest/gtest.h>

namespace certforge::apiserver {
namespace {

using nlohmann::json;

TEST(ApiErrorTest, QualifiedResource) {
  EXPECT_EQ(QualifiedResource("", "secrets"), "secrets");
  EXPECT_EQ(QualifiedResource("cert-manager.io", "certificates"), "certificates.cert-manager.io");
}

TEST(ApiErrorTest, EveryBuilderRendersItsStatus) {
  const ResourceName cert{"cert-manager.io", "certificates", "web"};
  struct Case {
    const char* what;
    absl::Status status;
    absl::StatusCode code;
    int http;
    std::string reason;
    std::string message;
    json details;  // null = no details
  };
  const json cert_details = {
      {"name", "web"}, {"group", "cert-manager.io"}, {"kind", "certificates"}};
  const Case cases[] = {
      {"not found", NotFoundError(cert), absl::StatusCode::kNotFound, 404, "NotFound",
       "certificates.cert-manager.io \"web\" not found", cert_details},
      {"core not found",
       NotFoundError({"", "secrets", "s"}),
       absl::StatusCode::kNotFound,
       404,
       "NotFound",
       "secrets \"s\" not found",
       {{"name", "s"}, {"group", ""}, {"kind", "secrets"}}},
      {"already exists", AlreadyExistsError(cert), absl::StatusCode::kAlreadyExists, 409,
       "AlreadyExists", "certificates.cert-manager.io \"web\" already exists", cert_details},
      {"conflict", ConflictError(cert), absl::StatusCode::kAborted, 409, "Conflict",
       "Operation cannot be fulfilled on certificates.cert-manager.io \"web\": the object has "
       "been modified; please apply your changes to the latest version and try again",
       cert_details},
      {"conflict message", ConflictMessageError(cert, "Precondition failed"),
       absl::StatusCode::kAborted, 409, "Conflict",
       "Operation cannot be fulfilled on certificates.cert-manager.io \"web\": Precondition failed",
       cert_details},
      {"bad request", BadRequestError("nope"), absl::StatusCode::kInvalidArgument, 400,
       "BadRequest", "nope", nullptr},
      {"unauthorized", UnauthorizedError(), absl::StatusCode::kUnauthenticated, 401, "Unauthorized",
       "Unauthorized", nullptr},
      {"forbidden", ForbiddenError("no"), absl::StatusCode::kPermissionDenied, 403, "Forbidden",
       "no", nullptr},
      {"method not allowed", MethodNotAllowedError("m"), absl::StatusCode::kUnimplemented, 405,
       "MethodNotAllowed", "m", nullptr},
      {"not acceptable", NotAcceptableError("a"), absl::StatusCode::kUnimplemented, 406,
       "NotAcceptable", "a", nullptr},
      {"unsupported media type", UnsupportedMediaTypeError("u"), absl::StatusCode::kUnimplemented,
       415, "UnsupportedMediaType", "u", nullptr},
      {"expired", ExpiredError("too old"), absl::StatusCode::kOutOfRange, 410, "Expired", "too old",
       nullptr},
      {"too large", RequestEntityTooLargeError("big"), absl::StatusCode::kResourceExhausted, 413,
       "RequestEntityTooLarge", "big", nullptr},
      {"internal", InternalServerError("oops"), absl::StatusCode::kInternal, 500, "InternalError",
       "oops", nullptr},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.status.code(), c.code) << c.what;
    EXPECT_EQ(c.status.message(), c.message) << c.what;
    RenderedStatus rendered = RenderStatus(c.status);
    EXPECT_EQ(rendered.http_code, c.http) << c.what;
    json want = {{"kind", "Status"},    {"apiVersion", "v1"},   {"metadata", json::object()},
                 {"status", "Failure"}, {"message", c.message}, {"reason", c.reason},
                 {"code", c.http}};
    if (!c.details.is_null()) want["details"] = c.details;
    EXPECT_EQ(rendered.body, want) << c.what;
  }
}

TEST(ApiErrorTest, InvalidListsEveryCause) {
  auto one = InvalidError("cert-manager.io", "Certificate", "web",
                          {{"spec.dnsNames", "FieldValueRequired", "Required value"}});
  EXPECT_EQ(one.code(), absl::StatusCode::kInvalidArgument);
  RenderedStatus r = RenderStatus(one);
  EXPECT_EQ(r.http_code, 422);
  EXPECT_EQ(r.body["reason"], "Invalid");
  EXPECT_EQ(r.body["message"],
            "Certificate.cert-manager.io \"web\" is invalid: spec.dnsNames: Required value");
  EXPECT_EQ(r.body["details"],
            json::parse(R"({"name":"web","group":"cert-manager.io","kind":"Certificate",
              "causes":[{"reason":"FieldValueRequired","message":"Required value",
                         "field":"spec.dnsNames"}]})"));

  auto two = InvalidError("", "Secret", "s",
                          {{"data[tls.key]", "FieldValueRequired", "Required value"},
                           {"", "FieldValueInvalid", "whole object"}});
  r = RenderStatus(two);
  EXPECT_EQ(r.body["message"],
            "Secret \"s\" is invalid: [data[tls.key]: Required value, whole object]");
  EXPECT_EQ(r.body["details"]["causes"].size(), 2u);
  EXPECT_EQ(r.body["details"]["group"], "");
}

TEST(ApiErrorTest, PlainStatusesMapLikeKubernetes) {
  struct Case {
    absl::Status status;
    int http;
    std::string reason;
  };
  const Case cases[] = {
      {absl::NotFoundError("x"), 404, "NotFound"},
      {absl::AlreadyExistsError("x"), 409, "AlreadyExists"},
      {absl::AbortedError("x"), 409, "Conflict"},
      {absl::InvalidArgumentError("x"), 400, "BadRequest"},
      {absl::FailedPreconditionError("x"), 422, "Invalid"},
      {absl::PermissionDeniedError("x"), 403, "Forbidden"},
      {absl::UnauthenticatedError("x"), 401, "Unauthorized"},
      {absl::OutOfRangeError("x"), 410, "Expired"},
      {absl::UnavailableError("x"), 503, "ServiceUnavailable"},
      {absl::DeadlineExceededError("x"), 504, "Timeout"},
      {absl::InternalError("x"), 500, "InternalError"},
      {absl::UnknownError("x"), 500, "InternalError"},
  };
  for (const auto& c : cases) {
    RenderedStatus r = RenderStatus(c.status);
    EXPECT_EQ(r.http_code, c.http) << c.status;
    EXPECT_EQ(r.body["reason"], c.reason) << c.status;
    EXPECT_EQ(r.body["code"], c.http) << c.status;
    EXPECT_EQ(r.body["message"], "x") << c.status;
    EXPECT_EQ(r.body["kind"], "Status");
  }
}

}  // namespace
}  // namespace certforge::apiserver
