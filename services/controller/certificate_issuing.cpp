#include "services/controller/certificate_issuing.h"

#include <algorithm>

#include "lib/core/base64.h"
#include "lib/kube/json_fields.h"
#include "lib/pki/certificate.h"
#include "lib/pki/parse_memo.h"
#include "lib/pki/private_key.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/conditions.h"
#include "services/controller/owner_reference.h"
#include "services/controller/request_state.h"
#include "services/controller/resources.h"
#include "services/controller/secret_content.h"
#include "services/controller/temporary_certificate.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

std::string RequestMessage(const json& request) {
  for (const char* type : {kConditionDenied, kConditionInvalidRequest, kConditionReady}) {
    const json* c = FindCondition(request, type);
    if (c && c->value("status", "") == "True" && std::string(type) != kConditionReady) {
      return c->value("message", "");
    }
  }
  const json* ready = FindCondition(request, kConditionReady);
  return ready ? ready->value("message", "") : "";
}

}  // namespace

ReconcileResult CertificateIssuing::Reconcile(const std::string& key) {
  auto in = GatherCertificateInputs(ctx_, key);
  if (!in.ok()) return ReconcileResult::Error(in.status());
  if (!in->certificate) return ReconcileResult::Done();
  const json& cert = *in->certificate;
  if (!ConditionIs(cert, kConditionIssuing, "True")) return RefreshSecret(cert, in->secret);
  if (!in->next_request) return EnsureTemporaryCertificate(cert, in->secret);
  const json& request = *in->next_request;
  const json* issuing = FindCondition(cert, kConditionIssuing);
  if (RequestFailed(request)) {
    // A failure from an earlier attempt is the request manager's to replace.
    if (RequestFinishedBefore(request, *issuing)) return ReconcileResult::Done();
    return Failed(cert, request);
  }
  if (!RequestIssued(request)) return EnsureTemporaryCertificate(cert, in->secret);
  return Issue(cert, request, in->revision + 1);
}

ReconcileResult CertificateIssuing::EnsureTemporaryCertificate(
    const json& cert, const std::shared_ptr<const json>& secret) {
  const json& annotations = kube::ObjectAt(cert["metadata"], "annotations");
  if (annotations.value(kIssueTemporaryCertificateAnnotation, "") != "true") {
    return ReconcileResult::Done();
  }
  if (secret) {
    auto leaf = pki::MemoCertificateFromPem(SecretData(*secret, "tls.crt"));
    auto key = pki::MemoPrivateKeyFromPem(SecretData(*secret, "tls.key"));
    if (leaf.ok() && key.ok() && leaf->MatchesKey(*key)) return ReconcileResult::Done();
  }
  std::string ns = cert["metadata"].value("namespace", "");
  std::string key_secret_name =
      kube::ObjectAt(cert, "status").value("nextPrivateKeySecretName", "");
  if (key_secret_name.empty()) return ReconcileResult::Done();
  auto key_secret = ctx_.secret_reader->Get(ns, key_secret_name);
  if (!key_secret.ok()) return ReconcileResult::Done();
  std::string key_pem = SecretData(**key_secret, "tls.key");
  auto key = pki::MemoPrivateKeyFromPem(key_pem);
  auto spec = pki::CertificateSpecFromJson(kube::ObjectAt(cert, "spec"));
  if (!key.ok() || !spec.ok()) return ReconcileResult::Done();
  auto temporary = TemporaryCertificate(*spec, *key, ctx_.now());
  if (!temporary.ok()) return ReconcileResult::Error(temporary.status());
  SecretContentInputs content{cert,         *temporary,   "",        key_pem,
                              std::nullopt, std::nullopt, ctx_.now()};
  json data = {{"tls.crt", core::Base64Encode(*temporary)}};
  auto encoded = BuildSecretData(content);
  if (encoded.ok()) data["tls.key"] = (*encoded)["tls.key"];
  auto secret_annotations = SecretAnnotations(cert, *temporary);
  if (!secret_annotations.ok()) return ReconcileResult::Error(secret_annotations.status());
  if (auto s = WriteSecret(cert, data, *secret_annotations); !s.ok()) {
    return ReconcileResult::Error(s);
  }
  ctx_.events.Normal(cert, "Issuing", "Issued temporary certificate");
  return ReconcileResult::Done();
}

