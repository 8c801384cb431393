#include "services/controller/secret_content.h"

#include "lib/core/base64.h"
#include "lib/kube/json_fields.h"
#include "lib/pki/certificate.h"
#include "lib/pki/certificate_names.h"
#include "lib/pki/jks_keystore.h"
#include "lib/pki/parse_memo.h"
#include "lib/pki/pkcs12_keystore.h"
#include "lib/pki/private_key.h"
#include "lib/pki/private_key_der.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

std::string Defaulted(std::string value, const char* fallback) {
  return value.empty() ? fallback : value;
}

// The decoded body of the first PEM block.
absl::StatusOr<std::string> PemBlockBytes(const std::string& pem) {
  auto begin = pem.find("-----BEGIN ");
  auto body = begin == std::string::npos ? begin : pem.find('\n', begin);
  auto end = body == std::string::npos ? body : pem.find("-----END ", body);
  if (end == std::string::npos) return absl::InvalidArgumentError("no PEM block");
  std::string base64;
  for (char c : pem.substr(body + 1, end - body - 1)) {
    if (c != '\n' && c != '\r') base64 += c;
  }
  return core::Base64Decode(base64);
}

// Go's unicode.IsSpace for the first character of `v` (UTF-8): ASCII and Latin-1 spaces, and
// the other White_Space code points.
bool StartsWithSpace(const std::string& v) {
  auto byte = [&](size_t i) { return i < v.size() ? static_cast<unsigned char>(v[i]) : 0; };
  unsigned char c = byte(0);
  if (c == ' ' || (c >= '\t' && c <= '\r')) return true;
  if (c == 0xc2) return byte(1) == 0x85 || byte(1) == 0xa0;  // U+0085, U+00A0
  if (c == 0xe1) return byte(1) == 0x9a && byte(2) == 0x80;  // U+1680
  if (c == 0xe3) return byte(1) == 0x80 && byte(2) == 0x80;  // U+3000
  if (c != 0xe2) return false;
  if (byte(1) == 0x81) return byte(2) == 0x9f;  // U+205F
  if (byte(1) != 0x80) return false;
  unsigned char last = byte(2);
  return (last >= 0x80 && last <= 0x8a) || last == 0xa8 || last == 0xa9 || last == 0xaf;
}

}  // namespace

