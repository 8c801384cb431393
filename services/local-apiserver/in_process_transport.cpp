#include "services/local-apiserver/in_process_transport.h"

#include <utility>

namespace certforge::apiserver {
namespace {

// The request as httplib would have parsed it off the wire: decoded path, query parameters and
// the headers the handler reads.
httplib::Request ToServerRequest(const k8sgw::HttpRequest& request) {
  httplib::Request req;
  req.method = request.method;
  req.target = request.target;
  std::string_view target = request.target;
  size_t query = target.find('?');
  req.path = httplib::detail::decode_url(std::string(target.substr(0, query)), false);
  if (query != std::string_view::npos) {
    httplib::detail::parse_query_text(std::string(target.substr(query + 1)), req.params);
  }
  req.set_header("Accept", "application/json");
  if (!request.content_type.empty()) req.set_header("Content-Type", request.content_type);
  req.body = request.body;
  return req;
}

}  // namespace

absl::StatusOr<k8sgw::HttpResponse> InProcessTransport::Send(const k8sgw::HttpRequest& request) {
  std::string body;
  auto response = Stream(
      request,
      [&body](std::string_view piece) {
        body.append(piece);
        return true;
      },
      [] { return false; });
  if (response.ok() && response->code / 100 == 2) response->body = std::move(body);
  return response;
}

absl::StatusOr<k8sgw::HttpResponse> InProcessTransport::Stream(
    const k8sgw::HttpRequest& request, const std::function<bool(std::string_view)>& on_data,
    const std::function<bool()>& cancelled) {
  httplib::Response res;
  handler_(ToServerRequest(request), res);
  if (res.status / 100 != 2) return k8sgw::HttpResponse{res.status, std::move(res.body)};
  if (!res.content_provider_) {  // the whole body at once
    if (!res.body.empty() && !on_data(res.body)) return absl::CancelledError("the reader stopped");
    return k8sgw::HttpResponse{res.status, ""};
  }
  // A streamed body (lists, watches): the handler's provider writes it piece by piece, here
  // on this thread, as it would onto the connection.
  bool stopped = false;
  httplib::DataSink sink;
  sink.write = [&](const char* data, size_t size) {
    if (!stopped) stopped = cancelled() || !on_data(std::string_view(data, size));
    return !stopped;
  };
  sink.is_writable = [&] {
    if (!stopped) stopped = cancelled();
    return !stopped;
  };
  sink.done = [] {};
  res.content_provider_success_ = res.content_provider_(0, 0, sink);
  if (stopped) return absl::CancelledError("the reader stopped");
  return k8sgw::HttpResponse{res.status, ""};
}

}  // namespace certforge::apiserver
