#pragma once
// What a run must have produced: exactly one CertificateRequest per Certificate, and for every
// Certificate a TLS Secret whose key is ECDSA P-256, matches its certificate, and whose
// certificate the CA signed.

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/kube/gateway_client.h"

namespace certforge::bench {

struct IssuanceCheck {
  int requests = 0;              // CertificateRequests in the namespace
  int secrets_checked = 0;       // TLS Secrets found for the Certificates
  int missing_secrets = 0;       // Certificates without a Secret holding tls.crt and tls.key
  int key_mismatches = 0;        // Certificate::MatchesKey false, or unreadable PEM
  int wrong_key_type = 0;        // not ECDSA P-256
  int not_signed_by_ca = 0;      // Certificate::IsSignedBy(CA) false
  int leftover_key_secrets = 0;  // next-private-key Secrets still there
  bool ok(int expected) const {
    return requests == expected && secrets_checked == expected && missing_secrets == 0 &&
           key_mismatches == 0 && wrong_key_type == 0 && not_signed_by_ca == 0;
  }
};

// Checks every Secret named in `secret_names` (all in `ns`) against the CA certificate `ca_pem`.
absl::StatusOr<IssuanceCheck> CheckIssuance(kube::GatewayClient& client, const std::string& ns,
                                            const std::vector<std::string>& secret_names,
                                            const std::string& ca_pem);

}  // namespace certforge::bench
