#include "services/controller/certificate_trigger.h"

#include "lib/core/go_duration.h"
#include "lib/kube/json_fields.h"
#include "lib/pki/certificate.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/parse_memo.h"
#include "lib/pki/spec_matching.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/certificate_policies.h"
#include "services/controller/certificate_validation.h"
#include "services/controller/conditions.h"
#include "services/controller/renewal.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

// An unreadable request counts as not matching: no backoff, as cert-manager.
bool RequestMatchesCertificate(const json& request, const json& certificate) {
  auto mismatches = RequestMismatches(request, certificate);
  return mismatches.ok() && mismatches->empty();
}

// When the certificate in the Secret is due for renewal, if it has a readable one.
std::optional<core::TimePoint> DueAt(const CertificateInputs& in) {
  if (!in.secret) return std::nullopt;
  auto cert = pki::MemoCertificateFromPem(SecretData(*in.secret, "tls.crt"));
  if (!cert.ok()) return std::nullopt;
  return RenewalTime(cert->NotBefore(), cert->NotAfter(), RenewalSpecOf(*in.certificate));
}

}  // namespace

std::chrono::seconds RemainingBackoff(const json& certificate, const json* next_request,
                                      std::chrono::seconds min, std::chrono::seconds max,
                                      core::TimePoint now) {
  const json& status = kube::ObjectAt(certificate, "status");
  auto last_failure = core::ParseRfc3339(status.value("lastFailureTime", ""));
  if (!last_failure.ok()) return std::chrono::seconds(0);
  if (next_request != nullptr && !RequestMatchesCertificate(*next_request, certificate)) {
    return std::chrono::seconds(0);
  }
  auto delay = IssuanceBackoff(status.value("failedIssuanceAttempts", 0), min, max);
  auto since = duration_cast<std::chrono::seconds>(now - *last_failure);
  return since >= delay ? std::chrono::seconds(0) : delay - since;
}

ReconcileResult CertificateTrigger::Reconcile(const std::string& key) {
  // Most wake-ups come while an issuance is under way: settle those before reading anything.
  auto latest = ctx_.Certificate(key);
  if (!latest || ConditionIs(*latest, kConditionIssuing, "True")) return ReconcileResult::Done();
  auto in = GatherCertificateInputs(ctx_, key);
  if (!in.ok()) return ReconcileResult::Error(in.status());
  if (!in->certificate) return ReconcileResult::Done();
  const json& cert = *in->certificate;
  if (ConditionIs(cert, kConditionIssuing, "True")) return ReconcileResult::Done();
  if (auto problems = ValidateCertificate(cert); !problems.empty()) {
    // What the webhook would have refused is never issued; the readiness controller says why.
    ctx_.events.Warning(cert, "ConfigError", ValidationMessage(problems));
    return ReconcileResult::Done();
  }

  auto now = ctx_.now();
  PolicyInput input{cert, in->secret.get(), in->current_request.get()};
  auto violation = EvaluateTriggerPolicies(input, now);
  if (!violation) {
    // Nothing to do until renewal time.
    if (auto due = DueAt(*in)) {
      return ReconcileResult::After(
          std::max(milliseconds(1), duration_cast<milliseconds>(*due - now)));
    }
    return ReconcileResult::Done();
  }
  auto wait = RemainingBackoff(cert, in->next_request.get(), ctx_.options->min_backoff,
                               ctx_.options->max_backoff, now);
  if (wait.count() > 0) return ReconcileResult::After(duration_cast<milliseconds>(wait));

  auto [ns, name] = SplitKey(key);
  bool changed = false;  // false when a stale copy brought us here after another trigger
  auto updated = ctx_.status->Update(kCertificates, ns, name, [&](json& object) {
    if (ConditionIs(object, kConditionIssuing, "True")) return changed = false;
    return changed = SetCondition(object, kConditionIssuing, "True", violation->reason,
                                  violation->message, now);
  });
  if (!updated.ok()) {
    if (updated.code() == absl::StatusCode::kNotFound) return ReconcileResult::Done();
    return ReconcileResult::Error(updated);
  }
  if (changed) ctx_.events.Normal(cert, "Issuing", violation->message);
  return ReconcileResult::Done();
}

}  // namespace certforge::controller
