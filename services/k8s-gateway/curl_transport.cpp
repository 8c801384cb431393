#include "services/k8s-gateway/curl_transport.h"

#include <mutex>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace certforge::k8sgw {
namespace {

constexpr size_t kMaxBodyBytes = size_t{256} << 20;
constexpr long kConnectTimeoutMs = 5000;

struct SlistDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};
using Slist = std::unique_ptr<curl_slist, SlistDeleter>;

void Append(Slist& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list.get(), line.c_str());
  if (next) {
    list.release();
    list.reset(next);
  }
}

struct ServerUrl {
  std::string scheme;
  std::string host;  // IPv6 keeps its brackets
  std::string port;
  std::string prefix;  // a path some proxies put in front of the API
};

absl::StatusOr<ServerUrl> ParseServer(const std::string& server) {
  ServerUrl url;
  size_t scheme_end = server.find("://");
  if (scheme_end == std::string::npos) return absl::InvalidArgumentError("server has no scheme");
  url.scheme = server.substr(0, scheme_end);
  std::string rest = server.substr(scheme_end + 3);
  size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    url.prefix = rest.substr(slash);
    rest = rest.substr(0, slash);
  }
  size_t colon = rest.rfind(':');
  size_t bracket = rest.rfind(']');
  if (colon != std::string::npos && (bracket == std::string::npos || colon > bracket)) {
    url.host = rest.substr(0, colon);
    url.port = rest.substr(colon + 1);
  } else {
    url.host = rest;
    url.port = url.scheme == "https" ? "443" : "80";
  }
  int port = 0;
  if (url.host.empty() || !absl::SimpleAtoi(url.port, &port) || port <= 0 || port > 65535) {
    return absl::InvalidArgumentError(absl::StrCat("invalid server URL \"", server, "\""));
  }
  return url;
}

}  // namespace

struct CurlTransport::Transfer {
  CURL* handle = nullptr;
  const std::function<bool(std::string_view)>* on_data = nullptr;  // null: collect the body
  const std::function<bool()>* cancelled = nullptr;
  bool decided = false;
  bool stream_body = false;
  bool stopped = false;
  bool too_large = false;
  std::string body;
};

namespace {

size_t OnWrite(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<CurlTransport::Transfer*>(user);
  size_t length = size * count;
  if (transfer->on_data) {
    if (!transfer->decided) {
      long code = 0;
      curl_easy_getinfo(transfer->handle, CURLINFO_RESPONSE_CODE, &code);
      transfer->stream_body = code >= 200 && code < 300;
      transfer->decided = true;
    }
    if (transfer->stream_body) {
      bool stop = (transfer->cancelled && (*transfer->cancelled)()) ||
                  !(*transfer->on_data)(std::string_view(data, length));
      if (stop) {
        transfer->stopped = true;
        return 0;
      }
      return length;
    }
  }
  if (transfer->body.size() + length > kMaxBodyBytes) {
    transfer->too_large = true;
    return 0;
  }
  transfer->body.append(data, length);
  return length;
}

int OnProgress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  auto* transfer = static_cast<CurlTransport::Transfer*>(user);
  if (transfer->cancelled && (*transfer->cancelled)()) {
    transfer->stopped = true;
    return 1;
  }
  return 0;
}

}  // namespace

