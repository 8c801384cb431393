#pragma once
// local-apiserver assembled: the store, the catalog, the registry and its observers, the
// garbage collector, and the HTTPS (and optional loopback HTTP) listeners.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/http/http_server.h"
#include "services/local-apiserver/crd_registrar.h"
#include "services/local-apiserver/discovery.h"
#include "services/local-apiserver/garbage_collector.h"
#include "services/local-apiserver/registry.h"
#include "services/local-apiserver/resource_handler.h"
#include "services/local-apiserver/token_authenticator.h"

namespace certforge::apiserver {

struct ApiServerOptions {
  std::string data_dir;
  std::string bind_address = "127.0.0.1";
  int secure_port = 6443;  // 0 picks a free port
  int insecure_port = -1;  // plain HTTP on loopback only; -1 = off
  // Plain HTTP on 127.0.0.1 with the same token authentication, for clients on this machine
  // (the gateway of the standalone stack): TLS on loopback costs CPU on every request and
  // protects against no one who could not read the token file anyway. -1 = off, 0 = a free port.
  int loopback_port = -1;
  // The same on a Unix socket, cheaper than loopback TCP for every request: empty = off.
  std::string loopback_socket;
  std::string loopback_kubeconfig_out;  // default <data_dir>/loopback.kubeconfig
  std::string token_auth_file;          // default <data_dir>/tokens.csv
  std::string tls_cert_file;            // default: generated under <data_dir>/pki
  std::string tls_private_key_file;
  std::vector<std::string> tls_sans;
  std::string kubeconfig_out;  // default <data_dir>/kubeconfig
  int64_t watch_history = 100000;
  std::chrono::seconds event_ttl{3600};
  bool fsync = false;
};

class ApiServer {
 public:
  static absl::StatusOr<std::unique_ptr<ApiServer>> Create(ApiServerOptions options);
  ~ApiServer();

  // Listens, then writes the kubeconfig.
  absl::Status Start();
  void Stop();
  int secure_port() const { return secure_ ? secure_->port() : 0; }
  // Serves one request from within this process, as an authenticated client.
  void ServeInProcess(const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, false);
  }

 private:
  explicit ApiServer(ApiServerOptions options) : options_(std::move(options)) {}
  absl::Status Initialize();
  absl::Status EnsureDefaultNamespaces();
  void Route(httplib::Server& server, bool authenticate);
  // A started listener serving the API.
  absl::StatusOr<std::unique_ptr<http::HttpServer>> Listen(const http::HttpServer::Options& options,
                                                           bool authenticate);
  void Serve(const httplib::Request& req, httplib::Response& res, bool authenticate);

  ApiServerOptions options_;
  std::string ca_pem_;
  std::string cert_file_;
  std::string key_file_;
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<ResourceCatalog> catalog_;
  std::unique_ptr<WatchHub> hub_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<CrdRegistrar> crds_;
  std::unique_ptr<GarbageCollector> gc_;
  std::unique_ptr<Discovery> discovery_;
  std::unique_ptr<ResourceHandler> handler_;
  std::unique_ptr<TokenAuthenticator> auth_;
  std::unique_ptr<http::HttpServer> secure_;
  std::unique_ptr<http::HttpServer> insecure_;
  std::unique_ptr<http::HttpServer> loopback_;
  std::unique_ptr<http::HttpServer> loopback_socket_;
};

}  // namespace certforge::apiserver
