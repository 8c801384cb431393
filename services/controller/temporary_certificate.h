#pragma once
// The placeholder certificate cert-manager writes while a real one is being issued, when a
// Certificate carries cert-manager.io/issue-temporary-certificate: "true" (ingress controllers
// then have something to serve): signed by a throw-away ECDSA P-521 CA named cert-manager.local,
// with the spec's names and subject serialNumber 1234567890.

#include <string>

#include "absl/status/statusor.h"
#include "lib/core/time_format.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/private_key.h"

namespace certforge::controller {

// The certificate's PEM, for `key`.
absl::StatusOr<std::string> TemporaryCertificate(const pki::CertificateSpec& spec,
                                                 const pki::PrivateKey& key, core::TimePoint now);

}  // namespace certforge::controller
