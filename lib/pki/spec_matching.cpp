#include "lib/pki/spec_matching.h"

#include <openssl/x509v3.h>

#include <algorithm>
#include <set>
#include <utility>

#include "lib/pki/certificate_names.h"
#include "lib/pki/distinguished_name.h"
#include "lib/pki/general_names.h"
#include "lib/pki/ip_address.h"
#include "lib/pki/name_constraints.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {
namespace {

template <typename T>
bool EqualUnsorted(std::vector<T> a, std::vector<T> b) {
  if (a.size() != b.size()) return false;
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

// 16-octet form of an IP, as Go's EqualIPsUnsorted compares them; "" for a value that is not
// an IP (net.ParseIP's nil).
std::string Ip16(const std::string& text) {
  absl::StatusOr<std::string> octets = ParseIpAddress(text);
  if (!octets.ok()) return {};
  if (octets->size() == 4) return std::string("\0\0\0\0\0\0\0\0\0\0\xff\xff", 12) + *octets;
  return *octets;
}

bool IpsMatch(const std::vector<std::string>& issued, const std::vector<std::string>& spec) {
  std::vector<std::string> a;
  std::vector<std::string> b;
  for (const std::string& ip : issued) a.push_back(Ip16(ip));
  for (const std::string& ip : spec) b.push_back(Ip16(ip));
  return EqualUnsorted(a, b);
}

std::vector<std::pair<std::string, std::string>> OtherNamePairs(const std::vector<OtherName>& v) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const OtherName& name : v) out.emplace_back(name.oid, name.utf8_value);
  return out;
}

bool OtherNamesMatch(const SubjectAltNames& names, const std::vector<OtherName>& spec) {
  if (names.has_other_name_of_other_type) return false;
  return EqualUnsorted(OtherNamePairs(names.other_names), OtherNamePairs(spec));
}

// RequestMatchesSpec's name checks, in its order.
void CompareNames(const SubjectAltNames& names, const CertificateSpec& spec,
                  bool other_names_always, std::vector<std::string>& out) {
  if (!IpsMatch(names.ip_addresses, spec.ip_addresses)) out.push_back("spec.ipAddresses");
  if (!EqualUnsorted(names.uris, spec.uris)) out.push_back("spec.uris");
  if (!EqualUnsorted(names.email_addresses, spec.email_addresses)) {
    out.push_back("spec.emailAddresses");
  }
  if (!EqualUnsorted(names.dns_names, spec.dns_names)) out.push_back("spec.dnsNames");
  if ((other_names_always || !spec.other_names.empty()) &&
      !OtherNamesMatch(names, spec.other_names)) {
    out.push_back("spec.otherNames");
  }
}

// Go's pkix.Name keeps the last CN and serial number it reads.
std::string LastValue(const X509_NAME* name, int nid) {
  std::vector<std::string> values = NameValues(name, nid);
  return values.empty() ? std::string() : values.back();
}

void CompareSubject(const X509_NAME* subject, std::string_view subject_der,
                    const CertificateSpec& spec, std::vector<std::string>& out) {
  if (!spec.literal_subject.empty()) {
    absl::StatusOr<RdnSequence> rdns = ParseLiteralSubject(spec.literal_subject);
    absl::StatusOr<std::string> der =
        rdns.ok() ? RdnSequenceDer(*rdns) : absl::StatusOr<std::string>(rdns.status());
    if (!der.ok() || *der != subject_der) out.push_back("spec.literalSubject");
    return;
  }
  const X509Subject& s = spec.subject;
  struct Field {
    int nid;
    const std::vector<std::string>* values;
    const char* name;
  };
  if (LastValue(subject, NID_commonName) != spec.common_name) out.push_back("spec.commonName");
  if (LastValue(subject, NID_serialNumber) != s.serial_number) {
    out.push_back("spec.subject.serialNumber");
  }
  const Field fields[] = {
      {NID_organizationName, &s.organizations, "spec.subject.organizations"},
      {NID_countryName, &s.countries, "spec.subject.countries"},
      {NID_localityName, &s.localities, "spec.subject.localities"},
      {NID_organizationalUnitName, &s.organizational_units, "spec.subject.organizationalUnits"},
      {NID_postalCode, &s.postal_codes, "spec.subject.postCodes"},  // sic, as cert-manager
      {NID_stateOrProvinceName, &s.provinces, "spec.subject.provinces"},
      {NID_streetAddress, &s.street_addresses, "spec.subject.streetAddresses"},
  };
  for (const Field& field : fields) {
    if (!EqualUnsorted(NameValues(subject, field.nid), *field.values)) out.push_back(field.name);
  }
}

