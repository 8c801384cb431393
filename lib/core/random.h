#pragma once
// Identifiers from the OS's CSPRNG.

#include <string>

namespace certforge::core {

// A random (version 4) UUID in its canonical lower-case form.
std::string NewUuid();

// `n` characters from Kubernetes' generateName alphabet (no vowels, no look-alikes).
std::string RandomNameSuffix(size_t n = 5);

// `n` random bytes as lower-case hex: tokens and secrets.
std::string RandomHex(size_t n_bytes);

}  // namespace certforge::core
