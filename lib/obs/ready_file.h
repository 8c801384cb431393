#pragma once
// The file a supervisor or test waits for: written atomically (temp file + rename) once a
// service listens, so a reader never sees half of it. It holds the ports the service chose.

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"

namespace certforge::obs {

// e.g. {"grpc_port":N,"healthz_port":M}
absl::Status WriteReadyFile(const std::string& path, const nlohmann::json& content);

}  // namespace certforge::obs
