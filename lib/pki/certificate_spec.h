#pragma once
// The fields of a cert-manager Certificate's spec that shape the X.509 content, as read from the
// resource's JSON. Values are kept as cert-manager's strings (usages, algorithms) so that
// validation can report what the user wrote.

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/key_usage.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

// cert-manager's DefaultCertificateDuration and MinimumCertificateDuration.
inline constexpr std::chrono::nanoseconds kDefaultCertificateDuration = std::chrono::hours(24 * 90);
inline constexpr std::chrono::nanoseconds kMinimumCertificateDuration = std::chrono::hours(1);

struct X509Subject {
  std::vector<std::string> organizations;
  std::vector<std::string> countries;
  std::vector<std::string> organizational_units;
  std::vector<std::string> localities;
  std::vector<std::string> provinces;
  std::vector<std::string> street_addresses;
  std::vector<std::string> postal_codes;
  std::string serial_number;

  bool empty() const;
  bool operator==(const X509Subject&) const = default;
};

struct OtherName {
  std::string oid;  // dotted decimal
  std::string utf8_value;
  bool operator==(const OtherName&) const = default;
};

struct NameConstraintItem {
  std::vector<std::string> dns_domains;
  std::vector<std::string> ip_ranges;  // CIDR
  std::vector<std::string> email_addresses;
  std::vector<std::string> uri_domains;

  bool empty() const;
  bool operator==(const NameConstraintItem&) const = default;
};

struct NameConstraints {
  bool critical = false;
  std::optional<NameConstraintItem> permitted;
  std::optional<NameConstraintItem> excluded;

  // True when neither list holds anything (cert-manager then writes no extension).
  bool empty() const;
  bool operator==(const NameConstraints&) const = default;
};

struct PrivateKeySpec {
  std::string algorithm;  // "", "RSA", "ECDSA" or "Ed25519" ("" means RSA)
  int size = 0;           // 0 means the algorithm's default
  std::string encoding;   // "", "PKCS1" or "PKCS8"
  bool operator==(const PrivateKeySpec&) const = default;
};

struct CertificateSpec {
  std::string common_name;
  X509Subject subject;
  std::string literal_subject;  // RFC 4514; exclusive with subject and common_name
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;
  std::vector<std::string> uris;
  std::vector<std::string> email_addresses;
  std::vector<OtherName> other_names;
  std::optional<std::chrono::nanoseconds> duration;  // unset: 90 days
  bool is_ca = false;
  std::vector<std::string> usages;  // cert-manager's names; empty: the default pair
  PrivateKeySpec private_key;
  std::string signature_algorithm;  // "" or SHA256WithRSA, ..., ECDSAWithSHA256, ..., PureEd25519
  bool encode_usages_in_request = true;
  std::optional<NameConstraints> name_constraints;

  bool operator==(const CertificateSpec&) const = default;
};

// Reads a Certificate's `.spec` object (cert-manager's JSON names, durations in Go form).
// Fields that do not shape the certificate (secretName, issuerRef, ...) are ignored; a field of
// the wrong JSON type is InvalidArgument naming it ("spec.dnsNames: expected an array of
// strings").
absl::StatusOr<CertificateSpec> CertificateSpecFromJson(const nlohmann::json& certificate_spec);

// cert-manager's webhook checks of these fields (internal/apis/certmanager/validation,
// ValidateCertificateSpec), as "<field>: <problem>" messages in its words, e.g.
// `spec.ipAddresses[0]: Invalid value: "10.0.0": invalid IP address`. Empty when valid. Also
// refuses URIs that Go's x509 would not parse back (cert-manager finds those later, when the
// CSR is decoded). Not checked here: secretName, issuerRef, renewBefore and the other fields
// outside this struct.
std::vector<std::string> ValidateCertificateSpec(const CertificateSpec& spec);

// The duration the certificate is requested for: spec.duration, or 90 days.
std::chrono::nanoseconds EffectiveDuration(const CertificateSpec& spec);

// The key the spec asks for, with cert-manager's defaults (RSA 2048, ECDSA 256): InvalidArgument
// for an unknown algorithm.
absl::StatusOr<KeyAlgorithm> SpecKeyAlgorithm(const CertificateSpec& spec);
absl::StatusOr<int> SpecKeySize(const CertificateSpec& spec);

// The key usages the spec's certificate carries (default pair when none; isCA adds cert sign).
absl::StatusOr<Usages> SpecUsages(const CertificateSpec& spec);

}  // namespace certforge::pki
