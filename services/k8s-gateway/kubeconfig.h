#pragma once
// Loads a ClusterConfig from a kubeconfig file (its current context) or from the in-cluster
// service account, with errors that say which field is missing or wrong.

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/k8s-gateway/cluster_config.h"

namespace certforge::k8sgw {

class Kubeconfig {
 public:
  // Reads `path`; relative file references in it are relative to the file's folder.
  static absl::StatusOr<ClusterConfig> LoadFile(const std::string& path);
  // Parses kubeconfig text; `base_dir` resolves relative file references.
  static absl::StatusOr<ClusterConfig> Parse(std::string_view yaml, const std::string& base_dir,
                                             const std::string& source = "kubeconfig");

  using Getenv = std::function<const char*(const char*)>;
  static constexpr const char* kServiceAccountDir = "/var/run/secrets/kubernetes.io/serviceaccount";
  // KUBERNETES_SERVICE_HOST/PORT and the mounted service-account token and CA.
  static absl::StatusOr<ClusterConfig> InCluster(const Getenv& getenv,
                                                 const std::string& service_account_dir);
  static absl::StatusOr<ClusterConfig> InCluster();
};

}  // namespace certforge::k8sgw