// The DER value and criticality of the nameConstraints extension the spec asks for; nullopt
// when it asks for none.
std::optional<std::pair<std::string, bool>> SpecNameConstraints(const CertificateSpec& spec) {
  if (!spec.name_constraints || spec.name_constraints->empty()) return std::nullopt;
  STACK_OF(X509_EXTENSION)* list = nullptr;
  absl::Status added = AddNameConstraints(&list, *spec.name_constraints);
  X509ExtensionStackPtr owned(list);
  if (!added.ok() || sk_X509_EXTENSION_num(list) != 1) return std::make_pair(std::string(), false);
  X509_EXTENSION* ext = sk_X509_EXTENSION_value(list, 0);
  return std::make_pair(std::string(Asn1Bytes(X509_EXTENSION_get_data(ext))),
                        spec.name_constraints->critical);
}

std::optional<std::pair<std::string, bool>> ExtensionValue(const STACK_OF(X509_EXTENSION) * list,
                                                           int nid) {
  int index = X509v3_get_ext_by_NID(list, nid, -1);
  if (index < 0) return std::nullopt;
  X509_EXTENSION* ext = X509v3_get_ext(list, index);
  return std::make_pair(std::string(Asn1Bytes(X509_EXTENSION_get_data(ext))),
                        X509_EXTENSION_get_critical(ext) == 1);
}

bool UsagesMatch(const std::vector<KeyUsage>& key_usages,
                 const std::vector<ExtKeyUsage>& ext_key_usages, const CertificateSpec& spec) {
  absl::StatusOr<Usages> expected = SpecUsages(spec);
  if (!expected.ok()) return false;
  std::set<KeyUsage> have(key_usages.begin(), key_usages.end());
  std::set<KeyUsage> want(expected->key_usages.begin(), expected->key_usages.end());
  return have == want && EqualUnsorted(ext_key_usages, expected->ext_key_usages);
}

}  // namespace

std::vector<std::string> RequestMatchesSpec(const ParsedCsr& csr,
                                            const CertificateRequestFields& request,
                                            const CertificateSpec& spec) {
  std::vector<std::string> out;
  CompareNames(csr.alt_names(), spec, /*other_names_always=*/false, out);
  CompareSubject(csr.subject(), csr.subject_der(), spec, out);
  if (request.is_ca != spec.is_ca) out.push_back("spec.isCA");
  if (!EqualUnsorted(request.usages, spec.usages)) out.push_back("spec.usages");
  if (request.duration && spec.duration && *request.duration != *spec.duration) {
    out.push_back("spec.duration");
  }
  return out;
}

std::vector<std::string> CsrMatchesSpec(const ParsedCsr& csr, const CertificateSpec& spec) {
  std::vector<std::string> out;
  CompareNames(csr.alt_names(), spec, /*other_names_always=*/false, out);
  CompareSubject(csr.subject(), csr.subject_der(), spec, out);
  if (csr.basic_constraints() && csr.basic_constraints()->is_ca != spec.is_ca) {
    out.push_back("spec.isCA");
  }
  if (spec.encode_usages_in_request && (csr.key_usages() || csr.ext_key_usages())) {
    bool match = csr.unknown_ext_key_usages().empty() &&
                 UsagesMatch(csr.key_usages().value_or(std::vector<KeyUsage>{}),
                             csr.ext_key_usages().value_or(std::vector<ExtKeyUsage>{}), spec);
    if (!match) out.push_back("spec.usages");
  }
  if (SpecNameConstraints(spec) != ExtensionValue(csr.extensions(), NID_name_constraints)) {
    out.push_back("spec.nameConstraints");
  }
  return out;
}

