#include "services/controller/certificate_validation.h"

#include "lib/core/go_duration.h"
#include "lib/pki/certificate_spec.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

constexpr auto kMinimumRenewBefore = std::chrono::minutes(5);

void ValidateRenewal(const json& spec, const pki::CertificateSpec* x509,
                     std::vector<std::string>& out) {
  bool has_before = spec.contains("renewBefore");
  bool has_pct = spec.contains("renewBeforePercentage");
  if (has_before && has_pct) {
    out.push_back(
        "spec.renewBefore: Invalid value: \"" + spec.value("renewBefore", "") +
        "\": renewBefore and renewBeforePercentage are mutually exclusive and cannot both be set");
  }
  auto duration = x509 ? pki::EffectiveDuration(*x509) : pki::kDefaultCertificateDuration;
  if (has_before) {
    auto before = core::ParseGoDuration(spec.value("renewBefore", ""));
    if (!before.ok()) {
      out.push_back("spec.renewBefore: Invalid value: " + std::string(before.status().message()));
    } else {
      if (*before >= duration) {
        out.push_back("spec.renewBefore: Invalid value: \"" + core::FormatGoDuration(*before) +
                      "\": certificate duration " + core::FormatGoDuration(duration) +
                      " must be greater than renewBefore " + core::FormatGoDuration(*before));
      }
      if (*before < kMinimumRenewBefore) {
        out.push_back("spec.renewBefore: Invalid value: \"" + core::FormatGoDuration(*before) +
                      "\": certificate renewBefore must be greater than " +
                      core::FormatGoDuration(kMinimumRenewBefore));
      }
    }
  }
  if (has_pct && spec["renewBeforePercentage"].is_number_integer()) {
    int pct = spec["renewBeforePercentage"].get<int>();
    auto before = duration * pct / 100;
    if (pct <= 0 || pct >= 100 || before < kMinimumRenewBefore) {
      out.push_back("spec.renewBeforePercentage: Invalid value: " + std::to_string(pct) +
                    ": certificate renewBeforePercentage must result in a renewBefore between " +
                    core::FormatGoDuration(kMinimumRenewBefore) + " and the duration");
    }
  }
}

void ValidateIssuerRef(const json& spec, std::vector<std::string>& out) {
  const json ref = spec.value("issuerRef", json::object());
  if (ref.value("name", "").empty()) {
    out.push_back("spec.issuerRef.name: Required value: must be specified");
  }
  std::string group = ref.value("group", "");
  std::string kind = ref.value("kind", "");
  if ((group.empty() || group == "cert-manager.io") && !kind.empty() && kind != "Issuer" &&
      kind != "ClusterIssuer") {
    out.push_back("spec.issuerRef.kind: Invalid value: \"" + kind +
                  "\": must be one of Issuer or ClusterIssuer");
  }
}

void ValidateSecretTemplate(const json& spec, std::vector<std::string>& out) {
  const json annotations =
      spec.value("secretTemplate", json::object()).value("annotations", json::object());
  for (const auto& [key, value] : annotations.items()) {
    if (key.rfind("cert-manager.io/", 0) == 0) {
      out.push_back("spec.secretTemplate.annotations: Invalid value: \"" + key +
                    "\": cert-manager.io/* annotations are not allowed");
    }
  }
}

void ValidateKeystores(const json& spec, std::vector<std::string>& out) {
  const json keystores = spec.value("keystores", json::object());
  for (const char* kind : {"jks", "pkcs12"}) {
    if (!keystores.contains(kind)) continue;
    const json& store = keystores[kind];
    bool literal = store.contains("password");
    bool ref = store.contains("passwordSecretRef") &&
               !store["passwordSecretRef"].value("name", "").empty();
    std::string field = std::string("spec.keystores.") + kind;
    if (literal == ref) {
      out.push_back(field +
                    ": Forbidden: exactly one of password or passwordSecretRef must be set");
    } else if (literal && store.value("password", "").empty()) {
      out.push_back(field + ".password: Invalid value: \"\": password must not be empty");
    }
  }
}

}  // namespace

std::vector<std::string> ValidateCertificate(const json& certificate) {
  std::vector<std::string> out;
  const json spec = certificate.value("spec", json::object());
  auto x509 = pki::CertificateSpecFromJson(spec);
  if (!x509.ok()) {
    out.push_back(std::string(x509.status().message()));
  } else {
    out = pki::ValidateCertificateSpec(*x509);
  }
  if (spec.value("secretName", "").empty()) {
    out.push_back("spec.secretName: Required value: must be specified");
  }
  ValidateRenewal(spec, x509.ok() ? &*x509 : nullptr, out);
  ValidateIssuerRef(spec, out);
  ValidateSecretTemplate(spec, out);
  ValidateKeystores(spec, out);
  return out;
}

std::string ValidationMessage(const std::vector<std::string>& problems) {
  std::string message = "Resource validation failed: ";
  if (problems.size() > 1) message += "[";
  for (size_t i = 0; i < problems.size(); ++i) message += (i ? ", " : "") + problems[i];
  if (problems.size() > 1) message += "]";
  return message;
}

}  // namespace certforge::controller
