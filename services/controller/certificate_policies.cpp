#include "services/controller/certificate_policies.h"

#include <ctime>
#include <functional>
#include <vector>

#include "lib/core/base64.h"
#include "lib/core/go_duration.h"
#include "lib/kube/json_fields.h"
#include "lib/pki/certificate.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/parse_memo.h"
#include "lib/pki/private_key.h"
#include "lib/pki/spec_matching.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/renewal.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;
using Check = std::function<std::optional<PolicyViolation>(const PolicyInput&)>;

std::string GoList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + items[i];
  return out + "]";
}

// `t` in UTC with strftime's `format` (gmtime_r: the workers run in parallel).
std::string FormatUtc(core::TimePoint t, const char* format) {
  std::time_t seconds = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::strftime(buf, sizeof(buf), format, &tm);
  return buf;
}

std::string Defaulted(std::string value, const char* fallback) {
  return value.empty() ? fallback : value;
}

// Parsed pieces of the Secret, shared by the checks of one evaluation.
struct SecretParts {
  absl::StatusOr<pki::PrivateKey> key = absl::UnknownError("unparsed");
  absl::StatusOr<pki::Certificate> certificate = absl::UnknownError("unparsed");
};

SecretParts Parse(const json& secret) {
  SecretParts parts;
  parts.key = pki::MemoPrivateKeyFromPem(SecretData(secret, "tls.key"));
  parts.certificate = pki::MemoCertificateFromPem(SecretData(secret, "tls.crt"));
  return parts;
}

std::optional<PolicyViolation> SecretDoesNotExist(const PolicyInput& in) {
  if (in.secret) return std::nullopt;
  return PolicyViolation{"DoesNotExist", "Issuing certificate as Secret does not exist"};
}

std::optional<PolicyViolation> SecretIsMissingData(const PolicyInput& in) {
  const json& secret = *in.secret;
  if (!secret.contains("data") || !secret["data"].is_object() || secret["data"].empty()) {
    return PolicyViolation{"MissingData",
                           "Issuing certificate as Secret does not contain any data"};
  }
  if (SecretData(secret, "tls.key").empty()) {
    return PolicyViolation{"MissingData",
                           "Issuing certificate as Secret does not contain a private key"};
  }
  if (SecretData(secret, "tls.crt").empty()) {
    return PolicyViolation{"MissingData",
                           "Issuing certificate as Secret does not contain a certificate"};
  }
  return std::nullopt;
}

std::optional<PolicyViolation> SecretPublicKeysDiffer(const SecretParts& parts) {
  if (!parts.key.ok()) {
    return PolicyViolation{"InvalidKeyPair",
                           "Issuing certificate as Secret contains invalid private key data: " +
                               std::string(parts.key.status().message())};
  }
  if (!parts.certificate.ok()) {
    return PolicyViolation{"InvalidCertificate",
                           "Issuing certificate as Secret contains an invalid certificate: " +
                               std::string(parts.certificate.status().message())};
  }
  if (!parts.certificate->MatchesKey(*parts.key)) {
    return PolicyViolation{"InvalidKeyPair",
                           "Issuing certificate as Secret contains a private key that does not "
                           "match the certificate"};
  }
  return std::nullopt;
}

std::optional<PolicyViolation> SecretPrivateKeyMismatchesSpec(const SecretParts& parts,
                                                              const pki::CertificateSpec& spec) {
  auto violations = pki::PrivateKeyMatchesSpec(*parts.key, spec);
  if (violations.empty()) return std::nullopt;
  return PolicyViolation{"SecretMismatch",
                         "Existing private key is not up to date for spec: " + GoList(violations)};
}

