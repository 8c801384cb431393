#pragma once
// Everything needed to reach one Kubernetes API server, whatever it came from (a kubeconfig or
// the in-cluster service account). Certificates and keys are held in memory as PEM.

#include <string>

namespace certforge::k8sgw {

struct ClusterConfig {
  std::string server;  // "https://host:port", no trailing slash
  std::string ca_pem;  // empty: the system trust store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  // the name to verify instead of the server's host
  // Connect through this Unix socket instead of to the server's host and port (local-apiserver's
  // --loopback-socket); the URL still gives the Host header and the path prefix.
  std::string unix_socket;

  std::string token;       // a static bearer token
  std::string token_file;  // re-read periodically: bound service-account tokens rotate
  std::string client_cert_pem;
  std::string client_key_pem;

  // Where this came from, for logs; never contains credentials.
  std::string source;
};

}  // namespace certforge::k8sgw
