#include "services/controller/request_state.h"

#include "lib/core/time_format.h"
#include "lib/kube/json_fields.h"
#include "services/controller/conditions.h"
#include "services/controller/resources.h"

namespace certforge::controller {

using nlohmann::json;

bool RequestApproved(const json& r) { return ConditionIs(r, kConditionApproved, "True"); }
bool RequestDenied(const json& r) { return ConditionIs(r, kConditionDenied, "True"); }
bool RequestInvalid(const json& r) { return ConditionIs(r, kConditionInvalidRequest, "True"); }

bool RequestIssued(const json& r) {
  return ConditionIs(r, kConditionReady, "True") &&
         ConditionReason(r, kConditionReady) == kReasonIssued;
}

bool RequestFailed(const json& r) {
  return RequestDenied(r) || RequestInvalid(r) ||
         (ConditionIs(r, kConditionReady, "False") &&
          ConditionReason(r, kConditionReady) == kReasonFailed);
}

bool RequestFinal(const json& r) { return RequestIssued(r) || RequestFailed(r); }

bool RequestFinishedBefore(const json& request, const json& condition) {
  auto changed = core::ParseRfc3339(condition.value("lastTransitionTime", ""));
  if (!changed.ok()) return false;
  const json& status = kube::ObjectAt(request, "status");
  std::string when = status.value("failureTime", "");
  if (when.empty()) {
    const json* ready = FindCondition(request, kConditionReady);
    if (ready) when = ready->value("lastTransitionTime", "");
  }
  auto finished = core::ParseRfc3339(when);
  return finished.ok() && *finished < *changed;
}

}  // namespace certforge::controller
