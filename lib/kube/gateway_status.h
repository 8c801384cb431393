#pragma once
// How a Kubernetes API error travels between the gateway and its clients: inside a process it is
// an absl::Status whose payload is a serialized KubeError; on the wire it is a grpc::Status with
// the same code and message and that KubeError as its binary error details.

#include <grpcpp/support/status.h>

#include <optional>

#include "absl/status/status.h"
#include "certforge/kube/v1/gateway.pb.h"

namespace certforge::kube {

inline constexpr char kKubeErrorTypeUrl[] = "type.googleapis.com/certforge.kube.v1.KubeError";

// `status` with `error` attached (no-op for an OK status).
absl::Status WithKubeError(absl::Status status, const v1::KubeError& error);

// The KubeError attached to `status` (its reason, message and causes), if any.
std::optional<v1::KubeError> KubeErrorFromStatus(const absl::Status& status);

grpc::Status ToGrpcStatus(const absl::Status& status);
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace certforge::kube
