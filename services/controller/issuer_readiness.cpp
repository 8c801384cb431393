#include "services/controller/issuer_readiness.h"

#include "lib/core/base64.h"
#include "lib/kube/json_fields.h"
#include "lib/pki/certificate.h"
#include "lib/pki/parse_memo.h"
#include "lib/pki/private_key.h"
#include "services/controller/conditions.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

std::string SecretValue(const json& secret, const char* key) {
  auto data = secret.value("data", json::object());
  auto value = data.value(key, "");
  auto decoded = core::Base64Decode(value);
  return decoded.ok() ? *decoded : std::string();
}

}  // namespace

std::string CaKeyPairProblem(const json& secret) {
  std::string cert_pem = SecretValue(secret, "tls.crt");
  std::string key_pem = SecretValue(secret, "tls.key");
  if (cert_pem.empty()) return "no data for \"tls.crt\" in secret";
  if (key_pem.empty()) return "no data for \"tls.key\" in secret";
  auto cert = pki::MemoCertificateFromPem(cert_pem);
  if (!cert.ok()) return "error decoding certificate: " + std::string(cert.status().message());
  auto key = pki::MemoPrivateKeyFromPem(key_pem);
  if (!key.ok()) return "error decoding private key: " + std::string(key.status().message());
  if (!cert->IsCa()) return "certificate is not a CA";
  if (!cert->MatchesKey(*key)) return "the private key does not match the certificate";
  return "";
}

ReconcileResult IssuerReadiness::Reconcile(const std::string& key) {
  // key: Kind/namespace/name
  auto first = key.find('/');
  auto second = key.find('/', first + 1);
  std::string kind = key.substr(0, first);
  std::string ns = key.substr(first + 1, second - first - 1);
  std::string name = key.substr(second + 1);
  bool cluster = kind == "ClusterIssuer";
  kube::Informer* cache = cluster ? ctx_.cluster_issuers : ctx_.issuers;
  auto issuer = cache->Get(cluster ? name : ns + "/" + name);
  if (!issuer) return ReconcileResult::Done();
  const json& spec = kube::ObjectAt(*issuer, "spec");

  std::string status = "True", reason, message;
  if (spec.contains("selfSigned")) {
    reason = "IsReady";
  } else if (spec.contains("ca")) {
    std::string secret_ns = cluster ? ctx_.options->cluster_resource_namespace : ns;
    std::string secret_name = spec["ca"].value("secretName", "");
    auto secret = ctx_.secret_reader->Get(secret_ns, secret_name);
    std::string problem;
    if (!secret.ok()) {
      if (secret.status().code() != absl::StatusCode::kNotFound) {
        return ReconcileResult::Error(secret.status());
      }
      problem = "secrets \"" + secret_name + "\" not found";
    } else {
      problem = CaKeyPairProblem(**secret);
    }
    if (problem.empty()) {
      reason = "KeyPairVerified";
      message = "Signing CA verified";
    } else {
      status = "False";
      reason = "ErrInitIssuer";
      message = "Error initializing issuer: error getting keypair for CA issuer: " + problem;
    }
  } else {
    // ACME, Vault and Venafi issuers are other controllers' business.
    return ReconcileResult::Done();
  }

  const auto& gvr = cluster ? kClusterIssuers : kIssuers;
  bool changed = false;
  auto updated = ctx_.status->Update(gvr, cluster ? "" : ns, name, [&](json& object) {
    changed = SetCondition(object, kConditionReady, status, reason, message, ctx_.now());
    return changed;
  });
  if (!updated.ok() && updated.code() != absl::StatusCode::kNotFound) {
    return ReconcileResult::Error(updated);
  }
  if (changed && status == "False") ctx_.events.Warning(*issuer, reason, message);
  return ReconcileResult::Done();
}

}  // namespace certforge::controller
