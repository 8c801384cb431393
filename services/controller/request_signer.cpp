#include "services/controller/request_signer.h"

#include "certforge/signer/v1/signer.pb.h"
#include "lib/core/base64.h"
#include "lib/core/go_duration.h"
#include "lib/kube/json_fields.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/conditions.h"
#include "services/controller/request_state.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

std::vector<std::string> Strings(const json& object, const char* field) {
  return object.value(field, std::vector<std::string>{});
}

}  // namespace

ReconcileResult RequestSigner::Pending(const json& request, const std::string& event_reason,
                                       const std::string& message) {
  const auto& meta = request["metadata"];
  bool changed = false;
  auto updated = ctx_.status->Update(
      kCertificateRequests, meta.value("namespace", ""), meta.value("name", ""), [&](json& object) {
        if (RequestFinal(object)) return false;
        changed = SetCondition(object, kConditionReady, "False", kReasonPending, message,
                               ctx_.now(), false);
        return changed;
      });
  if (changed) ctx_.events.Normal(request, event_reason, message);
  if (!updated.ok() && updated.code() != absl::StatusCode::kNotFound) {
    return ReconcileResult::Error(updated);
  }
  return ReconcileResult::Done();
}

ReconcileResult RequestSigner::Fail(const json& request, const std::string& reason,
                                    const std::string& event_reason, const std::string& message) {
  const auto& meta = request["metadata"];
  auto now = ctx_.now();
  bool changed = false;
  auto updated = ctx_.status->Update(
      kCertificateRequests, meta.value("namespace", ""), meta.value("name", ""), [&](json& object) {
        if (RequestIssued(object)) return false;
        changed = SetCondition(object, kConditionReady, "False", reason, message, now, false);
        if (changed) object["status"]["failureTime"] = core::FormatRfc3339(now);
        return changed;
      });
  if (changed) ctx_.events.Warning(request, event_reason, message);
  if (!updated.ok() && updated.code() != absl::StatusCode::kNotFound) {
    return ReconcileResult::Error(updated);
  }
  return ReconcileResult::Done();
}

ReconcileResult RequestSigner::MarkDenied(const json& request) {
  const auto& meta = request["metadata"];
  auto now = ctx_.now();
  auto updated = ctx_.status->Update(
      kCertificateRequests, meta.value("namespace", ""), meta.value("name", ""), [&](json& object) {
        if (RequestIssued(object)) return false;
        bool changed =
            SetCondition(object, kConditionReady, "False", kReasonDenied,
                         "The CertificateRequest was denied by an approval controller", now, false);
        if (!object["status"].contains("failureTime")) {
          object["status"]["failureTime"] = core::FormatRfc3339(now);
          changed = true;
        }
        return changed;
      });
  if (!updated.ok() && updated.code() != absl::StatusCode::kNotFound) {
    return ReconcileResult::Error(updated);
  }
  return ReconcileResult::Done();
}

ReconcileResult RequestSigner::Issued(const json& request, const std::string& chain_pem,
                                      const std::string& ca_pem) {
  const auto& meta = request["metadata"];
  auto updated = ctx_.status->Update(
      kCertificateRequests, meta.value("namespace", ""), meta.value("name", ""), [&](json& object) {
        if (RequestFinal(object)) return false;
        object["status"]["certificate"] = core::Base64Encode(chain_pem);
        if (!ca_pem.empty()) object["status"]["ca"] = core::Base64Encode(ca_pem);
        SetCondition(object, kConditionReady, "True", kReasonIssued,
                     "Certificate fetched from issuer successfully", ctx_.now(), false);
        return true;
      });
  if (!updated.ok()) {
    return updated.code() == absl::StatusCode::kNotFound ? ReconcileResult::Done()
                                                         : ReconcileResult::Error(updated);
  }
  ctx_.events.Normal(request, "CertificateIssued", "Certificate fetched from issuer successfully");
  return ReconcileResult::Done();
}

