#include "lib/kube/gateway_status.h"

#include <string>

namespace certforge::kube {

absl::Status WithKubeError(absl::Status status, const v1::KubeError& error) {
  if (!status.ok()) status.SetPayload(kKubeErrorTypeUrl, absl::Cord(error.SerializeAsString()));
  return status;
}

std::optional<v1::KubeError> KubeErrorFromStatus(const absl::Status& status) {
  auto payload = status.GetPayload(kKubeErrorTypeUrl);
  if (!payload) return std::nullopt;
  v1::KubeError error;
  if (!error.ParseFromString(std::string(*payload))) return std::nullopt;
  return error;
}

// absl::StatusCode and grpc::StatusCode share their numbering (both are google.rpc.Code).
grpc::Status ToGrpcStatus(const absl::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  auto code = static_cast<grpc::StatusCode>(static_cast<int>(status.code()));
  std::string message(status.message());
  auto payload = status.GetPayload(kKubeErrorTypeUrl);
  if (payload) return grpc::Status(code, message, std::string(*payload));
  return grpc::Status(code, message);
}

absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  absl::Status out(static_cast<absl::StatusCode>(static_cast<int>(status.error_code())),
                   status.error_message());
  v1::KubeError error;
  if (!status.error_details().empty() && error.ParseFromString(status.error_details())) {
    out = WithKubeError(std::move(out), error);
  }
  return out;
}

}  // namespace certforge::kube
