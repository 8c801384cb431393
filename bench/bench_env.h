#pragma once
// Where a benchmark finds the stack it starts: the services' binaries beside its own, the CRDs in
// the checkout it was built from. The environment (CERTFORGE_BIN_DIR, CERTFORGE_SOURCE_DIR)
// overrides either, e.g. to compare two builds with one benchmark binary.

#include <cstdlib>
#include <filesystem>
#include <string>

namespace certforge::bench {

inline void UseStackBesideThisBinary(const std::string& source_dir) {
  std::string bin_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path().string();
  setenv("CERTFORGE_BIN_DIR", bin_dir.c_str(), /*overwrite=*/0);
  setenv("CERTFORGE_SOURCE_DIR", source_dir.c_str(), /*overwrite=*/0);
}

}  // namespace certforge::bench
