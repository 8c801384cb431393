#pragma once
// The KubeGateway gRPC API served from local-apiserver's own process, for the standalone stack:
// the gateway's service (errors, watches, event aggregation) unchanged, over an in-process
// transport to this server's request handler instead of HTTP to another process.

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/k8s-gateway/api_server_probe.h"
#include "services/k8s-gateway/gateway_server.h"
#include "services/k8s-gateway/gateway_service.h"
#include "services/k8s-gateway/kube_rest_client.h"
#include "services/local-apiserver/in_process_transport.h"

namespace certforge::apiserver {

class EmbeddedGateway {
 public:
  // Serves on `addresses` (host:port or unix:PATH) until Stop.
  static absl::StatusOr<std::unique_ptr<EmbeddedGateway>> Start(
      InProcessTransport::Handler handler, const std::vector<std::string>& addresses);
  ~EmbeddedGateway() { Stop(); }

  // Ends open watches and stops serving; call before the API server stops.
  void Stop();
  int first_tcp_port() const { return server_.first_tcp_port; }

 private:
  explicit EmbeddedGateway(InProcessTransport::Handler handler);

  k8sgw::KubeRestClient client_;
  k8sgw::ApiServerProbe probe_;
  k8sgw::GatewayService service_;
  k8sgw::GatewayServer server_;
};

}  // namespace certforge::apiserver
