#include "lib/kube/strategic_merge_patch.h"

#include "lib/kube/strategic_merger.h"

namespace certforge::kube {

StrategicMergeSchema StrategicMergeSchema::ForObjectMeta() {
  StrategicMergeSchema schema;
  schema.merge_keys["metadata.ownerReferences"] = "uid";
  schema.merged_scalar_lists.insert("metadata.finalizers");
  return schema;
}

absl::StatusOr<nlohmann::json> ApplyStrategicMergePatch(const nlohmann::json& original,
                                                        const nlohmann::json& patch,
                                                        const StrategicMergeSchema& schema) {
  if (!patch.is_object()) {
    return absl::InvalidArgumentError("strategic merge patch must be a JSON object");
  }
  if (!original.is_object() && !original.is_null()) {
    return absl::InvalidArgumentError("strategic merge patch applies to JSON objects only");
  }
  try {
    return smp::StrategicMerger(schema).MergeMap(original, patch, "");
  } catch (const nlohmann::json::exception& e) {
    return absl::InternalError(std::string("strategic merge patch: ") + e.what());
  }
}

}  // namespace certforge::kube
