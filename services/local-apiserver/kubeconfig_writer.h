#pragma once
// The admin kubeconfig local-apiserver writes for kubectl and the gateway.

#include <string>

#include "absl/status/status.h"

namespace certforge::apiserver {

struct KubeconfigContent {
  std::string server;  // https://127.0.0.1:6443
  std::string ca_pem;  // empty for plain HTTP
  std::string token;
};

// Written atomically with mode 0600: its appearance means the server is serving.
absl::Status WriteKubeconfig(const std::string& path, const KubeconfigContent& content);

}  // namespace certforge::apiserver
