#pragma once
// A ZAP (ZeroMQ RFC 27) handler that admits CURVE clients whose public key is on a list. Its REP
// socket is bound at inproc://zeromq.zap.01 in the broker's context and served by the broker's
// socket thread.

#include <memory>
#include <set>
#include <string>
#include <vector>
#include <zmq.hpp>

#include "absl/status/statusor.h"

namespace certforge::bus {

class ZapAuthenticator {
 public:
  // Binds the ZAP endpoint in `context`; must happen before the server socket binds.
  static absl::StatusOr<std::unique_ptr<ZapAuthenticator>> Bind(
      zmq::context_t& context, const std::vector<std::string>& authorized_z85_keys);

  zmq::socket_t& socket() { return socket_; }
  // Answers one pending request (call when the socket is readable).
  void HandleRequest();
  // The decision alone: `credentials` is the client's 32-byte binary public key.
  bool Admits(const std::string& mechanism, const std::string& credentials) const;

 private:
  ZapAuthenticator(zmq::socket_t socket, std::set<std::string> authorized);

  zmq::socket_t socket_;
  std::set<std::string> authorized_;  // Z85 public keys
};

}  // namespace certforge::bus
