#pragma once
// What a Certificate's Secret holds once issued, as cert-manager writes it: tls.crt, tls.key
// (PKCS#1 or PKCS#8), ca.crt, the keystores and additional output formats it asks for, and
// the annotations describing the certificate.

#include <array>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/core/time_format.h"

namespace certforge::controller {

struct SecretContentInputs {
  const nlohmann::json& certificate;
  std::string chain_pem;  // the CertificateRequest's status.certificate
  std::string ca_pem;     // its status.ca ("" when the issuer gave none)
  std::string key_pem;    // the next private key (PKCS#8 as stored)
  // Keystore passwords, read by the caller from spec.keystores.*.password(SecretRef).
  std::optional<std::string> pkcs12_password;
  std::optional<std::string> jks_password;
  core::TimePoint now;
  // False: leave the keystores out. Encoding one costs milliseconds (password-based key
  // derivation), and a caller that only checks which keys a Secret has needs KeystoreKeys.
  bool keystores = true;
};

// The Secret's `data`, base64-encoded as stored.
absl::StatusOr<nlohmann::json> BuildSecretData(const SecretContentInputs& inputs);

// Every keystore entry a Secret may hold.
inline constexpr std::array<const char*, 4> kKeystoreEntries = {"keystore.p12", "truststore.p12",
                                                                "keystore.jks", "truststore.jks"};

// The keystore entries `spec` asks for (truststores only with a CA): what BuildSecretData
// encodes, and what a Secret must hold.
std::vector<std::string> KeystoreKeys(const nlohmann::json& spec, bool with_ca);

// cert-manager's annotations for an issued certificate: certificate-name, issuer name/kind/group,
// common-name, alt-names, ip-sans, uri-sans (always) and the e-mail and subject ones when set.
absl::StatusOr<nlohmann::json> SecretAnnotations(const nlohmann::json& certificate,
                                                 const std::string& chain_pem);

// encoding/csv joining, as cert-manager's JoinWithEscapeCSV.
std::string JoinCsv(const std::vector<std::string>& values);

}  // namespace certforge::controller