std::string JoinCsv(const std::vector<std::string>& values) {
  std::string out;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    const std::string& v = values[i];
    // As encoding/csv's fieldNeedsQuotes, including its `\.` special case.
    bool quote =
        v == "\\." || v.find_first_of(",\"\r\n") != std::string::npos || StartsWithSpace(v);
    if (!quote) {
      out += v;
      continue;
    }
    out += '"';
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

absl::StatusOr<json> SecretAnnotations(const json& certificate, const std::string& chain_pem) {
  auto leaf = pki::MemoCertificateFromPem(chain_pem);
  if (!leaf.ok()) return leaf.status();
  const json& ref = kube::ObjectAt(certificate["spec"], "issuerRef");
  json a = {{kCertificateNameAnnotation, certificate["metadata"].value("name", "")},
            {kIssuerNameAnnotation, ref.value("name", "")},
            {kIssuerKindAnnotation, Defaulted(ref.value("kind", ""), "Issuer")},
            {kIssuerGroupAnnotation, Defaulted(ref.value("group", ""), "cert-manager.io")},
            {"cert-manager.io/common-name", leaf->CommonName()}};
  auto names = pki::CertificateAltNames(*leaf);
  a["cert-manager.io/alt-names"] = JoinCsv(names.dns_names);
  a["cert-manager.io/ip-sans"] = JoinCsv(names.ip_addresses);
  a["cert-manager.io/uri-sans"] = JoinCsv(names.uris);
  if (!names.email_addresses.empty()) {
    a["cert-manager.io/email-sans"] = JoinCsv(names.email_addresses);
  }
  auto subject = pki::CertificateSubject(*leaf);
  auto add = [&](const char* key, const std::vector<std::string>& values) {
    if (!values.empty()) a[key] = JoinCsv(values);
  };
  add("cert-manager.io/subject-organizations", subject.organizations);
  add("cert-manager.io/subject-organizationalunits", subject.organizational_units);
  add("cert-manager.io/subject-countries", subject.countries);
  add("cert-manager.io/subject-provinces", subject.provinces);
  add("cert-manager.io/subject-localities", subject.localities);
  add("cert-manager.io/subject-postalcodes", subject.postal_codes);
  add("cert-manager.io/subject-streetaddresses", subject.street_addresses);
  if (!subject.serial_number.empty()) {
    a["cert-manager.io/subject-serialnumber"] = subject.serial_number;
  }
  return a;
}

std::vector<std::string> KeystoreKeys(const json& spec, bool with_ca) {
  const json& keystores = kube::ObjectAt(spec, "keystores");
  std::vector<std::string> keys;
  if (kube::ObjectAt(keystores, "pkcs12").value("create", false)) {
    keys.push_back("keystore.p12");
    if (with_ca) keys.push_back("truststore.p12");
  }
  if (kube::ObjectAt(keystores, "jks").value("create", false)) {
    keys.push_back("keystore.jks");
    if (with_ca) keys.push_back("truststore.jks");
  }
  return keys;
}

absl::StatusOr<json> BuildSecretData(const SecretContentInputs& in) {
  const json& spec = kube::ObjectAt(in.certificate, "spec");
  auto key = pki::MemoPrivateKeyFromPem(in.key_pem);
  if (!key.ok()) return key.status();
  std::string encoding = kube::ObjectAt(spec, "privateKey").value("encoding", "PKCS1");
  // Re-encoded from its DER when possible: OpenSSL's encoder costs far more than the signing.
  bool pkcs8 = encoding == "PKCS8";
  absl::StatusOr<std::string> key_pem;
  if (auto reencoded = pki::ReencodePrivateKeyPem(in.key_pem, /*traditional=*/!pkcs8)) {
    key_pem = std::move(*reencoded);
  } else {
    key_pem = pkcs8 ? key->ToPkcs8Pem() : key->ToPkcs1Pem();
  }
  if (!key_pem.ok()) return key_pem.status();
  // The Secret's readers (trigger, issuing) parse this PEM next.
  pki::RememberPrivateKeyPem(*key_pem, *key);

  json data = {{"tls.crt", core::Base64Encode(in.chain_pem)},
               {"tls.key", core::Base64Encode(*key_pem)}};
  if (!in.ca_pem.empty()) data["ca.crt"] = core::Base64Encode(in.ca_pem);

  for (const auto& format : kube::ArrayAt(spec, "additionalOutputFormats")) {
    std::string type = format.value("type", "");
    if (type == "DER") {
      // As cert-manager: the bytes of tls.key's PEM block (PKCS#1 or PKCS#8 as encoded).
      auto der = PemBlockBytes(*key_pem);
      if (!der.ok()) return der.status();
      data["key.der"] = core::Base64Encode(*der);
    } else if (type == "CombinedPEM") {
      data["tls-combined.pem"] = core::Base64Encode(*key_pem + "\n" + in.chain_pem);
    }
  }

  // KeystoreKeys decides which entries there are; here they are only encoded.
  std::vector<std::string> entries = KeystoreKeys(spec, !in.ca_pem.empty());
  if (!in.keystores || entries.empty()) return data;
  auto chain = pki::Certificate::ChainFromPem(in.chain_pem);
  if (!chain.ok()) return chain.status();
  std::vector<pki::Certificate> cas;
  if (!in.ca_pem.empty()) {
    auto parsed = pki::Certificate::ChainFromPem(in.ca_pem);
    if (!parsed.ok()) return parsed.status();
    cas = std::move(*parsed);
  }
  const json& keystores = kube::ObjectAt(spec, "keystores");
  for (const auto& entry : entries) {
    absl::StatusOr<std::string> encoded;
    if (entry.ends_with(".p12")) {
      if (!in.pkcs12_password) return absl::FailedPreconditionError("no PKCS#12 keystore password");
      auto profile =
          pki::ParsePkcs12Profile(kube::ObjectAt(keystores, "pkcs12").value("profile", ""));
      if (!profile.ok()) return profile.status();
      encoded = entry == "keystore.p12"
                    ? pki::EncodePkcs12Keystore(*key, *chain, cas, *in.pkcs12_password, *profile)
                    : pki::EncodePkcs12Truststore(cas, *in.pkcs12_password, *profile);
    } else {
      if (!in.jks_password) return absl::FailedPreconditionError("no JKS keystore password");
      std::string alias = kube::ObjectAt(keystores, "jks").value("alias", "certificate");
      encoded = entry == "keystore.jks"
                    ? pki::EncodeJksKeystore(*key, *chain, cas, *in.jks_password, alias, in.now)
                    : pki::EncodeJksTruststore(cas, *in.jks_password, in.now);
    }
    if (!encoded.ok()) return encoded.status();
    data[entry] = core::Base64Encode(*encoded);
  }
  return data;
}

}  // namespace certforge::controller
