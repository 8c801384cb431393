#pragma once
// The file a supervisor or test waits for: written atomically (temp file + rename) once the
// gateway listens, so a reader never sees half of it.

#include <string>

#include "absl/status/status.h"

namespace certforge::k8sgw {

// {"grpc_port":N,"healthz_port":M}
absl::Status WriteReadyFile(const std::string& path, int grpc_port, int healthz_port);

}  // namespace certforge::k8sgw