ReconcileResult CertificateIssuing::RefreshSecret(const json& cert,
                                                  const std::shared_ptr<const json>& secret) {
  if (!secret) return ReconcileResult::Done();
  std::string chain = SecretData(*secret, "tls.crt");
  std::string key_pem = SecretData(*secret, "tls.key");
  auto leaf = pki::MemoCertificateFromPem(chain);
  auto key = pki::MemoPrivateKeyFromPem(key_pem);
  // A missing or broken pair is the trigger's business (it re-issues).
  if (!leaf.ok() || !key.ok() || !leaf->MatchesKey(*key)) return ReconcileResult::Done();

  auto annotations = SecretAnnotations(cert, chain);
  if (!annotations.ok()) return ReconcileResult::Done();
  // Keystores carry random salts, so only their presence is compared, and they are built only
  // when the Secret is rewritten.
  SecretContentInputs content{cert,
                              chain,
                              SecretData(*secret, "ca.crt"),
                              key_pem,
                              std::nullopt,
                              std::nullopt,
                              ctx_.now(),
                              /*keystores=*/false};
  auto data = BuildSecretData(content);
  if (!data.ok()) return ReconcileResult::Done();

  const json& smeta = (*secret)["metadata"];
  const json& spec = kube::ObjectAt(cert, "spec");
  const json& tmpl = kube::ObjectAt(spec, "secretTemplate");
  json want_labels = kube::ObjectAt(tmpl, "labels");
  want_labels[kPartOfCertManagerControllerLabel] = "true";
  json want_annotations = kube::ObjectAt(tmpl, "annotations");
  want_annotations.update(*annotations);
  auto contains = [](const json& have, const json& want) {
    for (const auto& [k, v] : want.items()) {
      if (!have.contains(k) || have[k] != v) return true;
    }
    return false;
  };
  bool stale = contains(kube::ObjectAt(smeta, "labels"), want_labels) ||
               contains(kube::ObjectAt(smeta, "annotations"), want_annotations);
  // Data: keys present exactly when asked for; deterministic values must be equal.
  const json& have = kube::ObjectAt(*secret, "data");
  for (const char* k : {"tls.key", "key.der", "tls-combined.pem", "ca.crt"}) {
    if (data->contains(k) != have.contains(k) || (data->contains(k) && (*data)[k] != have[k])) {
      stale = true;
    }
  }
  std::vector<std::string> keystores = KeystoreKeys(spec, !content.ca_pem.empty());
  for (const char* k : kKeystoreEntries) {
    bool wanted = std::find(keystores.begin(), keystores.end(), k) != keystores.end();
    if (wanted != have.contains(k)) stale = true;
  }
  if (!stale) return ReconcileResult::Done();

  auto p12 = KeystorePassword(cert, "pkcs12");
  auto jks = KeystorePassword(cert, "jks");
  if (!p12.ok() || !jks.ok()) return ReconcileResult::Done();
  content.pkcs12_password = *p12;
  content.jks_password = *jks;
  content.keystores = true;
  data = BuildSecretData(content);
  if (!data.ok()) return ReconcileResult::Done();
  // Keystores already there are kept as they are, so that nothing changes needlessly.
  for (const char* k : kKeystoreEntries) {
    if (data->contains(k) && have.contains(k)) (*data)[k] = have[k];
  }
  if (auto s = WriteSecret(cert, *data, want_annotations); !s.ok()) {
    return ReconcileResult::Error(s);
  }
  return ReconcileResult::Done();
}

