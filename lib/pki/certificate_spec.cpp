#include "lib/pki/certificate_spec.h"

#include <string_view>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/core/go_duration.h"
#include "lib/pki/status_macros.h"

namespace certforge::pki {
namespace {

using Json = nlohmann::json;

// One JSON object being read, with the path used in error messages.
class FieldReader {
 public:
  FieldReader(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

  const Json* Find(std::string_view name) const {
    auto it = object_.find(name);
    if (it == object_.end() || it->is_null()) return nullptr;
    return &*it;
  }

  std::string Path(std::string_view name) const { return path_ + "." + std::string(name); }

  absl::Status String(std::string_view name, std::string& out) const {
    const Json* value = Find(name);
    if (value == nullptr) return absl::OkStatus();
    if (!value->is_string()) return TypeError(name, "a string");
    out = value->get<std::string>();
    return absl::OkStatus();
  }

  absl::Status Strings(std::string_view name, std::vector<std::string>& out) const {
    const Json* value = Find(name);
    if (value == nullptr) return absl::OkStatus();
    if (!value->is_array()) return TypeError(name, "an array of strings");
    out.clear();
    for (const Json& item : *value) {
      if (!item.is_string()) return TypeError(name, "an array of strings");
      out.push_back(item.get<std::string>());
    }
    return absl::OkStatus();
  }

  absl::Status Bool(std::string_view name, bool& out) const {
    const Json* value = Find(name);
    if (value == nullptr) return absl::OkStatus();
    if (!value->is_boolean()) return TypeError(name, "a boolean");
    out = value->get<bool>();
    return absl::OkStatus();
  }

  absl::Status Int(std::string_view name, int& out) const {
    const Json* value = Find(name);
    if (value == nullptr) return absl::OkStatus();
    if (!value->is_number_integer()) return TypeError(name, "an integer");
    long long v = value->get<long long>();
    if (v < INT32_MIN || v > INT32_MAX) return TypeError(name, "a 32-bit integer");
    out = static_cast<int>(v);
    return absl::OkStatus();
  }

  absl::Status Object(std::string_view name, const Json*& out) const {
    out = Find(name);
    if (out != nullptr && !out->is_object()) return TypeError(name, "an object");
    return absl::OkStatus();
  }

  absl::Status TypeError(std::string_view name, std::string_view expected) const {
    return absl::InvalidArgumentError(Path(name) + ": expected " + std::string(expected));
  }

 private:
  const Json& object_;
  std::string path_;
};

absl::Status ReadSubject(const FieldReader& spec, X509Subject& out) {
  const Json* object = nullptr;
  CF_RETURN_IF_ERROR(spec.Object("subject", object));
  if (object == nullptr) return absl::OkStatus();
  FieldReader r(*object, spec.Path("subject"));
  CF_RETURN_IF_ERROR(r.Strings("organizations", out.organizations));
  CF_RETURN_IF_ERROR(r.Strings("countries", out.countries));
  CF_RETURN_IF_ERROR(r.Strings("organizationalUnits", out.organizational_units));
  CF_RETURN_IF_ERROR(r.Strings("localities", out.localities));
  CF_RETURN_IF_ERROR(r.Strings("provinces", out.provinces));
  CF_RETURN_IF_ERROR(r.Strings("streetAddresses", out.street_addresses));
  CF_RETURN_IF_ERROR(r.Strings("postalCodes", out.postal_codes));
  return r.String("serialNumber", out.serial_number);
}

absl::Status ReadOtherNames(const FieldReader& spec, std::vector<OtherName>& out) {
  const Json* list = spec.Find("otherNames");
  if (list == nullptr) return absl::OkStatus();
  if (!list->is_array()) return spec.TypeError("otherNames", "an array");
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    std::string path = absl::StrCat(spec.Path("otherNames"), "[", i, "]");
    if (!item.is_object()) return absl::InvalidArgumentError(path + ": expected an object");
    FieldReader r(item, path);
    OtherName name;
    CF_RETURN_IF_ERROR(r.String("oid", name.oid));
    CF_RETURN_IF_ERROR(r.String("utf8Value", name.utf8_value));
    out.push_back(std::move(name));
  }
  return absl::OkStatus();
}

absl::Status ReadNameConstraintItem(const FieldReader& parent, std::string_view name,
                                    std::optional<NameConstraintItem>& out) {
  const Json* object = nullptr;
  CF_RETURN_IF_ERROR(parent.Object(name, object));
  if (object == nullptr) return absl::OkStatus();
  FieldReader r(*object, parent.Path(name));
  NameConstraintItem item;
  CF_RETURN_IF_ERROR(r.Strings("dnsDomains", item.dns_domains));
  CF_RETURN_IF_ERROR(r.Strings("ipRanges", item.ip_ranges));
  CF_RETURN_IF_ERROR(r.Strings("emailAddresses", item.email_addresses));
  CF_RETURN_IF_ERROR(r.Strings("uriDomains", item.uri_domains));
  out = std::move(item);
  return absl::OkStatus();
}

absl::Status ReadNameConstraints(const FieldReader& spec, std::optional<NameConstraints>& out) {
  const Json* object = nullptr;
  CF_RETURN_IF_ERROR(spec.Object("nameConstraints", object));
  if (object == nullptr) return absl::OkStatus();
  FieldReader r(*object, spec.Path("nameConstraints"));
  NameConstraints constraints;
  CF_RETURN_IF_ERROR(r.Bool("critical", constraints.critical));
  CF_RETURN_IF_ERROR(ReadNameConstraintItem(r, "permitted", constraints.permitted));
  CF_RETURN_IF_ERROR(ReadNameConstraintItem(r, "excluded", constraints.excluded));
  out = std::move(constraints);
  return absl::OkStatus();
}

absl::Status ReadPrivateKey(const FieldReader& spec, PrivateKeySpec& out) {
  const Json* object = nullptr;
  CF_RETURN_IF_ERROR(spec.Object("privateKey", object));
  if (object == nullptr) return absl::OkStatus();
  FieldReader r(*object, spec.Path("privateKey"));
  CF_RETURN_IF_ERROR(r.String("algorithm", out.algorithm));
  CF_RETURN_IF_ERROR(r.Int("size", out.size));
  return r.String("encoding", out.encoding);
}

absl::Status ReadDuration(const FieldReader& spec, std::optional<std::chrono::nanoseconds>& out) {
  std::string text;
  if (spec.Find("duration") == nullptr) return absl::OkStatus();
  CF_RETURN_IF_ERROR(spec.String("duration", text));
  absl::StatusOr<std::chrono::nanoseconds> parsed = core::ParseGoDuration(text);
  if (!parsed.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat(spec.Path("duration"), ": ", parsed.status().message()));
  }
  out = *parsed;
  return absl::OkStatus();
}

}  // namespace

