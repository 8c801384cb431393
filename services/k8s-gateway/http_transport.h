#pragma once
// How KubeRestClient reaches an API server: one request and its response, or a long response
// (watch) handed over piece by piece. Over the network that is libcurl (CurlTransport); inside
// local-apiserver's own process it is a direct call (its InProcessTransport).

#include <chrono>
#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::k8sgw {

struct HttpRequest {
  std::string method = "GET";
  std::string target;  // path and query, e.g. "/api/v1/namespaces?limit=500"
  std::string content_type;
  std::string body;
  std::chrono::milliseconds timeout = std::chrono::seconds(30);
};

struct HttpResponse {
  long code = 0;
  std::string body;
};

class HttpTransport {
 public:
  virtual ~HttpTransport() = default;

  // Failures to reach the server come back as Unavailable; any HTTP code is a response.
  virtual absl::StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;

  // For long responses (watch): a 2xx body goes to `on_data` piece by piece as it arrives; any
  // other response is returned whole. Stops with Cancelled when `on_data` returns false or
  // `cancelled()` (polled at least about once a second, even when no data flows) returns true.
  virtual absl::StatusOr<HttpResponse> Stream(const HttpRequest& request,
                                              const std::function<bool(std::string_view)>& on_data,
                                              const std::function<bool()>& cancelled) = 0;

  // The server's URL, for logs and messages.
  virtual const std::string& server() const = 0;
};

}  // namespace certforge::k8sgw
