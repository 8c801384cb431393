#include "services/k8s-gateway/kubeconfig.h"

#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "lib/core/base64.h"

namespace certforge::k8sgw {
namespace {

absl::StatusOr<std::string> ReadWholeFile(const std::string& path, std::string_view what) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return absl::NotFoundError(absl::StrCat("cannot read ", std::string(what), " file ", path));
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || path.front() == '/' || base_dir.empty()) return path;
  return (std::filesystem::path(base_dir) / path).string();
}

std::string Scalar(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  return value && value.IsScalar() ? value.as<std::string>() : std::string();
}

bool Bool(const YAML::Node& node, const char* key) {
  const YAML::Node value = node[key];
  bool result = false;
  return value && value.IsScalar() && YAML::convert<bool>::decode(value, result) && result;
}

// Finds the entry of a named list ("clusters", "users", "contexts") with that name.
absl::StatusOr<YAML::Node> Named(const YAML::Node& root, const char* list, const char* field,
                                 const std::string& name, const std::string& source) {
  const YAML::Node entries = root[list];
  if (entries && entries.IsSequence()) {
    for (const YAML::Node& entry : entries) {
      if (Scalar(entry, "name") == name) {
        const YAML::Node inner = entry[field];
        if (!inner || !inner.IsMap()) {
          return absl::InvalidArgumentError(
              absl::StrCat(source, ": ", list, " entry \"", name, "\" has no ", field));
        }
        return inner;
      }
    }
  }
  return absl::InvalidArgumentError(
      absl::StrCat(source, ": no ", field, " named \"", name, "\" in ", list));
}

// "<field>-data" (base64) wins over "<field>" (a file path), as in kubectl.
absl::StatusOr<std::string> DataOrFile(const YAML::Node& node, const std::string& field,
                                       const std::string& base_dir, const std::string& source) {
  std::string data = Scalar(node, (field + "-data").c_str());
  if (!data.empty()) {
    auto decoded = core::Base64Decode(data);
    if (!decoded.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": ", field, "-data is not valid base64"));
    }
    return *decoded;
  }
  std::string file = Scalar(node, field.c_str());
  if (file.empty()) return std::string();
  auto content = ReadWholeFile(Resolve(base_dir, file), field);
  if (!content.ok())
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": ", std::string(content.status().message())));
  return content;
}

absl::Status CheckServer(const std::string& server, const std::string& source) {
  if (server.empty()) return absl::InvalidArgumentError(source + ": the cluster has no server");
  if (server.rfind("https://", 0) != 0 && server.rfind("http://", 0) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": server \"", server, "\" is not an http(s) URL"));
  }
  return absl::OkStatus();
}

