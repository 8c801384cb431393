#include "services/controller/request_manager.h"

#include <openssl/sha.h>

#include "lib/core/base64.h"
#include "lib/core/go_duration.h"
#include "lib/kube/json_fields.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/csr_builder.h"
#include "lib/pki/parse_memo.h"
#include "lib/pki/private_key.h"
#include "lib/pki/spec_matching.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/conditions.h"
#include "services/controller/owner_reference.h"
#include "services/controller/request_state.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

bool MatchesPrefixes(const std::string& key, const std::vector<std::string>& prefixes) {
  bool copied = false;
  for (const auto& p : prefixes) {
    if (p == "*") {
      copied = true;
    } else if (!p.empty() && p[0] == '-') {
      if (key.rfind(p.substr(1), 0) == 0) return false;
    } else if (key.rfind(p, 0) == 0) {
      copied = true;
    }
  }
  return copied;
}

// Does the request still fit the spec and the stored key?
bool RequestFits(const json& request, const pki::CertificateSpec& spec, const pki::PrivateKey& key,
                 const json& certificate) {
  const json& req_spec = kube::ObjectAt(request, "spec");
  auto csr_pem = core::Base64Decode(req_spec.value("request", ""));
  if (!csr_pem.ok()) return false;
  auto csr = pki::MemoCsrFromPemUnverified(*csr_pem);
  if (!csr.ok()) return false;
  auto public_der = key.PublicKeyDer();
  if (!public_der.ok() || csr->public_key().ToDer() != *public_der) return false;
  pki::CertificateRequestFields fields;
  fields.is_ca = req_spec.value("isCA", false);
  fields.usages = req_spec.value("usages", std::vector<std::string>{});
  if (auto d = core::ParseGoDuration(req_spec.value("duration", "")); d.ok()) fields.duration = *d;
  if (!pki::RequestMatchesSpec(*csr, fields, spec).empty()) return false;
  return kube::ObjectAt(req_spec, "issuerRef") == kube::ObjectAt(certificate["spec"], "issuerRef");
}

}  // namespace

json CopiedAnnotations(const json& annotations, const std::vector<std::string>& prefixes) {
  json out = json::object();
  if (!annotations.is_object()) return out;
  for (const auto& [k, v] : annotations.items()) {
    if (MatchesPrefixes(k, prefixes)) out[k] = v;
  }
  return out;
}

std::string RequestName(const std::string& certificate_name, int revision) {
  // cert-manager's ComputeSecureUniqueDeterministicNameFromData(name, 233): names up to 233
  // characters are kept, so "-<revision>" stays within Kubernetes' 253.
  constexpr size_t kMaxName = 233;
  constexpr size_t kHashLength = 2 * SHA256_DIGEST_LENGTH;
  std::string name = certificate_name;
  if (name.size() > kMaxName) {
    unsigned char digest[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(name.data()), name.size(), digest);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hash;
    for (unsigned char b : digest) hash += {kHex[b >> 4], kHex[b & 15]};
    // DNSSafeShortenToNCharacters: cut, then back to the last ASCII letter or digit.
    std::string prefix = name.substr(0, kMaxName - kHashLength - 1);
    auto alphanumeric = [](char c) {
      return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    };
    while (!prefix.empty() && !alphanumeric(prefix.back())) prefix.pop_back();
    name = prefix.empty() ? hash : prefix + "-" + hash;
  }
  return name + "-" + std::to_string(revision);
}

