#include "services/controller/key_manager.h"

#include "certforge/signer/v1/signer.pb.h"
#include "lib/core/base64.h"
#include "lib/kube/json_fields.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/parse_memo.h"
#include "lib/pki/private_key.h"
#include "lib/pki/spec_matching.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/conditions.h"
#include "services/controller/owner_reference.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

std::string NextKeySecretName(const json& cert) {
  return kube::ObjectAt(cert, "status").value("nextPrivateKeySecretName", "");
}

// Which issuance attempt this is: keygen jobs of different attempts must not share an id.
std::string IssuingSince(const json& cert) {
  const json* issuing = FindCondition(cert, kConditionIssuing);
  return issuing ? issuing->value("lastTransitionTime", "") : "";
}

}  // namespace

std::vector<std::string> KeyManager::OwnedKeySecrets(const json& cert) const {
  std::vector<std::string> names;
  std::string uid = cert["metadata"].value("uid", "");
  for (const auto& secret : ctx_.secrets->ByIndex(kIndexByOwnerUid, uid)) {
    const json& labels = kube::ObjectAt((*secret)["metadata"], "labels");
    if (labels.value(kNextPrivateKeyLabel, "") == "true") {
      names.push_back((*secret)["metadata"].value("name", ""));
    }
  }
  return names;
}

ReconcileResult KeyManager::Reconcile(const std::string& key) {
  auto cert_ptr = ctx_.Certificate(key);
  if (!cert_ptr) return ReconcileResult::Done();
  const json& cert = *cert_ptr;
  auto [ns, name] = SplitKey(key);
  auto owned = OwnedKeySecrets(cert);
  std::string next_name = NextKeySecretName(cert);

  if (!ConditionIs(cert, kConditionIssuing, "True")) {
    // Issuing is over: the temporary key Secrets go.
    for (const auto& secret : owned) {
      auto deleted = ctx_.client->Delete(kSecrets, ns, secret);
      if (!deleted.ok() && deleted.status().code() != absl::StatusCode::kNotFound) {
        return ReconcileResult::Error(deleted.status());
      }
      ctx_.secret_reader->Deleted(ns, secret);  // no Event: cert-manager records none here
    }
    if (!next_name.empty()) {
      auto updated = ctx_.status->Update(kCertificates, ns, name, [](json& object) {
        if (!object.contains("status")) return false;
        return object["status"].erase("nextPrivateKeySecretName") > 0;
      });
      if (!updated.ok() && updated.code() != absl::StatusCode::kNotFound) {
        return ReconcileResult::Error(updated);
      }
    }
    return ReconcileResult::Done();
  }

  if (owned.size() > 1) {
    // More than one candidate: none is trusted; start again with one.
    for (const auto& secret : owned) {
      ctx_.client->Delete(kSecrets, ns, secret).IgnoreError();
      ctx_.secret_reader->Deleted(ns, secret);
    }
    return ReconcileResult::Done();
  }
  if (next_name.empty() && owned.size() == 1) {
    // A Secret stored before a crash, not yet recorded: adopt it.
    auto updated = ctx_.status->Update(kCertificates, ns, name, [&](json& object) {
      object["status"]["nextPrivateKeySecretName"] = owned.front();
      return true;
    });
    return updated.ok() ? ReconcileResult::Done() : ReconcileResult::Error(updated);
  }

  if (!next_name.empty()) {
    auto secret = ctx_.secret_reader->Get(ns, next_name);
    if (secret.ok()) {
      auto spec = pki::CertificateSpecFromJson(kube::ObjectAt(cert, "spec"));
      auto stored = pki::MemoPrivateKeyFromPem(SecretData(**secret, "tls.key"));
      if (spec.ok() && stored.ok() && pki::PrivateKeyMatchesSpec(*stored, *spec).empty()) {
        return ReconcileResult::Done();
      }
      // The spec asks for another key now: drop this one, a new one follows.
      ctx_.client->Delete(kSecrets, ns, next_name).IgnoreError();
      ctx_.secret_reader->Deleted(ns, next_name);
      ctx_.events.Normal(cert, "Deleted",
                         "Regenerating private key due to change in fields: private key does "
                         "not match the spec");
      return ReconcileResult::Done();
    }
    if (secret.status().code() != absl::StatusCode::kNotFound) {
      return ReconcileResult::Error(secret.status());
    }
  }

  auto next_key = NextKey(key, cert);
  if (!next_key.ok()) return ReconcileResult::Error(next_key.status());
  if (!next_key->has_value()) return ReconcileResult::Done();  // woken when the key is ready
  auto stored = StoreKey(cert, next_name, (*next_key)->pem, (*next_key)->reused);
  return stored.ok() ? ReconcileResult::Done() : ReconcileResult::Error(stored);
}

