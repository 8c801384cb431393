#include "lib/bus/zap_authenticator.h"

#include <zmq_addon.hpp>

#include "lib/bus/curve_keys.h"
#include "spdlog/spdlog.h"

namespace certforge::bus {
namespace {

constexpr char kZapEndpoint[] = "inproc://zeromq.zap.01";
constexpr size_t kCurveKeyBytes = 32;
// Request frames: version, request id, domain, address, identity, mechanism, credentials.
constexpr size_t kRequestFrames = 7;

}  // namespace

absl::StatusOr<std::unique_ptr<ZapAuthenticator>> ZapAuthenticator::Bind(
    zmq::context_t& context, const std::vector<std::string>& authorized_z85_keys) {
  std::set<std::string> authorized;
  for (const auto& key : authorized_z85_keys) {
    if (!IsZ85Key(key)) {
      return absl::InvalidArgumentError("an authorized client key is not 40-character Z85 text");
    }
    authorized.insert(key);
  }
  try {
    zmq::socket_t socket(context, zmq::socket_type::rep);
    socket.set(zmq::sockopt::linger, 0);
    socket.bind(kZapEndpoint);
    return std::unique_ptr<ZapAuthenticator>(
        new ZapAuthenticator(std::move(socket), std::move(authorized)));
  } catch (const zmq::error_t& e) {
    return absl::InternalError(std::string("cannot bind the ZAP handler: ") + e.what());
  }
}

ZapAuthenticator::ZapAuthenticator(zmq::socket_t socket, std::set<std::string> authorized)
    : socket_(std::move(socket)), authorized_(std::move(authorized)) {}

bool ZapAuthenticator::Admits(const std::string& mechanism, const std::string& credentials) const {
  if (mechanism != "CURVE" || credentials.size() != kCurveKeyBytes) return false;
  char z85[41];
  if (zmq_z85_encode(z85, reinterpret_cast<const uint8_t*>(credentials.data()), kCurveKeyBytes) ==
      nullptr) {
    return false;
  }
  return authorized_.contains(z85);
}

void ZapAuthenticator::HandleRequest() {
  std::vector<zmq::message_t> request;
  if (!zmq::recv_multipart(socket_, std::back_inserter(request), zmq::recv_flags::dontwait)) {
    return;
  }
  // A REP socket must answer every request, even a malformed one.
  std::string version = request.size() > 0 ? request[0].to_string() : "";
  std::string request_id = request.size() > 1 ? request[1].to_string() : "";
  bool admitted = request.size() >= kRequestFrames && version == "1.0" &&
                  Admits(request[5].to_string(), request[6].to_string());
  if (!admitted) {
    std::string address = request.size() > 3 ? request[3].to_string() : "?";
    spdlog::warn("bus: refused a client from {}: its key is not authorized", address);
  }
  std::vector<zmq::const_buffer> reply = {
      zmq::buffer(std::string_view("1.0")),
      zmq::buffer(request_id),
      zmq::buffer(std::string_view(admitted ? "200" : "400")),
      zmq::buffer(std::string_view(admitted ? "OK" : "key not authorized")),
      zmq::buffer(std::string_view("")),  // user id
      zmq::buffer(std::string_view("")),  // metadata
  };
  zmq::send_multipart(socket_, reply);
}

}  // namespace certforge::bus