ReconcileResult RequestManager::Reconcile(const std::string& key) {
  auto in = GatherCertificateInputs(ctx_, key);
  if (!in.ok()) return ReconcileResult::Error(in.status());
  if (!in->certificate) return ReconcileResult::Done();
  const json& cert = *in->certificate;
  if (!ConditionIs(cert, kConditionIssuing, "True")) return ReconcileResult::Done();
  std::string key_secret_name =
      kube::ObjectAt(cert, "status").value("nextPrivateKeySecretName", "");
  if (key_secret_name.empty()) return ReconcileResult::Done();  // the key manager is on it
  auto [ns, name] = SplitKey(key);
  auto key_secret = ctx_.secret_reader->Get(ns, key_secret_name);
  if (!key_secret.ok()) {
    return key_secret.status().code() == absl::StatusCode::kNotFound
               ? ReconcileResult::Done()
               : ReconcileResult::Error(key_secret.status());
  }
  std::string key_pem = SecretData(**key_secret, "tls.key");
  auto private_key = pki::MemoPrivateKeyFromPem(key_pem);
  auto spec = pki::CertificateSpecFromJson(kube::ObjectAt(cert, "spec"));
  if (!private_key.ok() || !spec.ok()) return ReconcileResult::Done();

  int next_revision = in->revision + 1;
  if (in->next_request) {
    const json& request = *in->next_request;
    // A request that failed before this issuance attempt began is not retried as is.
    bool stale_failure = RequestFailed(request) &&
                         RequestFinishedBefore(request, *FindCondition(cert, kConditionIssuing));
    if (!stale_failure && RequestFits(request, *spec, *private_key, cert)) {
      return ReconcileResult::Done();
    }
    std::string old_name = request["metadata"].value("name", "");
    auto deleted = ctx_.client->Delete(kCertificateRequests, ns, old_name);
    if (!deleted.ok() && deleted.status().code() != absl::StatusCode::kNotFound) {
      return ReconcileResult::Error(deleted.status());
    }
    ctx_.events.Normal(cert, "Deleted",
                       "Deleted CertificateRequest \"" + old_name +
                           "\" as it no longer matches the Certificate or its private key");
    return ReconcileResult::Done();  // its deletion event brings us back
  }
  auto created = CreateRequest(cert, next_revision, key_secret_name, key_pem);
  if (!created.ok()) {
    if (created.code() == absl::StatusCode::kAlreadyExists) return ReconcileResult::Done();
    return ReconcileResult::Error(created);
  }
  return ReconcileResult::Done();
}

absl::Status RequestManager::CreateRequest(const json& cert, int revision,
                                           const std::string& key_secret_name,
                                           const std::string& key_pem) {
  auto spec = pki::CertificateSpecFromJson(kube::ObjectAt(cert, "spec"));
  if (!spec.ok()) return spec.status();
  auto private_key = pki::MemoPrivateKeyFromPem(key_pem);
  if (!private_key.ok()) return private_key.status();
  auto csr = pki::BuildCsr(*spec, *private_key);
  if (!csr.ok()) {
    ctx_.events.Warning(cert, "BadConfig",
                        "Failed to generate CSR: " + std::string(csr.status().message()));
    return absl::OkStatus();  // a spec problem: nothing to retry until the spec changes
  }
  const json& meta = cert["metadata"];
  const json& cert_spec = cert["spec"];
  std::string cert_name = meta.value("name", "");
  json annotations = CopiedAnnotations(kube::ObjectAt(meta, "annotations"),
                                       ctx_.options->copied_annotation_prefixes);
  annotations[kRevisionAnnotation] = std::to_string(revision);
  annotations[kPrivateKeySecretNameAnnotation] = key_secret_name;
  annotations[kCertificateNameAnnotation] = cert_name;
  json request_spec = {{"request", core::Base64Encode(*csr)},
                       {"issuerRef", kube::ObjectAt(cert_spec, "issuerRef")},
                       {"duration", core::FormatGoDuration(pki::EffectiveDuration(*spec))},
                       {"isCA", spec->is_ca}};
  if (!spec->usages.empty()) request_spec["usages"] = spec->usages;
  json request = {{"apiVersion", "cert-manager.io/v1"},
                  {"kind", "CertificateRequest"},
                  {"metadata",
                   {{"name", RequestName(cert_name, revision)},
                    {"namespace", meta.value("namespace", "")},
                    {"annotations", annotations},
                    {"labels", kube::ObjectAt(meta, "labels")},
                    {"ownerReferences", json::array({ControllerOwnerReference(cert)})}}},
                  {"spec", request_spec}};
  auto created = ctx_.client->Create(kCertificateRequests, request);
  if (!created.ok()) return created.status();
  ctx_.events.Normal(cert, "Requested",
                     "Created new CertificateRequest resource \"" +
                         (*created)["metadata"].value("name", "") + "\"");
  return absl::OkStatus();
}

}  // namespace certforge::controller
