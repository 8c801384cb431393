#include "lib/bus/curve_keys.h"

#include <string.h>
#include <zmq.h>

#include <cstdint>
#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"

namespace certforge::bus {
namespace {

constexpr size_t kZ85KeyLength = 40;

// The key in a file: either the whole (trimmed) content or the quoted value after `label`.
absl::StatusOr<std::string> ReadKeyFile(const std::string& path, const std::string& label) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read CURVE key file ", path));
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string content = buffer.str();
  std::string key(absl::StripAsciiWhitespace(content));
  if (auto at = content.find(label); at != std::string::npos) {
    auto open = content.find('"', at);
    auto close = open == std::string::npos ? open : content.find('"', open + 1);
    if (close == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("malformed ", label, " in ", path));
    }
    key = content.substr(open + 1, close - open - 1);
  }
  explicit_bzero(content.data(), content.size());
  if (!IsZ85Key(key)) {
    return absl::InvalidArgumentError(absl::StrCat(path, " does not hold a Z85 CURVE key"));
  }
  return key;
}

}  // namespace

bool IsZ85Key(const std::string& text) {
  if (text.size() != kZ85KeyLength) return false;
  uint8_t decoded[32];
  bool ok = zmq_z85_decode(decoded, text.c_str()) != nullptr;
  explicit_bzero(decoded, sizeof(decoded));
  return ok;
}

absl::StatusOr<CurveKeyPair> GenerateCurveKeyPair() {
  if (!zmq_has("curve")) {
    return absl::FailedPreconditionError("libzmq was built without CURVE support");
  }
  char public_key[kZ85KeyLength + 1];
  char secret_key[kZ85KeyLength + 1];
  if (zmq_curve_keypair(public_key, secret_key) != 0) {
    return absl::InternalError(absl::StrCat("zmq_curve_keypair: ", zmq_strerror(zmq_errno())));
  }
  CurveKeyPair pair{public_key, secret_key};
  explicit_bzero(secret_key, sizeof(secret_key));
  return pair;
}

absl::StatusOr<CurveKeyPair> LoadCurveKeyPair(const std::string& public_file,
                                              const std::string& secret_file) {
  auto public_key = ReadKeyFile(public_file, "public-key");
  if (!public_key.ok()) return public_key.status();
  auto secret_key = ReadKeyFile(secret_file, "secret-key");
  if (!secret_key.ok()) return secret_key.status();
  char derived[kZ85KeyLength + 1];
  if (zmq_curve_public(derived, secret_key->c_str()) != 0) {
    return absl::InvalidArgumentError(absl::StrCat(secret_file, " is not a CURVE secret key"));
  }
  if (*public_key != derived) {
    return absl::InvalidArgumentError(
        absl::StrCat(public_file, " does not hold the public key of ", secret_file));
  }
  return CurveKeyPair{*std::move(public_key), *std::move(secret_key)};
}

absl::StatusOr<std::string> LoadCurvePublicKey(const std::string& file) {
  return ReadKeyFile(file, "public-key");
}

}  // namespace certforge::bus
