#pragma once
// Whole-file reads and atomic writes for PEM material on disk.

#include <sys/types.h>

#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::pki {

// The file's bytes; NotFoundError when it does not exist.
absl::StatusOr<std::string> ReadFileContents(const std::string& path);

// Replaces `path` with `contents` and permissions exactly `mode` (whatever the umask): written to
// a temporary file in the same folder, synced, then renamed over, so readers never see a partial
// file and a private key is never readable by others, even for a moment.
absl::Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode);

}  // namespace certforge::pki