std::vector<std::string> CertificateMatchesSpec(const Certificate& certificate,
                                                const CertificateSpec& spec) {
  std::vector<std::string> out;
  CompareNames(CertificateAltNames(certificate), spec, /*other_names_always=*/true, out);
  const X509_NAME* subject = X509_get_subject_name(certificate.fields());
  CompareSubject(subject, NameDer(subject), spec, out);
  if (certificate.IsCa() != spec.is_ca) out.push_back("spec.isCA");
  if (!UsagesMatch(certificate.KeyUsages(), certificate.ExtKeyUsages(), spec)) {
    out.push_back("spec.usages");
  }
  auto lifetime = certificate.NotAfter() - certificate.NotBefore();
  auto difference = lifetime - std::chrono::duration_cast<std::chrono::system_clock::duration>(
                                   EffectiveDuration(spec));
  if (difference > std::chrono::seconds(1) || difference < -std::chrono::seconds(1)) {
    out.push_back("spec.duration");
  }
  if (SpecNameConstraints(spec) !=
      ExtensionValue(X509_get0_extensions(certificate.fields()), NID_name_constraints)) {
    out.push_back("spec.nameConstraints");
  }
  return out;
}

std::vector<std::string> CertificateAltNamesMatchSpec(const Certificate& certificate,
                                                      const CertificateSpec& spec) {
  std::vector<std::string> out;
  SubjectAltNames names = CertificateAltNames(certificate);
  std::string common_name = LastValue(X509_get_subject_name(certificate.fields()), NID_commonName);

  std::set<std::string> expected(spec.dns_names.begin(), spec.dns_names.end());
  if (!spec.common_name.empty()) expected.insert(spec.common_name);
  std::set<std::string> all(names.dns_names.begin(), names.dns_names.end());
  if (!common_name.empty()) all.insert(common_name);
  if (all != expected) {
    if ((!spec.common_name.empty() && all.count(spec.common_name) == 0) ||
        (!common_name.empty() && expected.count(common_name) == 0)) {
      out.push_back("spec.commonName");
    }
    auto has_all = [](const std::set<std::string>& set, const std::vector<std::string>& items) {
      return std::all_of(items.begin(), items.end(),
                         [&set](const std::string& item) { return set.count(item) > 0; });
    };
    if (!has_all(all, spec.dns_names) || !has_all(expected, names.dns_names)) {
      out.push_back("spec.dnsNames");
    }
  }
  if (!IpsMatch(names.ip_addresses, spec.ip_addresses)) out.push_back("spec.ipAddresses");
  if (!EqualUnsorted(names.uris, spec.uris)) out.push_back("spec.uris");
  if (!EqualUnsorted(names.email_addresses, spec.email_addresses)) {
    out.push_back("spec.emailAddresses");
  }
  return out;
}

std::vector<std::string> PrivateKeyMatchesSpec(const PrivateKey& key, const CertificateSpec& spec) {
  const std::string& algorithm = spec.private_key.algorithm;
  int size = spec.private_key.size;
  if (algorithm.empty() || algorithm == "RSA") {
    if (key.algorithm() != KeyAlgorithm::kRsa) return {"spec.privateKey.algorithm"};
    if (key.size() != (size > 0 ? size : 2048)) return {"spec.privateKey.size"};
    return {};
  }
  if (algorithm == "ECDSA") {
    if (key.algorithm() != KeyAlgorithm::kEcdsa) return {"spec.privateKey.algorithm"};
    if (key.size() != (size > 0 ? size : 256)) return {"spec.privateKey.size"};
    return {};
  }
  if (algorithm == "Ed25519" && key.algorithm() == KeyAlgorithm::kEd25519) return {};
  return {"spec.privateKey.algorithm"};
}

}  // namespace certforge::pki
