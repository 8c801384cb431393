#pragma once
// The gateway's HTTP transport when the KubeGateway API is served from local-apiserver's own
// process: each request is handed to the API server's request handler directly, with no socket,
// no HTTP framing and no libcurl in between. What the handler answers is exactly what it would
// have sent over the wire, so the gateway's service behaves as it does against any API server.

#include <functional>
#include <string>

#include "httplib.h"
#include "services/k8s-gateway/http_transport.h"

namespace certforge::apiserver {

class InProcessTransport final : public k8sgw::HttpTransport {
 public:
  using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

  // `handler` serves the API as an already-authenticated client (the caller is this process).
  explicit InProcessTransport(Handler handler) : handler_(std::move(handler)) {}

  absl::StatusOr<k8sgw::HttpResponse> Send(const k8sgw::HttpRequest& request) override;
  absl::StatusOr<k8sgw::HttpResponse> Stream(const k8sgw::HttpRequest& request,
                                             const std::function<bool(std::string_view)>& on_data,
                                             const std::function<bool()>& cancelled) override;
  const std::string& server() const override { return server_; }

 private:
  Handler handler_;
  const std::string server_ = "in-process";
};

}  // namespace certforge::apiserver
