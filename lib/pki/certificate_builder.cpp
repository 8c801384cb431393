#include "lib/pki/certificate_builder.h"

#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/ip_address.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/x509_extensions.h"

namespace certforge::pki {
namespace {

constexpr size_t kRandomSerialBytes = 16;
constexpr size_t kMaxSerialBytes = 20;  // RFC 5280 4.1.2.2

absl::StatusOr<std::string> RandomSerial() {
  std::string serial(kRandomSerialBytes, '\0');
  if (RAND_bytes(reinterpret_cast<unsigned char*>(serial.data()),
                 static_cast<int>(serial.size())) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "drawing a random serial number");
  }
  if (std::all_of(serial.begin(), serial.end(), [](char c) { return c == '\0'; })) {
    serial.back() = 1;  // zero is not a valid serial
  }
  return serial;
}

// dNSName is an IA5String: printable ASCII without spaces.
bool IsValidDnsName(const std::string& name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return static_cast<unsigned char>(c) > 0x20 && static_cast<unsigned char>(c) < 0x7f;
  });
}

absl::Status SetSerial(X509* x509, const std::string& big_endian) {
  BignumPtr number(BN_bin2bn(reinterpret_cast<const unsigned char*>(big_endian.data()),
                             static_cast<int>(big_endian.size()), nullptr));
  if (!number || BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(x509)) == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal, "setting serial number");
  }
  return absl::OkStatus();
}

absl::Status SetTime(ASN1_TIME* field, std::chrono::system_clock::time_point t) {
  time_t seconds = std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
  if (ASN1_TIME_set(field, seconds) == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "validity time out of range");
  }
  return absl::OkStatus();
}

absl::Status AddNameEntry(X509_NAME* name, int nid, const std::string& value) {
  if (X509_NAME_add_entry_by_NID(name, nid, MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(value.data()),
                                 static_cast<int>(value.size()), -1, 0) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("invalid ", OBJ_nid2ln(nid), " \"", value, "\""));
  }
  return absl::OkStatus();
}

}  // namespace

