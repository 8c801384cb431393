#pragma once
// The TLS material a server on one machine (local-apiserver) needs: its own small CA and a
// serving certificate from it, kept in a folder across restarts.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

struct ServingBundle {
  std::string ca_cert_file, cert_file, key_file;  // paths in the folder
  std::string ca_pem;                             // the CA certificate clients should trust
};

// Makes a CA (ECDSA P-256, 10 years, CN "<ca_common_name>") and a serving certificate (1 year,
// serverAuth, SANs = hosts: DNS names and IPs) in `dir` on first use, with 0600 key files; later
// calls reuse them, and re-issue the serving certificate (with the same CA) when it is expired,
// within 30 days of expiry, or lacks a host.
// Files: ca.crt, ca.key, server.crt, server.key. An existing CA that is unreadable, not a CA or
// not matching its key is an error (FailedPrecondition), never silently replaced; one that is
// expired or within 30 days of expiry is replaced, together with the serving certificate.
absl::StatusOr<ServingBundle> EnsureServingBundle(const std::string& dir,
                                                  const std::string& ca_common_name,
                                                  const std::vector<std::string>& hosts);

// The same, as if the time were `now`.
absl::StatusOr<ServingBundle> EnsureServingBundleAt(const std::string& dir,
                                                    const std::string& ca_common_name,
                                                    const std::vector<std::string>& hosts,
                                                    std::chrono::system_clock::time_point now);

// Why the serving certificate `cert` (with `key`) must be re-issued at `now` for `hosts`, or
// nullopt when it can be kept.
std::optional<std::string> ServingCertificateProblem(const Certificate& cert, const PrivateKey& key,
                                                     const Certificate& ca,
                                                     const std::vector<std::string>& hosts,
                                                     std::chrono::system_clock::time_point now);

}  // namespace certforge::pki