std::optional<PolicyViolation> SecretIssuerAnnotationsMismatch(const PolicyInput& in) {
  const json& annotations = kube::ObjectAt(kube::ObjectAt(*in.secret, "metadata"), "annotations");
  bool present = annotations.contains(kIssuerNameAnnotation) ||
                 annotations.contains(kIssuerKindAnnotation) ||
                 annotations.contains(kIssuerGroupAnnotation);
  std::string name = annotations.value(kIssuerNameAnnotation, "");
  std::string kind = Defaulted(annotations.value(kIssuerKindAnnotation, ""), "Issuer");
  std::string group = Defaulted(annotations.value(kIssuerGroupAnnotation, ""), "cert-manager.io");
  const json& ref = kube::ObjectAt(in.certificate["spec"], "issuerRef");
  // As cert-manager: the name only counts when some annotation is there, but absent kind and
  // group read as the defaults, so a Secret without any still mismatches a ClusterIssuer.
  if ((!present || name == ref.value("name", "")) &&
      kind == Defaulted(ref.value("kind", ""), "Issuer") &&
      group == Defaulted(ref.value("group", ""), "cert-manager.io")) {
    return std::nullopt;
  }
  return PolicyViolation{"IncorrectIssuer",
                         "Issuing certificate as Secret was previously issued by \"" + kind + "." +
                             group + "/" + name + "\""};
}

std::optional<PolicyViolation> SecretCertificateNameMismatch(const PolicyInput& in) {
  const json& annotations = kube::ObjectAt(kube::ObjectAt(*in.secret, "metadata"), "annotations");
  if (!annotations.contains(kCertificateNameAnnotation)) return std::nullopt;
  std::string name = annotations.value(kCertificateNameAnnotation, "");
  if (name == in.certificate["metadata"].value("name", "")) return std::nullopt;
  return PolicyViolation{"IncorrectCertificate",
                         "Secret was issued for \"" + name +
                             "\". If this message is not transient, you might have two "
                             "conflicting Certificates pointing to the same secret."};
}

// The CSR of a CertificateRequest: spec.request holds base64 of the PEM, as every []byte field.
absl::StatusOr<pki::ParsedCsr> RequestCsr(const json& request) {
  auto pem = core::Base64Decode(kube::ObjectAt(request, "spec").value("request", ""));
  if (!pem.ok()) return pem.status();
  return pki::MemoCsrFromPemUnverified(*pem);
}

std::optional<PolicyViolation> SecretPublicKeyDiffersFromCurrentRequest(const PolicyInput& in,
                                                                        const SecretParts& parts) {
  if (in.current_request == nullptr) return std::nullopt;
  auto csr = RequestCsr(*in.current_request);
  if (!csr.ok()) {
    return PolicyViolation{
        "InvalidCertificateRequest",
        "Failed to decode current CertificateRequest: " + std::string(csr.status().message())};
  }
  auto key_der = parts.key->PublicKeyDer();
  if (key_der.ok() && csr->public_key().ToDer() == *key_der) return std::nullopt;
  return PolicyViolation{
      "SecretMismatch",
      "Secret contains a private key that does not match the current CertificateRequest"};
}

std::optional<PolicyViolation> CurrentRequestMismatchesSpec(const PolicyInput& in,
                                                            const SecretParts& parts,
                                                            const pki::CertificateSpec& spec) {
  if (in.current_request == nullptr) {
    // Without the request that issued it, compare the certificate itself, leniently.
    auto violations = pki::CertificateAltNamesMatchSpec(*parts.certificate, spec);
    if (violations.empty()) return std::nullopt;
    return PolicyViolation{"SecretMismatch",
                           "Issuing certificate as Existing issued Secret is not up to date for "
                           "spec: " +
                               GoList(violations)};
  }
  auto violations = RequestMismatches(*in.current_request, in.certificate);
  // As cert-manager: an unreadable request does not by itself trigger a re-issuance.
  if (!violations.ok()) return std::nullopt;
  if (violations->empty()) return std::nullopt;
  return PolicyViolation{
      "RequestChanged",
      "Fields on existing CertificateRequest resource not up to date: " + GoList(*violations)};
}

std::optional<PolicyViolation> NearingExpiry(const PolicyInput& in, const SecretParts& parts,
                                             core::TimePoint now) {
  auto renewal = RenewalTime(parts.certificate->NotBefore(), parts.certificate->NotAfter(),
                             RenewalSpecOf(in.certificate));
  if (!renewal || *renewal > now) return std::nullopt;
  // cert-manager prints status.renewalTime with Go's time.Time.String().
  auto scheduled =
      core::ParseRfc3339(kube::ObjectAt(in.certificate, "status").value("renewalTime", ""));
  return PolicyViolation{"Renewing", "Renewing certificate as renewal was scheduled at " +
                                         FormatUtc(scheduled.ok() ? *scheduled : *renewal,
                                                   "%Y-%m-%d %H:%M:%S +0000 UTC")};
}

