#pragma once
// The gRPC server that serves a GatewayService, configured the same wherever it runs (the
// k8s-gateway process, or local-apiserver's own process in the standalone stack).

#include <grpcpp/grpcpp.h>

#include <cstddef>
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

// tcmalloc lets the per-thread caches of the server's many threads hold up to 32 MiB in all,
// which a large list leaves behind. A cap trades that memory for CPU: at 8 MiB the threads of
// local-apiserver, which parse and store every write, traded objects with tcmalloc's central
// lists for an eighth of its CPU during an issuance burst, and a third of that at 16 MiB.
inline constexpr size_t kLeanThreadCaches = size_t{8} << 20;
inline constexpr size_t kBusyThreadCaches = size_t{16} << 20;

// Listens on every address (host:port, port 0 picks one, or unix:PATH) and starts serving, with
// tcmalloc's thread caches in this process capped at `thread_cache_bytes`.
absl::StatusOr<GatewayServer> StartGatewayServer(GatewayService& service,
                                                 const std::vector<std::string>& addresses,
                                                 size_t thread_cache_bytes);

}  // namespace certforge::k8sgw