ReconcileResult RequestSigner::Reconcile(const std::string& key) {
  auto request_ptr = ctx_.requests->Get(key);
  if (!request_ptr) return ReconcileResult::Done();
  const json& request = *request_ptr;
  const json& spec = kube::ObjectAt(request, "spec");
  const json& ref = kube::ObjectAt(spec, "issuerRef");
  std::string group = ref.value("group", "");
  if (!group.empty() && group != "cert-manager.io") return ReconcileResult::Done();  // external
  // A denial is final, but it still has to be written down as Ready=False, Denied.
  if (RequestDenied(request)) return MarkDenied(request);
  if (RequestFinal(request)) return ReconcileResult::Done();
  if (!RequestApproved(request)) return ReconcileResult::Done();

  auto [ns, name] = SplitKey(key);
  std::string kind = ref.value("kind", "");
  if (kind.empty()) kind = "Issuer";
  std::string issuer_name = ref.value("name", "");
  std::shared_ptr<const json> issuer;
  std::string resource_ns = ns;
  if (kind == "Issuer") {
    issuer = ctx_.issuers->Get(ns + "/" + issuer_name);
  } else if (kind == "ClusterIssuer") {
    issuer = ctx_.cluster_issuers->Get(issuer_name);
    resource_ns = ctx_.options->cluster_resource_namespace;
  } else {
    return Fail(request, kReasonFailed, "IssuerNotFound",
                "invalid value \"" + kind +
                    "\" for issuerRef.kind. Must be empty, \"Issuer\" or \"ClusterIssuer\"");
  }
  if (!issuer) {
    std::string lower = kind == "Issuer" ? "issuer" : "clusterissuer";
    return Pending(request, "IssuerNotFound",
                   "Referenced \"" + kind + "\" not found: " + lower + ".cert-manager.io \"" +
                       issuer_name + "\" not found");
  }
  const json& issuer_spec = kube::ObjectAt(*issuer, "spec");
  bool self_signed = issuer_spec.contains("selfSigned");
  if (!self_signed && !issuer_spec.contains("ca")) return ReconcileResult::Done();  // not ours
  if (!ConditionIs(*issuer, kConditionReady, "True")) {
    return Pending(request, "IssuerNotReady",
                   "Referenced issuer does not have a Ready status condition");
  }

  signer::v1::SignRequest sign;
  auto csr = core::Base64Decode(spec.value("request", ""));
  if (!csr.ok()) {
    return Fail(request, kReasonFailed, "ErrorParsingCSR",
                "Failed to decode spec.request: " + std::string(csr.status().message()));
  }
  sign.set_csr_pem(*csr);
  if (auto d = core::ParseGoDuration(spec.value("duration", "")); d.ok()) {
    sign.set_duration_seconds(std::chrono::duration_cast<std::chrono::seconds>(*d).count());
  }
  sign.set_is_ca(spec.value("isCA", false));
  for (const auto& u : Strings(spec, "usages")) sign.add_usages(u);
  if (self_signed) {
    const json& meta_annotations = kube::ObjectAt(request["metadata"], "annotations");
    std::string secret_name = meta_annotations.value(kPrivateKeySecretNameAnnotation, "");
    if (secret_name.empty()) {
      return Fail(request, kReasonFailed, "MissingAnnotation",
                  "Annotation \"" + std::string(kPrivateKeySecretNameAnnotation) +
                      "\" missing or reference empty: secret name missing");
    }
    auto secret = ctx_.secret_reader->Get(ns, secret_name);
    if (!secret.ok()) {
      if (secret.status().code() != absl::StatusCode::kNotFound) {
        return ReconcileResult::Error(secret.status());
      }
      return Pending(request, "MissingSecret",
                     "Referenced secret " + ns + "/" + secret_name + " not found");
    }
    sign.set_issuer_type(signer::v1::SignRequest::SELF_SIGNED);
    sign.set_signing_key_pem(SecretData(**secret, "tls.key"));
    for (const auto& u : Strings(issuer_spec["selfSigned"], "crlDistributionPoints")) {
      sign.add_crl_distribution_points(u);
    }
  } else {
    const json& ca = issuer_spec["ca"];
    std::string secret_name = ca.value("secretName", "");
    auto secret = ctx_.secret_reader->Get(resource_ns, secret_name);
    if (!secret.ok()) {
      if (secret.status().code() != absl::StatusCode::kNotFound) {
        return ReconcileResult::Error(secret.status());
      }
      return Pending(request, "SecretNotFound",
                     "Referenced secret " + resource_ns + "/" + secret_name + " not found");
    }
    sign.set_issuer_type(signer::v1::SignRequest::CA);
    sign.set_signing_key_pem(SecretData(**secret, "tls.key"));
    sign.set_ca_certificate_pem(SecretData(**secret, "tls.crt"));
    sign.set_ca_crt_pem(SecretData(**secret, "ca.crt"));
    for (const auto& u : Strings(ca, "crlDistributionPoints")) sign.add_crl_distribution_points(u);
    for (const auto& u : Strings(ca, "ocspServers")) sign.add_ocsp_servers(u);
    for (const auto& u : Strings(ca, "issuingCertificateURLs")) {
      sign.add_issuing_certificate_urls(u);
    }
  }

  std::string job_id = request["metadata"].value("uid", "") + "/sign";
  auto result = ctx_.jobs->Take(
      "signer", "sign", job_id, [&] { return sign.SerializeAsString(); },
      [this, key] { ctx_.wake_request(key); });
  if (!result) return ReconcileResult::Done();  // woken when signed
  if (!result->status.ok()) {
    auto code = result->status.code();
    std::string message = std::string(result->status.message());
    if (code == absl::StatusCode::kInvalidArgument ||
        code == absl::StatusCode::kFailedPrecondition) {
      return Fail(request, kReasonFailed, "SigningError", "Error signing certificate: " + message);
    }
    return ReconcileResult::Error(result->status);  // a signer problem: try again
  }
  signer::v1::SignResult signed_result;
  if (!signed_result.ParseFromString(result->payload)) {
    return ReconcileResult::Error(absl::InternalError("unreadable sign result"));
  }
  return Issued(request, signed_result.certificate_pem(), signed_result.ca_pem());
}

}  // namespace certforge::controller
