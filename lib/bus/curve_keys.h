#pragma once
// CURVE key pairs for the bus: Z85 text (40 characters per key), as ZeroMQ's tools write them.

#include <string>

#include "absl/status/statusor.h"

namespace certforge::bus {

struct CurveKeyPair {
  std::string public_key;
  std::string secret_key;
};

// A fresh key pair; FAILED_PRECONDITION when libzmq was built without CURVE.
absl::StatusOr<CurveKeyPair> GenerateCurveKeyPair();

// Reads the two keys. Each file holds the bare Z85 key (surrounding whitespace ignored) or a
// ZeroMQ certificate line `public-key = "..."` / `secret-key = "..."`. Checks that the public
// key belongs to the secret one. Error messages never contain key material.
absl::StatusOr<CurveKeyPair> LoadCurveKeyPair(const std::string& public_file,
                                              const std::string& secret_file);

// One public key (a peer's), in either of the forms above.
absl::StatusOr<std::string> LoadCurvePublicKey(const std::string& file);

// True for a 40-character Z85 string that decodes to a 32-byte key.
bool IsZ85Key(const std::string& text);

}  // namespace certforge::bus
