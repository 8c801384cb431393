#pragma once
// HTTP to one Kubernetes API server over libcurl: TLS per the ClusterConfig, a bearer token or
// client certificate, pooled handles for connection reuse. Thread-safe. Transport failures
// (refused, reset, timed out, TLS) come back as Unavailable; any HTTP code is a response.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/k8s-gateway/cluster_config.h"
#include "services/k8s-gateway/curl_handle_pool.h"
#include "services/k8s-gateway/http_transport.h"
#include "services/k8s-gateway/token_source.h"

namespace certforge::k8sgw {

class CurlTransport final : public HttpTransport {
 public:
  static absl::StatusOr<std::unique_ptr<CurlTransport>> Create(const ClusterConfig& config);
  ~CurlTransport() override;

  absl::StatusOr<HttpResponse> Send(const HttpRequest& request) override;

  absl::StatusOr<HttpResponse> Stream(const HttpRequest& request,
                                      const std::function<bool(std::string_view)>& on_data,
                                      const std::function<bool()>& cancelled) override;

  const std::string& server() const override { return config_.server; }

  struct Transfer;  // one request's callbacks and buffers (libcurl callbacks see it)

 private:
  CurlTransport(ClusterConfig config, std::string base_url, std::string connect_to);
  absl::StatusOr<HttpResponse> Perform(const HttpRequest& request, Transfer& transfer);

  const ClusterConfig config_;
  const std::string base_url_;    // scheme://host:port[/prefix], host = tls-server-name if set
  const std::string connect_to_;  // CURLOPT_CONNECT_TO entry when tls-server-name is set
  TokenSource token_;
  CurlHandlePool pool_;
};

}  // namespace certforge::k8sgw
