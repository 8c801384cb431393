#pragma once
// Turns CURVE on for a socket: the broker is the CURVE server, workers are clients that must know
// the server's public key.

#include <string>
#include <zmq.hpp>

#include "absl/status/status.h"
#include "lib/bus/curve_keys.h"

namespace certforge::bus {

absl::Status ConfigureCurveServer(zmq::socket_t& socket, const CurveKeyPair& keys);
absl::Status ConfigureCurveClient(zmq::socket_t& socket, const CurveKeyPair& keys,
                                  const std::string& server_public_key);

}  // namespace certforge::bus
