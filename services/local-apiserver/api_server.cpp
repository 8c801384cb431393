#include "services/local-apiserver/api_server.h"

#include <sys/stat.h>

#include <filesystem>

#include "lib/core/random.h"
#include "lib/pki/serving_bundle.h"
#include "services/local-apiserver/api_error.h"
#include "services/local-apiserver/api_path.h"
#include "services/local-apiserver/builtin_resources.h"
#include "services/local-apiserver/kubeconfig_writer.h"
#include "spdlog/spdlog.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

constexpr char kJson[] = "application/json";

bool IsLoopback(const std::string& address) {
  return address == "127.0.0.1" || address == "::1" || address == "localhost" ||
         address.rfind("127.", 0) == 0;
}

void WriteJson(const json& body, httplib::Response& res) {
  res.status = 200;
  res.set_content(body.dump(), kJson);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ApiServer>> ApiServer::Create(ApiServerOptions options) {
  if (options.data_dir.empty()) return absl::InvalidArgumentError("--data-dir is required");
  if (options.insecure_port >= 0 && !IsLoopback(options.bind_address)) {
    return absl::InvalidArgumentError(
        "plain HTTP (--insecure-port) is only allowed with a loopback --bind-address");
  }
  if (options.token_auth_file.empty()) options.token_auth_file = options.data_dir + "/tokens.csv";
  if (options.kubeconfig_out.empty()) options.kubeconfig_out = options.data_dir + "/kubeconfig";
  if (options.loopback_kubeconfig_out.empty()) {
    options.loopback_kubeconfig_out = options.data_dir + "/loopback.kubeconfig";
  }
  std::unique_ptr<ApiServer> server(new ApiServer(std::move(options)));
  if (auto s = server->Initialize(); !s.ok()) return s;
  return server;
}

ApiServer::~ApiServer() { Stop(); }

absl::Status ApiServer::Initialize() {
  std::error_code ec;
  std::filesystem::create_directories(options_.data_dir, ec);
  if (ec) return absl::InternalError("cannot create " + options_.data_dir + ": " + ec.message());
  chmod(options_.data_dir.c_str(), 0700);

  if (auto s = TokenAuthenticator::EnsureFile(options_.token_auth_file); !s.ok()) return s;
  auto auth = TokenAuthenticator::FromFile(options_.token_auth_file);
  if (!auth.ok()) return auth.status();
  auth_ = std::make_unique<TokenAuthenticator>(std::move(*auth));

  if (options_.tls_cert_file.empty()) {
    std::vector<std::string> hosts = {"localhost", "127.0.0.1", "::1"};
    hosts.insert(hosts.end(), options_.tls_sans.begin(), options_.tls_sans.end());
    auto bundle =
        pki::EnsureServingBundle(options_.data_dir + "/pki", "certforge-local-apiserver-ca", hosts);
    if (!bundle.ok()) return bundle.status();
    cert_file_ = bundle->cert_file;
    key_file_ = bundle->key_file;
    ca_pem_ = bundle->ca_pem;
  } else {
    cert_file_ = options_.tls_cert_file;
    key_file_ = options_.tls_private_key_file;
  }

  SqliteStore::Options store_options{options_.data_dir + "/state.db", options_.watch_history,
                                     options_.fsync};
  auto store = SqliteStore::Open(store_options);
  if (!store.ok()) return store.status();
  store_ = std::move(*store);
  catalog_ = std::make_unique<ResourceCatalog>();
  if (auto s = RegisterBuiltinResources(*catalog_); !s.ok()) return s;
  hub_ = std::make_unique<WatchHub>();
  hub_->SetPublishedRevision(store_->revision());
  registry_ = std::make_unique<Registry>(*store_, *hub_, *catalog_);
  crds_ = std::make_unique<CrdRegistrar>(*catalog_);
  if (auto s = crds_->LoadAll(*store_); !s.ok()) return s;
  gc_ = std::make_unique<GarbageCollector>(*registry_, *catalog_, options_.event_ttl);
  registry_->AddObserver([this](const CommittedChange& c) { crds_->OnCommit(c); });
  registry_->AddObserver([this](const CommittedChange& c) { gc_->OnCommit(c); });
  discovery_ = std::make_unique<Discovery>(*catalog_, core::RandomHex(4));
  handler_ = std::make_unique<ResourceHandler>(*catalog_, *registry_, *hub_);
  return EnsureDefaultNamespaces();
}

absl::Status ApiServer::EnsureDefaultNamespaces() {
  ResourceTypePtr ns_type = catalog_->Find("", "v1", "namespaces");
  for (const char* name : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    json ns = {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}};
    auto result = registry_->Create({ns_type, "", "", ""}, ns, WriteOptions{});
    if (!result.ok() && result.status().code() != absl::StatusCode::kAlreadyExists) {
      return result.status();
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<http::HttpServer>> ApiServer::Listen(
    const http::HttpServer::Options& options, bool authenticate) {
  auto server = http::HttpServer::Create(options);
  if (!server.ok()) return server.status();
  Route((*server)->routes(), authenticate);
  if (auto s = (*server)->Start(); !s.ok()) return s;
  return server;
}

absl::Status ApiServer::Start() {
  http::HttpServer::Options secure_options;
  secure_options.host = options_.bind_address;
  secure_options.port = options_.secure_port;
  secure_options.cert_file = cert_file_;
  secure_options.key_file = key_file_;
  auto secure = Listen(secure_options, /*authenticate=*/true);
  if (!secure.ok()) return secure.status();
  secure_ = std::move(*secure);

  if (options_.insecure_port >= 0) {
    auto insecure = Listen({options_.bind_address, options_.insecure_port}, /*authenticate=*/false);
    if (!insecure.ok()) return insecure.status();
    insecure_ = std::move(*insecure);
    spdlog::warn("serving plain HTTP without authentication on {}:{}", options_.bind_address,
                 insecure_->port());
  }
  if (options_.loopback_port >= 0) {
    auto loopback = Listen({"127.0.0.1", options_.loopback_port}, /*authenticate=*/true);
    if (!loopback.ok()) return loopback.status();
    loopback_ = std::move(*loopback);
    spdlog::info("serving plain HTTP with authentication on 127.0.0.1:{}", loopback_->port());
  }
  if (!options_.loopback_socket.empty()) {
    auto socket = Listen({.unix_socket = options_.loopback_socket}, /*authenticate=*/true);
    if (!socket.ok()) return socket.status();
    loopback_socket_ = std::move(*socket);
    spdlog::info("serving plain HTTP with authentication on Unix socket {}",
                 options_.loopback_socket);
  }
  if (loopback_ || loopback_socket_) {
    // Through the socket alone the URL only names the host for requests' Host header.
    std::string server =
        loopback_ ? "http://127.0.0.1:" + std::to_string(loopback_->port()) : "http://localhost";
    KubeconfigContent local{server, "", auth_->admin_token()};
    if (auto s = WriteKubeconfig(options_.loopback_kubeconfig_out, local); !s.ok()) return s;
    spdlog::info("loopback kubeconfig {}", options_.loopback_kubeconfig_out);
  }
  gc_->Start();

  std::string host = options_.bind_address == "0.0.0.0" || options_.bind_address == "::"
                         ? "127.0.0.1"
                         : options_.bind_address;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  KubeconfigContent kubeconfig{"https://" + host + ":" + std::to_string(secure_->port()), ca_pem_,
                               auth_->admin_token()};
  if (auto s = WriteKubeconfig(options_.kubeconfig_out, kubeconfig); !s.ok()) return s;
  spdlog::info("serving on https://{}:{} (revision {}), kubeconfig {}", host, secure_->port(),
               store_->revision(), options_.kubeconfig_out);
  return absl::OkStatus();
}

void ApiServer::Stop() {
  if (hub_) hub_->Shutdown();  // ends open watches so connections can close
  if (secure_) secure_->Stop();
  if (insecure_) insecure_->Stop();
  if (loopback_) loopback_->Stop();
  if (loopback_socket_) loopback_socket_->Stop();
  if (gc_) gc_->Stop();
}

void ApiServer::Route(httplib::Server& server, bool authenticate) {
  auto handler = [this, authenticate](const httplib::Request& req, httplib::Response& res) {
    Serve(req, res, authenticate);
  };
  server.Get(".*", handler);
  server.Post(".*", handler);
  server.Put(".*", handler);
  server.Patch(".*", handler);
  server.Delete(".*", handler);
}

void ApiServer::Serve(const httplib::Request& req, httplib::Response& res, bool authenticate) {
  const std::string& path = req.path;
  if (path == "/healthz" || path == "/livez" || path == "/readyz") {
    res.set_content("ok", "text/plain");
    return;
  }
  if (authenticate && path != "/version" &&
      !auth_->Authenticate(req.get_header_value("Authorization"))) {
    WriteError(UnauthorizedError(), res);
    return;
  }
  ApiPath api = ParseApiPath(path);
  if (api.kind != ApiPath::Kind::kResource && req.method != "GET") {
    WriteError(MethodNotAllowedError("the server does not allow this method on the requested "
                                     "resource"),
               res);
    return;
  }
  std::optional<json> doc;
  switch (api.kind) {
    case ApiPath::Kind::kVersion:
      doc = Discovery::Version();
      break;
    case ApiPath::Kind::kApiVersions:
      doc = discovery_->ApiVersions(req.get_header_value("Host"));
      break;
    case ApiPath::Kind::kApiGroupList:
      doc = discovery_->ApiGroupList();
      break;
    case ApiPath::Kind::kApiGroup:
      doc = discovery_->ApiGroup(api.group);
      break;
    case ApiPath::Kind::kResourceList:
      doc = discovery_->ResourceList(api.group, api.version);
      break;
    case ApiPath::Kind::kOpenApiV3Index:
      doc = discovery_->OpenApiV3Index();
      break;
    case ApiPath::Kind::kOpenApiV3Document:
      doc = discovery_->OpenApiV3Document(api.group, api.version);
      break;
    case ApiPath::Kind::kResource:
      handler_->Handle(api, req, res);
      return;
    case ApiPath::Kind::kOpenApiV2:
    case ApiPath::Kind::kNotFound:
      break;
  }
  if (doc) {
    WriteJson(*doc, res);
  } else {
    WriteError(absl::NotFoundError("the server could not find the requested resource"), res);
  }
}

}  // namespace certforge::apiserver