std::optional<PolicyViolation> HasExpired(const SecretParts& parts, core::TimePoint now) {
  if (now <= parts.certificate->NotAfter()) return std::nullopt;
  // Go's time.RFC1123.
  return PolicyViolation{"Expired",
                         "Certificate expired on " +
                             FormatUtc(parts.certificate->NotAfter(), "%a, %d %b %Y %H:%M:%S UTC")};
}

// The chains differ only in their last check (policies.go).
std::optional<PolicyViolation> Evaluate(const PolicyInput& in, core::TimePoint now, bool trigger) {
  if (auto v = SecretDoesNotExist(in)) return v;
  if (auto v = SecretIsMissingData(in)) return v;
  SecretParts parts = Parse(*in.secret);
  if (auto v = SecretPublicKeysDiffer(parts)) return v;
  auto spec = pki::CertificateSpecFromJson(kube::ObjectAt(in.certificate, "spec"));
  if (!spec.ok()) {
    return PolicyViolation{"InvalidCertificate", "Certificate spec cannot be read: " +
                                                     std::string(spec.status().message())};
  }
  if (auto v = SecretIssuerAnnotationsMismatch(in)) return v;
  if (auto v = SecretCertificateNameMismatch(in)) return v;
  if (auto v = SecretPrivateKeyMismatchesSpec(parts, *spec)) return v;
  if (auto v = SecretPublicKeyDiffersFromCurrentRequest(in, parts)) return v;
  if (auto v = CurrentRequestMismatchesSpec(in, parts, *spec)) return v;
  return trigger ? NearingExpiry(in, parts, now) : HasExpired(parts, now);
}

}  // namespace

absl::StatusOr<std::vector<std::string>> RequestMismatches(const json& request,
                                                           const json& certificate) {
  auto spec = pki::CertificateSpecFromJson(kube::ObjectAt(certificate, "spec"));
  if (!spec.ok()) return spec.status();
  auto csr = RequestCsr(request);
  if (!csr.ok()) return csr.status();
  const json& req_spec = kube::ObjectAt(request, "spec");
  pki::CertificateRequestFields fields;
  fields.is_ca = req_spec.value("isCA", false);
  fields.usages = req_spec.value("usages", std::vector<std::string>{});
  if (auto d = core::ParseGoDuration(req_spec.value("duration", "")); d.ok()) fields.duration = *d;
  auto violations = pki::RequestMatchesSpec(*csr, fields, *spec);
  // Not re-issued for adding or dropping the default kind and group.
  const json& req_ref = kube::ObjectAt(req_spec, "issuerRef");
  const json& cert_ref = kube::ObjectAt(certificate["spec"], "issuerRef");
  if (req_ref.value("name", "") != cert_ref.value("name", "") ||
      Defaulted(req_ref.value("kind", ""), "Issuer") !=
          Defaulted(cert_ref.value("kind", ""), "Issuer") ||
      Defaulted(req_ref.value("group", ""), "cert-manager.io") !=
          Defaulted(cert_ref.value("group", ""), "cert-manager.io")) {
    violations.push_back("spec.issuerRef");
  }
  return violations;
}

RenewalSpec RenewalSpecOf(const json& certificate) {
  RenewalSpec r;
  const json& spec = kube::ObjectAt(certificate, "spec");
  if (auto d = core::ParseGoDuration(spec.value("renewBefore", "")); d.ok()) {
    r.renew_before = std::chrono::duration_cast<std::chrono::seconds>(*d);
  }
  if (spec.contains("renewBeforePercentage") && spec["renewBeforePercentage"].is_number()) {
    r.renew_before_percentage = spec["renewBeforePercentage"].get<int>();
  }
  r.disabled = kube::ObjectAt(spec, "renewal").value("policy", "") == "Disabled";
  return r;
}

std::optional<PolicyViolation> EvaluateTriggerPolicies(const PolicyInput& input,
                                                       core::TimePoint now) {
  return Evaluate(input, now, /*trigger=*/true);
}

std::optional<PolicyViolation> EvaluateReadinessPolicies(const PolicyInput& input,
                                                         core::TimePoint now) {
  return Evaluate(input, now, /*trigger=*/false);
}

}  // namespace certforge::controller