ReconcileResult CertificateIssuing::Failed(const json& cert, const json& request) {
  auto [ns, name] =
      std::pair(cert["metadata"].value("namespace", ""), cert["metadata"].value("name", ""));
  auto now = ctx_.now();
  std::string message = "The certificate request has failed to complete and will be retried: " +
                        RequestMessage(request);
  auto updated = ctx_.status->Update(kCertificates, ns, name, [&](json& object) {
    if (!ConditionIs(object, kConditionIssuing, "True")) return false;
    SetCondition(object, kConditionIssuing, "False", kReasonFailed, message, now);
    json& status = object["status"];
    status["lastFailureTime"] = core::FormatRfc3339(now);
    status["failedIssuanceAttempts"] = status.value("failedIssuanceAttempts", 0) + 1;
    return true;
  });
  if (!updated.ok() && updated.code() != absl::StatusCode::kNotFound) {
    return ReconcileResult::Error(updated);
  }
  ctx_.events.Warning(cert, "Failed", message);
  return ReconcileResult::Done();
}

absl::StatusOr<std::optional<std::string>> CertificateIssuing::KeystorePassword(const json& cert,
                                                                                const char* kind) {
  const json& store = kube::ObjectAt(kube::ObjectAt(cert["spec"], "keystores"), kind);
  if (!store.value("create", false)) return std::optional<std::string>();
  if (store.contains("password") && store["password"].is_string()) {
    return std::optional<std::string>(store["password"].get<std::string>());
  }
  const json& ref = kube::ObjectAt(store, "passwordSecretRef");
  auto secret =
      ctx_.secret_reader->Get(cert["metadata"].value("namespace", ""), ref.value("name", ""));
  if (!secret.ok()) return secret.status();
  std::string key = ref.value("key", "");
  const json& stored = **secret;
  if (!kube::ObjectAt(stored, "data").contains(key)) {
    return absl::FailedPreconditionError("no key \"" + key + "\" in Secret \"" +
                                         ref.value("name", "") + "\"");
  }
  return std::optional<std::string>(SecretData(stored, key));
}

ReconcileResult CertificateIssuing::Issue(const json& cert, const json& request, int revision) {
  const json& meta = cert["metadata"];
  std::string ns = meta.value("namespace", "");
  std::string name = meta.value("name", "");
  std::string key_secret_name =
      kube::ObjectAt(cert, "status").value("nextPrivateKeySecretName", "");
  if (key_secret_name.empty()) return ReconcileResult::Done();
  auto key_secret = ctx_.secret_reader->Get(ns, key_secret_name);
  if (!key_secret.ok()) {
    return key_secret.status().code() == absl::StatusCode::kNotFound
               ? ReconcileResult::Done()
               : ReconcileResult::Error(key_secret.status());
  }
  const json& req_status = kube::ObjectAt(request, "status");
  auto chain = core::Base64Decode(req_status.value("certificate", ""));
  auto ca = core::Base64Decode(req_status.value("ca", ""));
  if (!chain.ok()) return ReconcileResult::Error(chain.status());

  // The issued certificate must belong to the stored key, or the Secret would be unusable.
  std::string key_pem = SecretData(**key_secret, "tls.key");
  auto leaf = pki::MemoCertificateFromPem(*chain);
  auto private_key = pki::MemoPrivateKeyFromPem(key_pem);
  if (!leaf.ok() || !private_key.ok() || !leaf->MatchesKey(*private_key)) {
    ctx_.events.Warning(cert, "InvalidKeyPair",
                        "The issued certificate does not match the next private key; "
                        "re-requesting");
    ctx_.client->Delete(kCertificateRequests, ns, request["metadata"].value("name", ""))
        .IgnoreError();
    return ReconcileResult::Done();
  }

  auto p12 = KeystorePassword(cert, "pkcs12");
  auto jks = KeystorePassword(cert, "jks");
  if (!p12.ok() || !jks.ok()) {
    std::string why = std::string((!p12.ok() ? p12.status() : jks.status()).message());
    ctx_.events.Warning(cert, "SecretPasswordError", "Failed to read keystore password: " + why);
    return ReconcileResult::Error(!p12.ok() ? p12.status() : jks.status());
  }
  SecretContentInputs content{cert, *chain, ca.ok() ? *ca : "", key_pem, *p12, *jks, ctx_.now()};
  auto data = BuildSecretData(content);
  auto annotations = SecretAnnotations(cert, *chain);
  if (!data.ok()) return ReconcileResult::Error(data.status());
  if (!annotations.ok()) return ReconcileResult::Error(annotations.status());
  if (auto s = WriteSecret(cert, *data, *annotations); !s.ok()) return ReconcileResult::Error(s);

  // From a stale copy this may run again for an issuance already recorded: then nothing
  // changes, and the event is not repeated.
  bool changed = false;
  auto updated = ctx_.status->Update(kCertificates, ns, name, [&](json& object) {
    const json before = kube::ObjectAt(object, "status");  // a copy: compared after the edit
    json& status = object["status"];
    status["revision"] = revision;
    status.erase("lastFailureTime");
    status.erase("failedIssuanceAttempts");
    RemoveCondition(object, kConditionIssuing);
    changed = status != before;
    return changed;
  });
  if (!updated.ok()) {
    return updated.code() == absl::StatusCode::kNotFound ? ReconcileResult::Done()
                                                         : ReconcileResult::Error(updated);
  }
  if (changed) ctx_.events.Normal(cert, "Issuing", "The certificate has been successfully issued");
  return ReconcileResult::Done();
}

