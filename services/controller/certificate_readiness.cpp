#include "services/controller/certificate_readiness.h"

#include "lib/pki/certificate.h"
#include "lib/pki/parse_memo.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/certificate_policies.h"
#include "services/controller/certificate_validation.h"
#include "services/controller/conditions.h"
#include "services/controller/resources.h"

namespace certforge::controller {

using nlohmann::json;

ReconcileResult CertificateReadiness::Reconcile(const std::string& key) {
  auto in = GatherCertificateInputs(ctx_, key);
  if (!in.ok()) return ReconcileResult::Error(in.status());
  if (!in->certificate) return ReconcileResult::Done();
  const json& cert = *in->certificate;
  auto now = ctx_.now();
  PolicyInput input{cert, in->secret.get(), in->current_request.get()};
  auto violation = EvaluateReadinessPolicies(input, now);
  if (auto problems = ValidateCertificate(cert); !problems.empty()) {
    violation = PolicyViolation{"ConfigError", ValidationMessage(problems)};
  }

  // Times come from the certificate in the Secret whenever one is readable.
  std::optional<pki::Certificate> issued;
  if (in->secret) {
    auto parsed = pki::MemoCertificateFromPem(SecretData(*in->secret, "tls.crt"));
    if (parsed.ok()) issued = std::move(*parsed);
  }
  auto [ns, name] = SplitKey(key);
  auto updated = ctx_.status->Update(kCertificates, ns, name, [&](json& object) {
    bool changed = violation ? SetCondition(object, kConditionReady, "False", violation->reason,
                                            violation->message, now)
                             : SetCondition(object, kConditionReady, "True", "Ready",
                                            "Certificate is up to date and has not expired", now);
    json& status = object["status"];
    auto set_time = [&](const char* field, std::optional<core::TimePoint> t) {
      if (t) {
        std::string text = core::FormatRfc3339(*t);
        if (status.value(field, "") != text) {
          status[field] = text;
          changed = true;
        }
      } else if (status.erase(field) > 0) {
        changed = true;
      }
    };
    std::optional<core::TimePoint> not_before, not_after, renewal;
    if (issued) {
      not_before = issued->NotBefore();
      not_after = issued->NotAfter();
      renewal = RenewalTime(*not_before, *not_after, RenewalSpecOf(object));
    }
    set_time("notBefore", not_before);
    set_time("notAfter", not_after);
    set_time("renewalTime", renewal);
    return changed;
  });
  if (!updated.ok()) {
    return updated.code() == absl::StatusCode::kNotFound ? ReconcileResult::Done()
                                                         : ReconcileResult::Error(updated);
  }
  // Look again when the certificate expires, to turn Ready false on time.
  if (issued && issued->NotAfter() > now) {
    return ReconcileResult::After(std::chrono::duration_cast<std::chrono::milliseconds>(
        issued->NotAfter() - now + std::chrono::seconds(1)));
  }
  return ReconcileResult::Done();
}

}  // namespace certforge::controller
