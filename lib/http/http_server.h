#pragma once
// An HTTP/1.1 server (HTTPS when a certificate is given) on cpp-httplib, served from a
// background thread. Routes are registered on routes() before Start().

#include <memory>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "httplib.h"

namespace certforge::http {

class HttpServer {
 public:
  struct Options {
    std::string host = "127.0.0.1";
    int port = 0;             // 0: pick a free port; port() tells which
    std::string unix_socket;  // when set, listen on this Unix socket instead of host:port
    std::string cert_file;    // PEM; TLS is on when set
    std::string key_file;
    size_t max_connections = 1024;
    size_t max_body_bytes = 3 * 1024 * 1024;  // as Kubernetes' request limit
  };

  static absl::StatusOr<std::unique_ptr<HttpServer>> Create(const Options& options);
  ~HttpServer();

  httplib::Server& routes() { return *server_; }
  // Binds and starts serving in the background.
  absl::Status Start();
  int port() const { return port_; }  // 0 on a Unix socket
  bool tls() const { return tls_; }
  // Stops accepting, then waits for open connections to finish.
  void Stop();

 private:
  HttpServer(std::unique_ptr<httplib::Server> server, Options options, bool tls);
  absl::Status StartOnUnixSocket();
  void ServeInBackground();

  std::unique_ptr<httplib::Server> server_;
  Options options_;
  bool tls_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace certforge::http