bool X509Subject::empty() const {
  return organizations.empty() && countries.empty() && organizational_units.empty() &&
         localities.empty() && provinces.empty() && street_addresses.empty() &&
         postal_codes.empty() && serial_number.empty();
}

bool NameConstraintItem::empty() const {
  return dns_domains.empty() && ip_ranges.empty() && email_addresses.empty() && uri_domains.empty();
}

bool NameConstraints::empty() const {
  return (!permitted || permitted->empty()) && (!excluded || excluded->empty());
}

absl::StatusOr<CertificateSpec> CertificateSpecFromJson(const nlohmann::json& certificate_spec) {
  if (!certificate_spec.is_object()) return absl::InvalidArgumentError("spec: expected an object");
  FieldReader r(certificate_spec, "spec");
  CertificateSpec spec;
  CF_RETURN_IF_ERROR(r.String("commonName", spec.common_name));
  CF_RETURN_IF_ERROR(ReadSubject(r, spec.subject));
  CF_RETURN_IF_ERROR(r.String("literalSubject", spec.literal_subject));
  CF_RETURN_IF_ERROR(r.Strings("dnsNames", spec.dns_names));
  CF_RETURN_IF_ERROR(r.Strings("ipAddresses", spec.ip_addresses));
  CF_RETURN_IF_ERROR(r.Strings("uris", spec.uris));
  CF_RETURN_IF_ERROR(r.Strings("emailAddresses", spec.email_addresses));
  CF_RETURN_IF_ERROR(ReadOtherNames(r, spec.other_names));
  CF_RETURN_IF_ERROR(ReadDuration(r, spec.duration));
  CF_RETURN_IF_ERROR(r.Bool("isCA", spec.is_ca));
  CF_RETURN_IF_ERROR(r.Strings("usages", spec.usages));
  CF_RETURN_IF_ERROR(ReadPrivateKey(r, spec.private_key));
  CF_RETURN_IF_ERROR(r.String("signatureAlgorithm", spec.signature_algorithm));
  CF_RETURN_IF_ERROR(r.Bool("encodeUsagesInRequest", spec.encode_usages_in_request));
  CF_RETURN_IF_ERROR(ReadNameConstraints(r, spec.name_constraints));
  return spec;
}

std::chrono::nanoseconds EffectiveDuration(const CertificateSpec& spec) {
  return spec.duration.value_or(kDefaultCertificateDuration);
}

absl::StatusOr<KeyAlgorithm> SpecKeyAlgorithm(const CertificateSpec& spec) {
  const std::string& algorithm = spec.private_key.algorithm;
  if (algorithm.empty() || algorithm == "RSA") return KeyAlgorithm::kRsa;
  if (algorithm == "ECDSA") return KeyAlgorithm::kEcdsa;
  if (algorithm == "Ed25519") return KeyAlgorithm::kEd25519;
  return absl::InvalidArgumentError(
      absl::StrCat("unsupported private key algorithm specified: ", algorithm));
}

absl::StatusOr<int> SpecKeySize(const CertificateSpec& spec) {
  absl::StatusOr<KeyAlgorithm> algorithm = SpecKeyAlgorithm(spec);
  if (!algorithm.ok()) return algorithm.status();
  int size = spec.private_key.size;
  switch (*algorithm) {
    case KeyAlgorithm::kRsa:
      return size > 0 ? size : 2048;
    case KeyAlgorithm::kEcdsa:
      return size > 0 ? size : 256;
    case KeyAlgorithm::kEd25519:
      return 0;
  }
  return 0;
}

absl::StatusOr<Usages> SpecUsages(const CertificateSpec& spec) {
  return UsagesFromNames(spec.usages, spec.is_ca);
}

}  // namespace certforge::pki
