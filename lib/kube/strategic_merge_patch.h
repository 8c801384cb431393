#pragma once
// Strategic merge patch (application/strategic-merge-patch+json) as kubectl and client libraries
// send it for built-in kinds. Lists merge only where the schema says so; everything else behaves
// like a JSON merge patch.

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "absl/status/statusor.h"

namespace certforge::kube {

struct StrategicMergeSchema {
  // JSON paths of lists merged by a key field, written with [] for list levels:
  // {"metadata.ownerReferences": "uid"}, {"spec.containers[].ports": "containerPort"}.
  std::map<std::string, std::string> merge_keys;
  // Lists of scalars merged as sets: {"metadata.finalizers"}.
  std::set<std::string> merged_scalar_lists;

  static StrategicMergeSchema ForObjectMeta();  // ownerReferences by uid, finalizers as a set
};

// Applies `patch` (an object) to `original` (an object, or null for an empty one).
// Honoured directives: "$patch": replace|delete|merge on maps, "$patch": delete|replace on
// elements of keyed lists, "$retainKeys", "$setElementOrder/<field>" and
// "$deleteFromPrimitiveList/<field>". Other "$" keys are dropped. Keyed and set lists keep the
// order Kubernetes gives them: patch items in patch order with server-only items interleaved.
// Bad directive values, patch items without their merge key and lists mixing maps and scalars
// are InvalidArgumentError.
absl::StatusOr<nlohmann::json> ApplyStrategicMergePatch(const nlohmann::json& original,
                                                        const nlohmann::json& patch,
                                                        const StrategicMergeSchema& schema);

}  // namespace certforge::kube
