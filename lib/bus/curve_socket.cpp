#include "lib/bus/curve_socket.h"

namespace certforge::bus {
namespace {

absl::Status CheckKeys(const CurveKeyPair& keys) {
  if (!IsZ85Key(keys.public_key) || !IsZ85Key(keys.secret_key)) {
    return absl::InvalidArgumentError("CURVE keys must be 40-character Z85 text");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ConfigureCurveServer(zmq::socket_t& socket, const CurveKeyPair& keys) {
  if (auto status = CheckKeys(keys); !status.ok()) return status;
  try {
    socket.set(zmq::sockopt::curve_server, 1);
    socket.set(zmq::sockopt::curve_secretkey, keys.secret_key);
  } catch (const zmq::error_t& e) {
    return absl::InvalidArgumentError(std::string("CURVE server setup: ") + e.what());
  }
  return absl::OkStatus();
}

absl::Status ConfigureCurveClient(zmq::socket_t& socket, const CurveKeyPair& keys,
                                  const std::string& server_public_key) {
  if (auto status = CheckKeys(keys); !status.ok()) return status;
  if (!IsZ85Key(server_public_key)) {
    return absl::InvalidArgumentError("the broker's public key must be 40-character Z85 text");
  }
  try {
    socket.set(zmq::sockopt::curve_serverkey, server_public_key);
    socket.set(zmq::sockopt::curve_publickey, keys.public_key);
    socket.set(zmq::sockopt::curve_secretkey, keys.secret_key);
  } catch (const zmq::error_t& e) {
    return absl::InvalidArgumentError(std::string("CURVE client setup: ") + e.what());
  }
  return absl::OkStatus();
}

}  // namespace certforge::bus