absl::StatusOr<std::optional<KeyManager::NextKeyPem>> KeyManager::NextKey(const std::string& key,
                                                                          const json& cert) {
  auto spec = pki::CertificateSpecFromJson(kube::ObjectAt(cert, "spec"));
  if (!spec.ok()) return spec.status();
  std::string policy = kube::ObjectAt(cert["spec"], "privateKey").value("rotationPolicy", "Always");
  if (policy == "Never") {
    auto [ns, name] = SplitKey(key);
    std::string secret_name = cert["spec"].value("secretName", "");
    auto secret = ctx_.secret_reader->Get(ns, secret_name);
    if (secret.ok()) {
      auto existing = pki::MemoPrivateKeyFromPem(SecretData(**secret, "tls.key"));
      if (existing.ok()) {
        auto mismatches = pki::PrivateKeyMatchesSpec(*existing, *spec);
        if (mismatches.empty()) {
          auto pem = existing->ToPkcs8Pem();
          if (!pem.ok()) return pem.status();
          return std::optional<NextKeyPem>(NextKeyPem{*pem, true});
        }
        ctx_.events.Warning(cert, "BadConfig",
                            "The Certificate's rotationPolicy is Never, but the private key in "
                            "Secret \"" +
                                secret_name + "\" does not match the spec; generating a new one");
      }
    }
  }
  auto algorithm = pki::SpecKeyAlgorithm(*spec);
  auto size = pki::SpecKeySize(*spec);
  if (!algorithm.ok()) return algorithm.status();
  if (!size.ok()) return size.status();
  std::string job_id = cert["metadata"].value("uid", "") + "/keygen/" + IssuingSince(cert);
  auto result = ctx_.jobs->Take(
      "signer", "keygen", job_id,
      [&] {
        signer::v1::KeygenRequest request;
        request.set_algorithm(std::string(pki::KeyAlgorithmName(*algorithm)));
        request.set_size(*size);
        return request.SerializeAsString();
      },
      [this, key] { ctx_.wake_certificate(key); });
  if (!result) return std::optional<NextKeyPem>();
  if (!result->status.ok()) return result->status;
  signer::v1::KeygenResult generated;
  if (!generated.ParseFromString(result->payload)) {
    return absl::InternalError("signer returned an unreadable keygen result");
  }
  return std::optional<NextKeyPem>(NextKeyPem{generated.private_key_pem(), false});
}

absl::Status KeyManager::StoreKey(const json& cert, const std::string& secret_name,
                                  const std::string& key_pem, bool reused) {
  const json& meta = cert["metadata"];
  std::string ns = meta.value("namespace", "");
  json secret = {
      {"apiVersion", "v1"},
      {"kind", "Secret"},
      {"type", "Opaque"},
      {"metadata",
       {{"namespace", ns},
        {"labels", {{kNextPrivateKeyLabel, "true"}, {kPartOfCertManagerControllerLabel, "true"}}},
        {"ownerReferences", json::array({ControllerOwnerReference(cert)})}}},
      {"data", {{"tls.key", core::Base64Encode(key_pem)}}}};
  if (secret_name.empty()) {
    secret["metadata"]["generateName"] = meta.value("name", "") + "-";
  } else {
    secret["metadata"]["name"] = secret_name;
  }
  auto created = ctx_.client->Create(kSecrets, secret);
  if (!created.ok()) return created.status();
  ctx_.secret_reader->Written(*created);
  std::string stored_name = (*created)["metadata"].value("name", "");
  if (reused) {
    ctx_.events.Normal(cert, "Reused",
                       "Reusing private key stored in existing Secret resource \"" +
                           cert["spec"].value("secretName", "") + "\"");
  } else {
    ctx_.events.Normal(
        cert, "Generated",
        "Stored new private key in temporary Secret resource \"" + stored_name + "\"");
  }
  if (secret_name == stored_name) return absl::OkStatus();
  auto updated = ctx_.status->Update(kCertificates, ns, meta.value("name", ""), [&](json& object) {
    object["status"]["nextPrivateKeySecretName"] = stored_name;
    return true;
  });
  return updated;
}

}  // namespace certforge::controller
