#include "lib/http/http_server.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <chrono>
#include <filesystem>

#include "lib/http/thread_per_connection_queue.h"

namespace certforge::http {

absl::StatusOr<std::unique_ptr<HttpServer>> HttpServer::Create(const Options& options) {
  std::unique_ptr<httplib::Server> server;
  bool tls = !options.cert_file.empty();
  if (tls) {
    auto ssl =
        std::make_unique<httplib::SSLServer>(options.cert_file.c_str(), options.key_file.c_str());
    if (!ssl->is_valid()) {
      return absl::InvalidArgumentError("cannot load TLS certificate " + options.cert_file +
                                        " and key " + options.key_file);
    }
    server = std::move(ssl);
  } else {
    server = std::make_unique<httplib::Server>();
  }
  size_t max = options.max_connections;
  server->new_task_queue = [max] { return new ThreadPerConnectionQueue(max); };
  server->set_payload_max_length(options.max_body_bytes);
  // Headers and body go out in separate writes; without this, Nagle plus delayed ACKs add
  // ~40 ms to every small response.
  server->set_tcp_nodelay(true);
  server->set_keep_alive_max_count(1000);
  server->set_keep_alive_timeout(30);
  server->set_read_timeout(60);
  server->set_write_timeout(60);
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(server), options, tls));
}

HttpServer::HttpServer(std::unique_ptr<httplib::Server> server, Options options, bool tls)
    : server_(std::move(server)), options_(std::move(options)), tls_(tls) {}

HttpServer::~HttpServer() { Stop(); }

absl::Status HttpServer::Start() {
  if (!options_.unix_socket.empty()) return StartOnUnixSocket();
  if (options_.port == 0) {
    port_ = server_->bind_to_any_port(options_.host);
  } else {
    port_ = server_->bind_to_port(options_.host.c_str(), options_.port) ? options_.port : -1;
  }
  if (port_ <= 0) {
    return absl::UnavailableError("cannot listen on " + options_.host + ":" +
                                  std::to_string(options_.port));
  }
  ServeInBackground();
  return absl::OkStatus();
}

void HttpServer::ServeInBackground() {
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  // cpp-httplib's stop() does nothing until its accept loop runs: a Stop() right after Start()
  // (a later listener of the same process failing to start) would otherwise wait forever.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!server_->is_running() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

absl::Status HttpServer::StartOnUnixSocket() {
  const std::string& path = options_.unix_socket;
  if (path.size() >= sizeof(sockaddr_un::sun_path)) {
    return absl::InvalidArgumentError("Unix socket path longer than " +
                                      std::to_string(sizeof(sockaddr_un::sun_path) - 1) +
                                      " bytes: " + path);
  }
  // A socket file left by a process that was killed would make bind fail.
  std::error_code ignored;
  if (std::filesystem::is_socket(path, ignored)) std::filesystem::remove(path, ignored);
  server_->set_address_family(AF_UNIX);
  server_->set_tcp_nodelay(false);
  // cpp-httplib ignores the port of a Unix socket, except that 0 asks it for the bound port,
  // which a Unix socket does not have: any other number binds.
  if (!server_->bind_to_port(path.c_str(), 1)) {
    return absl::UnavailableError("cannot listen on Unix socket " + path);
  }
  // Only this user may connect (requests are still authenticated).
  std::filesystem::permissions(
      path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write, ignored);
  port_ = 0;
  ServeInBackground();
  return absl::OkStatus();
}

void HttpServer::Stop() {
  if (thread_.joinable()) {
    server_->stop();
    thread_.join();
    if (!options_.unix_socket.empty()) {
      std::error_code ignored;
      std::filesystem::remove(options_.unix_socket, ignored);
    }
  }
}

}  // namespace certforge::http