absl::StatusOr<std::unique_ptr<CurlTransport>> CurlTransport::Create(const ClusterConfig& config) {
  static std::once_flag curl_init;
  std::call_once(curl_init, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
  auto url = ParseServer(config.server);
  if (!url.ok()) return url.status();
  std::string base_url;
  std::string connect_to;
  if (!config.tls_server_name.empty()) {
    // Verify (and send SNI for) the configured name while connecting to the real host.
    base_url =
        absl::StrCat(url->scheme, "://", config.tls_server_name, ":", url->port, url->prefix);
    connect_to =
        absl::StrCat(config.tls_server_name, ":", url->port, ":", url->host, ":", url->port);
  } else {
    base_url = absl::StrCat(url->scheme, "://", url->host, ":", url->port, url->prefix);
  }
  return std::unique_ptr<CurlTransport>(
      new CurlTransport(config, std::move(base_url), std::move(connect_to)));
}

CurlTransport::CurlTransport(ClusterConfig config, std::string base_url, std::string connect_to)
    : config_(std::move(config)),
      base_url_(std::move(base_url)),
      connect_to_(std::move(connect_to)),
      token_(config_.token, config_.token_file) {}

CurlTransport::~CurlTransport() = default;

absl::StatusOr<HttpResponse> CurlTransport::Send(const HttpRequest& request) {
  Transfer transfer;
  return Perform(request, transfer);
}

absl::StatusOr<HttpResponse> CurlTransport::Stream(
    const HttpRequest& request, const std::function<bool(std::string_view)>& on_data,
    const std::function<bool()>& cancelled) {
  Transfer transfer;
  transfer.on_data = &on_data;
  transfer.cancelled = &cancelled;
  return Perform(request, transfer);
}

absl::StatusOr<HttpResponse> CurlTransport::Perform(const HttpRequest& request,
                                                    Transfer& transfer) {
  CurlHandlePool::Lease lease = pool_.Acquire();
  CURL* curl = lease.get();
  if (!curl) return absl::ResourceExhaustedError("cannot create a libcurl handle");
  transfer.handle = curl;
  std::string url = base_url_ + request.target;
  char error_buffer[CURL_ERROR_SIZE] = {0};

  Slist headers;
  Append(headers, "Accept: application/json");
  Append(headers, "Expect:");
  if (!request.content_type.empty()) Append(headers, "Content-Type: " + request.content_type);
  std::string token = token_.Token();
  if (!token.empty()) Append(headers, "Authorization: Bearer " + token);
  Slist connect_to;
  if (!connect_to_.empty()) Append(connect_to, connect_to_);

  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(curl, CURLOPT_USERAGENT, "certforge-k8s-gateway/0.1");
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_HTTP_VERSION, CURL_HTTP_VERSION_1_1);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, kConnectTimeoutMs);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPALIVE, 1L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPIDLE, 30L);
  curl_easy_setopt(curl, CURLOPT_TCP_KEEPINTVL, 10L);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &OnWrite);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &transfer);
  if (transfer.cancelled) {
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
    curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, &OnProgress);
    curl_easy_setopt(curl, CURLOPT_XFERINFODATA, &transfer);
  }
  if (connect_to) curl_easy_setopt(curl, CURLOPT_CONNECT_TO, connect_to.get());
  if (!config_.unix_socket.empty()) {
    curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, config_.unix_socket.c_str());
  }

  if (config_.insecure_skip_tls_verify) {
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 0L);
    curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 0L);
  }
  curl_blob ca{const_cast<char*>(config_.ca_pem.data()), config_.ca_pem.size(), CURL_BLOB_COPY};
  if (!config_.ca_pem.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO_BLOB, &ca);
  curl_blob cert{const_cast<char*>(config_.client_cert_pem.data()), config_.client_cert_pem.size(),
                 CURL_BLOB_COPY};
  curl_blob key{const_cast<char*>(config_.client_key_pem.data()), config_.client_key_pem.size(),
                CURL_BLOB_COPY};
  if (!config_.client_cert_pem.empty()) {
    curl_easy_setopt(curl, CURLOPT_SSLCERT_BLOB, &cert);
    curl_easy_setopt(curl, CURLOPT_SSLCERTTYPE, "PEM");
    curl_easy_setopt(curl, CURLOPT_SSLKEY_BLOB, &key);
    curl_easy_setopt(curl, CURLOPT_SSLKEYTYPE, "PEM");
  }

  if (request.method == "GET") {
    curl_easy_setopt(curl, CURLOPT_HTTPGET, 1L);
  } else {
    if (request.method != "POST") {
      curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, request.method.c_str());
    }
    if (!request.body.empty() || request.method == "POST") {
      curl_easy_setopt(curl, CURLOPT_POSTFIELDS, request.body.data());
      curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE,
                       static_cast<curl_off_t>(request.body.size()));
    }
  }

  CURLcode rc = curl_easy_perform(curl);
  // The handle goes back to the pool: nothing may point at this frame's buffers any more.
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, nullptr);
  curl_easy_setopt(curl, CURLOPT_CONNECT_TO, nullptr);

  if (transfer.stopped) return absl::CancelledError("request cancelled");
  if (transfer.too_large) {
    return absl::ResourceExhaustedError(absl::StrCat(
        request.method, " ", request.target, ": response larger than ", kMaxBodyBytes, " bytes"));
  }
  if (rc != CURLE_OK) {
    std::string detail = error_buffer[0] ? error_buffer : curl_easy_strerror(rc);
    return absl::UnavailableError(
        absl::StrCat(request.method, " ", config_.server, request.target, ": ", detail));
  }
  HttpResponse response;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.code);
  response.body = std::move(transfer.body);
  return response;
}

}  // namespace certforge::k8sgw
