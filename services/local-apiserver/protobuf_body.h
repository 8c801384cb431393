#pragma once
// Request bodies in Kubernetes' protobuf encoding ("k8s\0" + runtime.Unknown), as kubectl's
// create secret|configmap|namespace send them, turned into the JSON objects they stand for.

#include <string_view>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace certforge::apiserver {

inline constexpr char kProtobufContentType[] = "application/vnd.kubernetes.protobuf";

// Supports Secret, ConfigMap and Namespace; anything else is UnsupportedMediaType (415).
absl::StatusOr<nlohmann::json> DecodeProtobufBody(std::string_view body);

}  // namespace certforge::apiserver