absl::StatusOr<json> CertificateIssuing::KnownSecret(const std::string& ns,
                                                     const std::string& name) {
  auto known = ctx_.secret_reader->Get(ns, name);
  if (!known.ok()) return known.status();
  return **known;
}

absl::Status CertificateIssuing::WriteSecret(const json& cert, const json& data,
                                             const json& annotations) {
  const json& meta = cert["metadata"];
  const json& spec = kube::ObjectAt(cert, "spec");
  std::string ns = meta.value("namespace", "");
  std::string secret_name = spec.value("secretName", "");
  const json& tmpl = kube::ObjectAt(spec, "secretTemplate");
  json labels = kube::ObjectAt(tmpl, "labels");
  labels[kPartOfCertManagerControllerLabel] = "true";
  json all_annotations = kube::ObjectAt(tmpl, "annotations");
  all_annotations.update(annotations);

  for (int attempt = 0; attempt < 5; ++attempt) {
    // The first attempt trusts what this controller knows; a conflict means it was behind.
    absl::StatusOr<json> existing =
        attempt == 0 ? KnownSecret(ns, secret_name) : ctx_.client->Get(kSecrets, ns, secret_name);
    if (!existing.ok() && existing.status().code() != absl::StatusCode::kNotFound) {
      return existing.status();
    }
    json secret = existing.ok() ? *existing
                                : json{{"apiVersion", "v1"},
                                       {"kind", "Secret"},
                                       {"type", "kubernetes.io/tls"},
                                       {"metadata", {{"name", secret_name}, {"namespace", ns}}}};
    json& smeta = secret["metadata"];
    json merged_labels = kube::ObjectAt(smeta, "labels");
    merged_labels.update(labels);
    smeta["labels"] = merged_labels;
    json merged_annotations = kube::ObjectAt(smeta, "annotations");
    merged_annotations.update(all_annotations);
    smeta["annotations"] = merged_annotations;
    // Keys certforge wrote before but the spec no longer asks for go; others stay.
    json new_data = kube::ObjectAt(secret, "data");
    for (const char* owned : {"ca.crt", "keystore.p12", "truststore.p12", "keystore.jks",
                              "truststore.jks", "key.der", "tls-combined.pem"}) {
      new_data.erase(owned);
    }
    new_data.update(data);
    secret["data"] = new_data;
    if (ctx_.options->enable_certificate_owner_ref && !IsOwnedBy(secret, meta.value("uid", ""))) {
      smeta["ownerReferences"].push_back(ControllerOwnerReference(cert));
    }
    SecretReader::WriteInFlight in_flight(*ctx_.secret_reader, ns + "/" + secret_name);
    auto written = existing.ok() ? ctx_.client->Update(kSecrets, secret)
                                 : ctx_.client->Create(kSecrets, secret);
    if (written.ok()) {
      ctx_.secret_reader->Written(*written);
      return absl::OkStatus();
    }
    auto code = written.status().code();
    if (code != absl::StatusCode::kAborted && code != absl::StatusCode::kAlreadyExists) {
      return written.status();
    }
  }
  return absl::AbortedError("the Secret kept changing while it was being written");
}

}  // namespace certforge::controller
