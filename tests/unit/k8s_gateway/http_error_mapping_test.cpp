#include "services/k8s-gateway/http_error_mapping.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/kube/gateway_status.h"

namespace certforge::k8sgw {
namespace {

std::string StatusBody(int code, const std::string& reason, const std::string& message) {
  return R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":")" +
         message + R"(","reason":")" + reason + R"(","code":)" + std::to_string(code) + "}";
}

struct MappingCase {
  int http_code;
  std::string reason;
  absl::StatusCode want;
};

class HttpErrorMappingTest : public ::testing::TestWithParam<MappingCase> {};

TEST_P(HttpErrorMappingTest, MapsCodeAndKeepsTheKubeError) {
  const auto& c = GetParam();
  absl::Status status = StatusFromHttpError(c.http_code, StatusBody(c.http_code, c.reason, "boom"));
  EXPECT_EQ(status.code(), c.want) << c.http_code << " " << c.reason;
  auto error = kube::KubeErrorFromStatus(status);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->http_code(), c.http_code);
  EXPECT_EQ(error->reason(), c.reason);
  EXPECT_EQ(error->message(), "boom");
}

INSTANTIATE_TEST_SUITE_P(
    Table, HttpErrorMappingTest,
    ::testing::Values(MappingCase{404, "NotFound", absl::StatusCode::kNotFound},
                      MappingCase{409, "AlreadyExists", absl::StatusCode::kAlreadyExists},
                      MappingCase{409, "Conflict", absl::StatusCode::kAborted},
                      MappingCase{422, "Invalid", absl::StatusCode::kInvalidArgument},
                      MappingCase{400, "BadRequest", absl::StatusCode::kInvalidArgument},
                      MappingCase{401, "Unauthorized", absl::StatusCode::kUnauthenticated},
                      MappingCase{403, "Forbidden", absl::StatusCode::kPermissionDenied},
                      MappingCase{405, "MethodNotAllowed", absl::StatusCode::kUnimplemented},
                      MappingCase{415, "UnsupportedMediaType",
                                  absl::StatusCode::kFailedPrecondition},
                      MappingCase{410, "Expired", absl::StatusCode::kOutOfRange},
                      MappingCase{429, "TooManyRequests", absl::StatusCode::kUnavailable},
                      MappingCase{500, "InternalError", absl::StatusCode::kUnavailable},
                      MappingCase{503, "ServiceUnavailable", absl::StatusCode::kUnavailable},
                      MappingCase{504, "Timeout", absl::StatusCode::kUnavailable},
                      MappingCase{418, "Teapot", absl::StatusCode::kUnknown}));

TEST(HttpErrorMappingTest, InvalidKeepsTheCauses) {
  std::string body = R"({"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
    "message":"Certificate.cert-manager.io \"bad\" is invalid: spec.secretName: Required value",
    "reason":"Invalid","details":{"name":"bad","group":"cert-manager.io","kind":"Certificate",
    "causes":[{"reason":"FieldValueRequired","message":"Required value","field":"spec.secretName"},
              {"reason":"FieldValueInvalid","message":"bad","field":"spec.duration"}]},"code":422})";
  absl::Status status = StatusFromHttpError(422, body);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("spec.secretName"));
  auto error = kube::KubeErrorFromStatus(status);
  ASSERT_TRUE(error.has_value());
  ASSERT_EQ(error->causes_size(), 2);
  EXPECT_EQ(error->causes(0).reason(), "FieldValueRequired");
  EXPECT_EQ(error->causes(0).field(), "spec.secretName");
  EXPECT_EQ(error->causes(0).message(), "Required value");
  EXPECT_EQ(error->causes(1).field(), "spec.duration");
}

TEST(HttpErrorMappingTest, NonStatusBodiesStillMapByCode) {
  absl::Status status = StatusFromHttpError(404, "404 page not found\n");
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(status.message()), ::testing::HasSubstr("404 page not found"));
  auto error = kube::KubeErrorFromStatus(status);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->http_code(), 404);
  EXPECT_EQ(error->reason(), "");

  absl::Status gone = StatusFromHttpError(410, "");
  EXPECT_TRUE(IsExpired(gone));
  EXPECT_THAT(std::string(gone.message()), ::testing::HasSubstr("expired"));
  EXPECT_EQ(kube::KubeErrorFromStatus(gone)->reason(), "Expired");
}

TEST(HttpErrorMappingTest, WatchErrorEventsUseTheirCode) {
  absl::Status expired =
      StatusFromWatchError(StatusBody(410, "Expired", "too old resource version: 5 (100000)"));
  EXPECT_TRUE(IsExpired(expired));
  EXPECT_THAT(std::string(expired.message()), ::testing::HasSubstr("too old resource version"));
  EXPECT_EQ(StatusFromWatchError("{}").code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(StatusFromWatchError("not json").code(), absl::StatusCode::kUnavailable);
}

TEST(GatewayStatusTest, KubeErrorSurvivesTheGrpcRoundTrip) {
  absl::Status status =
      StatusFromHttpError(422, R"({"kind":"Status","message":"bad","reason":"Invalid","code":422,
              "details":{"causes":[{"reason":"FieldValueRequired","field":"spec.x"}]}})");
  grpc::Status wire = kube::ToGrpcStatus(status);
  EXPECT_EQ(wire.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(wire.error_message(), "bad");
  EXPECT_FALSE(wire.error_details().empty());
  absl::Status back = kube::FromGrpcStatus(wire);
  EXPECT_EQ(back.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(back.message(), "bad");
  auto error = kube::KubeErrorFromStatus(back);
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->reason(), "Invalid");
  ASSERT_EQ(error->causes_size(), 1);
  EXPECT_EQ(error->causes(0).field(), "spec.x");

  EXPECT_TRUE(kube::ToGrpcStatus(absl::OkStatus()).ok());
  EXPECT_TRUE(kube::FromGrpcStatus(grpc::Status::OK).ok());
  absl::Status plain = kube::FromGrpcStatus(grpc::Status(grpc::StatusCode::UNAVAILABLE, "down"));
  EXPECT_EQ(plain.code(), absl::StatusCode::kUnavailable);
  EXPECT_FALSE(kube::KubeErrorFromStatus(plain).has_value());
}

}  // namespace
}  // namespace certforge::k8sgw