CertificateBuilder& CertificateBuilder::SetCommonName(std::string common_name) {
  common_name_ = std::move(common_name);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetOrganizations(std::vector<std::string> organizations) {
  organizations_ = std::move(organizations);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetDnsNames(std::vector<std::string> dns_names) {
  dns_names_ = std::move(dns_names);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetIpAddresses(std::vector<std::string> ip_addresses) {
  ip_addresses_ = std::move(ip_addresses);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetValidity(TimePoint not_before, TimePoint not_after) {
  not_before_ = not_before;
  not_after_ = not_after;
  return *this;
}

CertificateBuilder& CertificateBuilder::SetSerialNumber(std::string big_endian) {
  serial_ = std::move(big_endian);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetIsCa(bool is_ca, std::optional<int> max_path_length) {
  is_ca_ = is_ca;
  max_path_length_ = max_path_length;
  return *this;
}

CertificateBuilder& CertificateBuilder::SetKeyUsages(std::vector<KeyUsage> usages) {
  key_usages_ = std::move(usages);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetExtKeyUsages(std::vector<ExtKeyUsage> usages) {
  ext_key_usages_ = std::move(usages);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetSubjectKeyId(std::string id) {
  subject_key_id_ = std::move(id);
  return *this;
}

CertificateBuilder& CertificateBuilder::SetAuthorityKeyId(std::string id) {
  authority_key_id_ = std::move(id);
  return *this;
}

absl::Status CertificateBuilder::Validate() const {
  if (!not_before_ || !not_after_) return absl::InvalidArgumentError("validity is not set");
  if (*not_after_ <= *not_before_) {
    return absl::InvalidArgumentError("validity ends before it starts");
  }
  for (const std::string& name : dns_names_) {
    if (!IsValidDnsName(name)) {
      return absl::InvalidArgumentError(absl::StrCat("invalid DNS name \"", name, "\""));
    }
  }
  for (const std::string& ip : ip_addresses_) {
    if (absl::StatusOr<std::string> octets = ParseIpAddress(ip); !octets.ok()) {
      return octets.status();
    }
  }
  if (serial_) {
    bool zero = std::all_of(serial_->begin(), serial_->end(), [](char c) { return c == '\0'; });
    if (zero || serial_->size() > kMaxSerialBytes) {
      return absl::InvalidArgumentError("serial number must be 1 to 20 bytes and not zero");
    }
  }
  if (max_path_length_ && (!is_ca_ || *max_path_length_ < 0)) {
    return absl::InvalidArgumentError("a path length needs isCA and must not be negative");
  }
  return absl::OkStatus();
}

absl::StatusOr<Certificate> CertificateBuilder::SignSelf(const PrivateKey& key) const {
  absl::StatusOr<PublicKey> subject_key = PublicKey::FromPrivateKey(key);
  if (!subject_key.ok()) return subject_key.status();
  return Sign(*subject_key, nullptr, authority_key_id_.value_or(""), key);
}

absl::StatusOr<Certificate> CertificateBuilder::SignWith(
    const Certificate& issuer, const PrivateKey& issuer_key,
    const PrivateKey& subject_public_key) const {
  absl::StatusOr<PublicKey> subject_key = PublicKey::FromPrivateKey(subject_public_key);
  if (!subject_key.ok()) return subject_key.status();
  return SignWith(issuer, issuer_key, *subject_key);
}

absl::StatusOr<Certificate> CertificateBuilder::SignWith(
    const Certificate& issuer, const PrivateKey& issuer_key,
    const PublicKey& subject_public_key) const {
  if (!issuer.MatchesKey(issuer_key)) {
    return absl::InvalidArgumentError("the issuer key does not belong to the issuer certificate");
  }
  std::string authority_key_id;
  if (authority_key_id_) {
    authority_key_id = *authority_key_id_;
  } else {
    authority_key_id = issuer.SubjectKeyId();
    if (authority_key_id.empty()) {
      absl::StatusOr<PublicKey> issuer_public = PublicKey::CopyOf(issuer.EncodedPublicKey());
      if (!issuer_public.ok()) return issuer_public.status();
      authority_key_id = KeyIdentifier(issuer_public->KeyBits());
    }
  }
  return Sign(subject_public_key, X509_get_subject_name(issuer.raw()), authority_key_id,
              issuer_key);
}

absl::StatusOr<Certificate> CertificateBuilder::Sign(const PublicKey& subject_key,
                                                     const X509_NAME* issuer_name,
                                                     const std::string& authority_key_id,
                                                     const PrivateKey& signer) const {
  if (absl::Status valid = Validate(); !valid.ok()) return valid;
  X509Ptr x509(X509_new());
  if (!x509 || X509_set_version(x509.get(), X509_VERSION_3) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating certificate");
  }
  X509* x = x509.get();

  absl::StatusOr<std::string> serial = serial_ ? *serial_ : RandomSerial();
  if (!serial.ok()) return serial.status();
  if (absl::Status s = SetSerial(x, *serial); !s.ok()) return s;
  if (absl::Status s = SetTime(X509_getm_notBefore(x), *not_before_); !s.ok()) return s;
  if (absl::Status s = SetTime(X509_getm_notAfter(x), *not_after_); !s.ok()) return s;

  // Go's (and so cert-manager's) RDN order: organization before common name.
  X509_NAME* subject = X509_get_subject_name(x);
  for (const std::string& organization : organizations_) {
    if (absl::Status s = AddNameEntry(subject, NID_organizationName, organization); !s.ok()) {
      return s;
    }
  }
  if (!common_name_.empty()) {
    if (absl::Status s = AddNameEntry(subject, NID_commonName, common_name_); !s.ok()) return s;
  }
  if (X509_set_issuer_name(x, issuer_name != nullptr ? issuer_name : subject) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "setting issuer name");
  }

  // The subject key is copied in its encoded form rather than with X509_set_pubkey, which on
  // OpenSSL 3.0 re-encodes through the provider encoder at ~10x the cost of the signature.
  if (absl::Status s = subject_key.CopyInto(X509_get_X509_PUBKEY(x)); !s.ok()) return s;

  if (!key_usages_.empty()) {
    if (absl::Status s = AddKeyUsage(x, key_usages_); !s.ok()) return s;
  }
  if (!ext_key_usages_.empty()) {
    if (absl::Status s = AddExtKeyUsage(x, ext_key_usages_); !s.ok()) return s;
  }
  if (absl::Status s = AddBasicConstraints(x, is_ca_, max_path_length_); !s.ok()) return s;
  std::string subject_key_id;
  if (subject_key_id_) {
    subject_key_id = *subject_key_id_;
  } else {
    subject_key_id = KeyIdentifier(subject_key.KeyBits());
    if (subject_key_id.empty()) {
      return absl::InternalError("hashing the subject key for its identifier failed");
    }
  }
  if (!subject_key_id.empty()) {
    if (absl::Status s = AddSubjectKeyId(x, subject_key_id); !s.ok()) return s;
  }
  if (!authority_key_id.empty()) {
    if (absl::Status s = AddAuthorityKeyId(x, authority_key_id); !s.ok()) return s;
  }
  if (!dns_names_.empty() || !ip_addresses_.empty()) {
    std::vector<std::string> ip_octets;
    for (const std::string& ip : ip_addresses_) ip_octets.push_back(*ParseIpAddress(ip));
    bool empty_subject = X509_NAME_entry_count(subject) == 0;
    if (absl::Status s = AddSubjectAltNames(x, dns_names_, ip_octets, empty_subject); !s.ok()) {
      return s;
    }
  }

  if (X509_sign(x, signer.get(), SignatureDigest(signer)) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "signing certificate");
  }
  return Certificate(std::move(x509), false);
}

}  // namespace certforge::pki
