#pragma once
// Builds and signs X.509 v3 certificates: self-signed, or issued by a CA certificate and key.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/pki/certificate.h"
#include "lib/pki/key_usage.h"
#include "lib/pki/private_key.h"
#include "lib/pki/public_key.h"

namespace certforge::pki {

// Setters only record values; SignSelf/SignWith (or Validate) check them and report the first
// problem as InvalidArgument. One builder can sign many certificates.
class CertificateBuilder {
 public:
  using TimePoint = std::chrono::system_clock::time_point;

  CertificateBuilder& SetCommonName(std::string common_name);  // at most 64 characters
  CertificateBuilder& SetOrganizations(std::vector<std::string> organizations);
  CertificateBuilder& SetDnsNames(std::vector<std::string> dns_names);
  // Text IPv4/IPv6 addresses.
  CertificateBuilder& SetIpAddresses(std::vector<std::string> ip_addresses);
  // Required. Whole seconds; any backdating of not_before is the caller's choice.
  CertificateBuilder& SetValidity(TimePoint not_before, TimePoint not_after);
  // Big-endian unsigned bytes (1 to 20, not zero). Default: 128 random bits, new per signature.
  CertificateBuilder& SetSerialNumber(std::string big_endian);
  // basicConstraints (always written, critical). A path length only goes with is_ca.
  CertificateBuilder& SetIsCa(bool is_ca, std::optional<int> max_path_length = std::nullopt);
  // keyUsage (critical) and extendedKeyUsage; each is left out when empty.
  CertificateBuilder& SetKeyUsages(std::vector<KeyUsage> usages);
  CertificateBuilder& SetExtKeyUsages(std::vector<ExtKeyUsage> usages);
  // Default: the SHA-1 of the subject's public key bits. "" leaves the extension out.
  CertificateBuilder& SetSubjectKeyId(std::string id);
  // Default: the issuer's subject key id for SignWith (its key's SHA-1 if it has none) and no
  // authorityKeyIdentifier for SignSelf, as Go's crypto/x509 does. "" leaves it out.
  CertificateBuilder& SetAuthorityKeyId(std::string id);

  absl::Status Validate() const;

  // Issuer = subject, signed by `key`, whose public half is the subject key.
  absl::StatusOr<Certificate> SignSelf(const PrivateKey& key) const;
  // Issued by `issuer` (whose key `issuer_key` must be) for the subject key given.
  absl::StatusOr<Certificate> SignWith(const Certificate& issuer, const PrivateKey& issuer_key,
                                       const PrivateKey& subject_public_key) const;
  // Same, with the subject key given encoded (e.g. copied from a CSR: the fast path).
  absl::StatusOr<Certificate> SignWith(const Certificate& issuer, const PrivateKey& issuer_key,
                                       const PublicKey& subject_public_key) const;

 private:
  absl::StatusOr<Certificate> Sign(const PublicKey& subject_key, const X509_NAME* issuer_name,
                                   const std::string& authority_key_id,
                                   const PrivateKey& signer) const;

  std::string common_name_;
  std::vector<std::string> organizations_;
  std::vector<std::string> dns_names_;
  std::vector<std::string> ip_addresses_;
  std::optional<TimePoint> not_before_;
  std::optional<TimePoint> not_after_;
  std::optional<std::string> serial_;
  bool is_ca_ = false;
  std::optional<int> max_path_length_;
  std::vector<KeyUsage> key_usages_;
  std::vector<ExtKeyUsage> ext_key_usages_;
  std::optional<std::string> subject_key_id_;
  std::optional<std::string> authority_key_id_;
};

}  // namespace certforge::pki