absl::StatusOr<ClusterConfig> ParseDocument(const YAML::Node& root, const std::string& base_dir,
                                            const std::string& source) {
  if (!root.IsMap()) return absl::InvalidArgumentError(source + ": not a kubeconfig (no mapping)");
  std::string context_name = Scalar(root, "current-context");
  if (context_name.empty()) {
    const YAML::Node contexts = root["contexts"];
    if (contexts && contexts.IsSequence() && contexts.size() == 1) {
      context_name = Scalar(contexts[0], "name");
    }
    if (context_name.empty()) {
      return absl::InvalidArgumentError(source + ": current-context is not set");
    }
  }
  auto context = Named(root, "contexts", "context", context_name, source);
  if (!context.ok()) return context.status();
  std::string cluster_name = Scalar(*context, "cluster");
  std::string user_name = Scalar(*context, "user");
  if (cluster_name.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(source, ": context \"", context_name, "\" names no cluster"));
  }
  auto cluster = Named(root, "clusters", "cluster", cluster_name, source);
  if (!cluster.ok()) return cluster.status();

  ClusterConfig config;
  config.source = absl::StrCat(source, " (context ", context_name, ")");
  config.server = Scalar(*cluster, "server");
  while (!config.server.empty() && config.server.back() == '/') config.server.pop_back();
  if (auto status = CheckServer(config.server, source); !status.ok()) return status;
  config.insecure_skip_tls_verify = Bool(*cluster, "insecure-skip-tls-verify");
  config.tls_server_name = Scalar(*cluster, "tls-server-name");
  auto ca = DataOrFile(*cluster, "certificate-authority", base_dir, source);
  if (!ca.ok()) return ca.status();
  config.ca_pem = *ca;

  if (user_name.empty()) return config;  // anonymous
  auto user = Named(root, "users", "user", user_name, source);
  if (!user.ok()) return user.status();
  if ((*user)["exec"] || (*user)["auth-provider"]) {
    return absl::UnimplementedError(
        absl::StrCat(source, ": user \"", user_name,
                     "\" uses an exec or auth-provider plugin; use a token or a "
                     "client certificate"));
  }
  config.token = Scalar(*user, "token");
  std::string token_file = Scalar(*user, "tokenFile");
  if (config.token.empty() && !token_file.empty()) {
    config.token_file = Resolve(base_dir, token_file);
    auto token = ReadWholeFile(config.token_file, "tokenFile");
    if (!token.ok())
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": ", std::string(token.status().message())));
  }
  auto cert = DataOrFile(*user, "client-certificate", base_dir, source);
  if (!cert.ok()) return cert.status();
  auto key = DataOrFile(*user, "client-key", base_dir, source);
  if (!key.ok()) return key.status();
  if (cert->empty() != key->empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        source, ": user \"", user_name, "\" needs both client-certificate and client-key"));
  }
  config.client_cert_pem = *cert;
  config.client_key_pem = *key;
  return config;
}

}  // namespace

absl::StatusOr<ClusterConfig> Kubeconfig::LoadFile(const std::string& path) {
  auto text = ReadWholeFile(path, "kubeconfig");
  if (!text.ok()) return text.status();
  std::string dir = std::filesystem::path(path).parent_path().string();
  return Parse(*text, dir, "kubeconfig " + path);
}

absl::StatusOr<ClusterConfig> Kubeconfig::Parse(std::string_view yaml, const std::string& base_dir,
                                                const std::string& source) {
  try {
    YAML::Node root = YAML::Load(std::string(yaml));
    if (!root || root.IsNull()) return absl::InvalidArgumentError(source + ": empty");
    return ParseDocument(root, base_dir, source);
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": invalid YAML: ", e.what()));
  }
}

absl::StatusOr<ClusterConfig> Kubeconfig::InCluster(const Getenv& getenv,
                                                    const std::string& service_account_dir) {
  const char* host = getenv("KUBERNETES_SERVICE_HOST");
  const char* port = getenv("KUBERNETES_SERVICE_PORT");
  if (!host || !*host || !port || !*port) {
    return absl::FailedPreconditionError(
        "no --kubeconfig given and not running in a cluster (KUBERNETES_SERVICE_HOST and "
        "KUBERNETES_SERVICE_PORT are not set)");
  }
  ClusterConfig config;
  config.source = "in-cluster service account";
  std::string host_part(host);
  if (host_part.find(':') != std::string::npos) host_part = "[" + host_part + "]";  // IPv6
  config.server = absl::StrCat("https://", host_part, ":", port);
  config.token_file = service_account_dir + "/token";
  auto token = ReadWholeFile(config.token_file, "service account token");
  if (!token.ok()) return absl::FailedPreconditionError(std::string(token.status().message()));
  auto ca = ReadWholeFile(service_account_dir + "/ca.crt", "service account CA");
  if (!ca.ok()) return absl::FailedPreconditionError(std::string(ca.status().message()));
  config.ca_pem = *ca;
  return config;
}

absl::StatusOr<ClusterConfig> Kubeconfig::InCluster() {
  return InCluster([](const char* name) { return std::getenv(name); }, kServiceAccountDir);
}

}  // namespace certforge::k8sgw
