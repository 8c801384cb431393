#include "services/controller/revision_manager.h"

#include <algorithm>

#include "lib/kube/json_fields.h"
#include "services/controller/certificate_inputs.h"
#include "services/controller/conditions.h"
#include "services/controller/resources.h"

namespace certforge::controller {

using nlohmann::json;

ReconcileResult RevisionManager::Reconcile(const std::string& key) {
  auto cert = ctx_.Certificate(key);
  if (!cert || !ConditionIs(*cert, kConditionReady, "True")) return ReconcileResult::Done();
  int limit = std::max(1, kube::ObjectAt(*cert, "spec").value("revisionHistoryLimit", 1));
  int current = kube::ObjectAt(*cert, "status").value("revision", 0);
  std::vector<std::pair<int, std::string>> issued;  // revision, name
  for (const auto& request : RequestsOf(ctx_, key)) {
    auto revision = RequestRevision(*request);
    // Requests of revisions still to come are the issuing controllers' business.
    if (revision && *revision <= current) {
      issued.emplace_back(*revision, (*request)["metadata"].value("name", ""));
    }
  }
  if (static_cast<int>(issued.size()) <= limit) return ReconcileResult::Done();
  std::sort(issued.begin(), issued.end());
  auto ns = SplitKey(key).first;
  for (size_t i = 0; i + limit < issued.size(); ++i) {
    auto deleted = ctx_.client->Delete(kCertificateRequests, ns, issued[i].second);
    if (!deleted.ok() && deleted.status().code() != absl::StatusCode::kNotFound) {
      return ReconcileResult::Error(deleted.status());
    }
  }
  return ReconcileResult::Done();
}

}  // namespace certforge::controller
