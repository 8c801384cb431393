// ValidateCertificateSpec (declared in certificate_spec.h).

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/core/go_duration.h"
#include "lib/pki/address_syntax.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/distinguished_name.h"
#include "lib/pki/ip_address.h"
#include "lib/pki/object_identifier.h"
#include "lib/pki/signature_algorithm.h"

namespace certforge::pki {
namespace {

constexpr char kNoNameMessage[] =
    "at least one of commonName (from the commonName field or from a literalSubject), dnsNames, "
    "emailSANs, ipAddresses, otherNames, or uriSANs must be set";

// Go's %q for the values quoted in these messages.
std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buffer[8];
      std::snprintf(buffer, sizeof(buffer), "\\x%02x", c);
      out += buffer;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

// Go's %#v of a []string field.
std::string GoStrings(const std::vector<std::string>& values) {
  if (values.empty()) return "[]string(nil)";
  std::vector<std::string> quoted;
  for (const std::string& v : values) quoted.push_back(Quote(v));
  return "[]string{" + absl::StrJoin(quoted, ", ") + "}";
}

std::string GoSubject(const X509Subject& s) {
  return absl::StrCat(
      "certmanager.X509Subject{Organizations:", GoStrings(s.organizations),
      ", Countries:", GoStrings(s.countries),
      ", OrganizationalUnits:", GoStrings(s.organizational_units),
      ", Localities:", GoStrings(s.localities), ", Provinces:", GoStrings(s.provinces),
      ", StreetAddresses:", GoStrings(s.street_addresses),
      ", PostalCodes:", GoStrings(s.postal_codes), ", SerialNumber:", Quote(s.serial_number), "}");
}

// Go prints these pointers as addresses; the items are spelled out here instead.
std::string GoConstraintItem(const std::optional<NameConstraintItem>& item) {
  if (!item) return "(*certmanager.NameConstraintItem)(nil)";
  return absl::StrCat("&certmanager.NameConstraintItem{DNSDomains:", GoStrings(item->dns_domains),
                      ", IPRanges:", GoStrings(item->ip_ranges),
                      ", EmailAddresses:", GoStrings(item->email_addresses),
                      ", URIDomains:", GoStrings(item->uri_domains), "}");
}

std::string GoNameConstraints(const NameConstraints& c) {
  return absl::StrCat("certmanager.NameConstraints{Critical:", c.critical ? "true" : "false",
                      ", Permitted:", GoConstraintItem(c.permitted),
                      ", Excluded:", GoConstraintItem(c.excluded), "}");
}

std::string Indexed(const std::string& field, size_t i) { return absl::StrCat(field, "[", i, "]"); }

std::string Invalid(const std::string& field, const std::string& shown_value,
                    const std::string& detail) {
  return absl::StrCat(field, ": Invalid value: ", shown_value, ": ", detail);
}

void ValidateLiteralSubject(const CertificateSpec& spec, std::string& common_name,
                            std::vector<std::string>& out) {
  if (!spec.common_name.empty()) {
    out.push_back(Invalid("spec.commonName", Quote(spec.common_name),
                          "When providing a `LiteralSubject` no `commonName` may be provided."));
  }
  if (!spec.subject.empty()) {
    out.push_back(Invalid("spec.subject", GoSubject(spec.subject),
                          "When providing a `LiteralSubject` no `Subject` properties may be "
                          "provided."));
  }
  absl::StatusOr<RdnSequence> rdns = ParseLiteralSubject(spec.literal_subject);
  if (!rdns.ok()) {
    out.push_back(Invalid("spec.literalSubject", Quote(spec.literal_subject),
                          std::string(rdns.status().message())));
    return;
  }
  for (const RelativeDistinguishedName& rdn : *rdns) {
    for (const NameAttribute& attribute : rdn) {
      if (attribute.oid == "2.5.4.3") common_name = attribute.value;
    }
  }
  for (const RelativeDistinguishedName& rdn : *rdns) {
    for (const NameAttribute& attribute : rdn) {
      if (attribute.oid.empty()) {
        out.push_back(Invalid("spec.literalSubject", Quote(spec.literal_subject),
                              absl::StrCat("Literal subject contains unrecognized key with value [",
                                           attribute.value, "]")));
      }
    }
  }
}

void ValidateNames(const CertificateSpec& spec, std::vector<std::string>& out) {
  for (size_t i = 0; i < spec.ip_addresses.size(); ++i) {
    if (!ParseIpAddress(spec.ip_addresses[i]).ok()) {
      out.push_back(Invalid(Indexed("spec.ipAddresses", i), Quote(spec.ip_addresses[i]),
                            "invalid IP address"));
    }
  }
  for (size_t i = 0; i < spec.email_addresses.size(); ++i) {
    if (absl::Status s = CheckEmailAddress(spec.email_addresses[i]); !s.ok()) {
      out.push_back(Invalid(Indexed("spec.emailAddresses", i), Quote(spec.email_addresses[i]),
                            absl::StrCat("invalid email address: ", s.message())));
    }
  }
  for (size_t i = 0; i < spec.uris.size(); ++i) {
    if (absl::Status s = CheckUri(spec.uris[i]); !s.ok()) {
      out.push_back(Invalid(Indexed("spec.uris", i), Quote(spec.uris[i]),
                            absl::StrCat("invalid URI: ", s.message())));
    }
  }
  for (size_t i = 0; i < spec.other_names.size(); ++i) {
    const OtherName& other = spec.other_names[i];
    std::string field = Indexed("spec.otherNames", i);
    if (other.oid.empty()) out.push_back(field + ".oid: Required value: must be specified");
    if (!HasObjectIdentifierSyntax(other.oid)) {
      out.push_back(Invalid(field + ".oid", Quote(other.oid), "invalid oid syntax"));
    }
    if (other.utf8_value.empty() || !IsValidUtf8(other.utf8_value)) {
      out.push_back(field +
                    ".utf8Value: Required value: must be set to a valid non-empty UTF8 string");
    }
  }
}

void ValidateKey(const CertificateSpec& spec, std::vector<std::string>& out) {
  const PrivateKeySpec& key = spec.private_key;
  if (key.algorithm.empty() || key.algorithm == "RSA") {
    if (key.size > 0 && (key.size < 2048 || key.size > 8192)) {
      out.push_back(Invalid("spec.privateKey.size", std::to_string(key.size),
                            "must be between 2048 and 8192 for rsa keyAlgorithm"));
    }
  } else if (key.algorithm == "ECDSA") {
    if (key.size > 0 && key.size != 256 && key.size != 384 && key.size != 521) {
      out.push_back(absl::StrCat("spec.privateKey.size: Unsupported value: ", key.size,
                                 ": supported values: \"256\", \"384\", \"521\""));
    }
  } else if (key.algorithm != "Ed25519") {
    out.push_back(Invalid("spec.privateKey.algorithm", Quote(key.algorithm),
                          "must be either empty or one of rsa, ecdsa or ed25519"));
  }

  if (spec.signature_algorithm.empty()) return;
  std::string key_algorithm = key.algorithm.empty() ? "RSA" : key.algorithm;
  const char* allowed = nullptr;
  KeyAlgorithm key_type;
  if (key_algorithm == "RSA") {
    allowed = "[SHA256WithRSA SHA384WithRSA SHA512WithRSA]";
    key_type = KeyAlgorithm::kRsa;
  } else if (key_algorithm == "ECDSA") {
    allowed = "[ECDSAWithSHA256 ECDSAWithSHA384 ECDSAWithSHA512]";
    key_type = KeyAlgorithm::kEcdsa;
  } else if (key_algorithm == "Ed25519") {
    allowed = "[PureEd25519]";
    key_type = KeyAlgorithm::kEd25519;
  } else {
    return;  // an unknown key algorithm is reported above
  }
  absl::StatusOr<KeyAlgorithm> signature_key = SignatureAlgorithmKeyType(spec.signature_algorithm);
  if (!signature_key.ok() || *signature_key != key_type) {
    out.push_back(Invalid("spec.signatureAlgorithm", Quote(spec.signature_algorithm),
                          absl::StrCat("for key algorithm ", key_algorithm,
                                       " the allowed signature algorithms are ", allowed)));
  }
}

void ValidateNameConstraintItem(const std::optional<NameConstraintItem>& item,
                                const std::string& field, std::vector<std::string>& out) {
  if (!item) return;
  for (size_t i = 0; i < item->ip_ranges.size(); ++i) {
    if (!ParseCidr(item->ip_ranges[i]).ok()) {
      out.push_back(Invalid(Indexed(field + ".ipRanges", i), Quote(item->ip_ranges[i]),
                            "invalid CIDR address"));
    }
  }
}

void ValidateNameConstraints(const CertificateSpec& spec, std::vector<std::string>& out) {
  if (!spec.name_constraints) return;
  const NameConstraints& constraints = *spec.name_constraints;
  if (!spec.is_ca) {
    out.push_back(Invalid("spec.nameConstraints", GoNameConstraints(constraints),
                          "isCA should be true when nameConstraints is set"));
  }
  if (!constraints.permitted && !constraints.excluded) {
    out.push_back(Invalid("spec.nameConstraints", GoNameConstraints(constraints),
                          "either permitted or excluded must be set"));
  }
  ValidateNameConstraintItem(constraints.permitted, "spec.nameConstraints.permitted", out);
  ValidateNameConstraintItem(constraints.excluded, "spec.nameConstraints.excluded", out);
}

}  // namespace

std::vector<std::string> ValidateCertificateSpec(const CertificateSpec& spec) {
  std::vector<std::string> out;
  std::string common_name = spec.common_name;
  if (!spec.literal_subject.empty()) ValidateLiteralSubject(spec, common_name, out);

  if (common_name.empty() && spec.dns_names.empty() && spec.uris.empty() &&
      spec.email_addresses.empty() && spec.ip_addresses.empty() && spec.other_names.empty()) {
    out.push_back(Invalid("spec", "\"\"", kNoNameMessage));
  }
  if (common_name.size() > 64) {
    out.push_back("spec.commonName: Too long: must have at most 64 bytes");
  }
  ValidateNames(spec, out);
  ValidateKey(spec, out);

  if (spec.duration && *spec.duration < kMinimumCertificateDuration) {
    out.push_back(Invalid("spec.duration", core::FormatGoDuration(*spec.duration),
                          absl::StrCat("certificate duration must be greater than ",
                                       core::FormatGoDuration(kMinimumCertificateDuration))));
  }
  for (size_t i = 0; i < spec.usages.size(); ++i) {
    if (!KeyUsageFromName(spec.usages[i]) && !ExtKeyUsageFromName(spec.usages[i])) {
      out.push_back(Invalid(Indexed("spec.usages", i), Quote(spec.usages[i]), "unknown keyusage"));
    }
  }
  ValidateNameConstraints(spec, out);
  return out;
}

}  // namespace certforge::pki
