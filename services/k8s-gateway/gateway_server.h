#pragma once
// The gRPC server that serves a GatewayService, configured the same wherever it runs (the
// k8s-gateway process, or local-apiserver's own process in the standalone stack).

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/k8s-gateway/gateway_service.h"

namespace certforge::k8sgw {

struct GatewayServer {
  std::unique_ptr<grpc::Server> server;
  int first_tcp_port = 0;  // the port the first host:port address got; 0 when all are Unix sockets
};

// Listens on every address (host:port, port 0 picks one, or unix:PATH) and starts serving.
absl::StatusOr<GatewayServer> StartGatewayServer(GatewayService& service,
                                                 const std::vector<std::string>& addresses);

}  // namespace certforge::k8sgw
