#pragma once
// The recursive engine behind ApplyStrategicMergePatch. Paths name schema locations: fields joined
// with ".", list elements as "[]" ("spec.containers[].ports").

#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/kube/strategic_merge_patch.h"

namespace certforge::kube::smp {

class StrategicMerger {
 public:
  explicit StrategicMerger(const StrategicMergeSchema& schema) : schema_(schema) {}

  // `original` that is not an object counts as an empty one.
  absl::StatusOr<nlohmann::json> MergeMap(nlohmann::json original, const nlohmann::json& patch,
                                          const std::string& path) const;

 private:
  struct ListMeta {
    bool merge = false;     // false: the patch list replaces the original
    std::string merge_key;  // empty for lists merged as sets of scalars
  };
  ListMeta MetaFor(const std::string& path) const;

  // The value for a field the patch sets to `patch` (not null), given the original or nullptr.
  absl::StatusOr<nlohmann::json> MergeValue(const nlohmann::json* original,
                                            const nlohmann::json& patch,
                                            const std::string& path) const;
  absl::StatusOr<nlohmann::json> MergeList(nlohmann::json original, const nlohmann::json& patch,
                                           const std::string& path, const ListMeta& meta) const;
  absl::StatusOr<nlohmann::json> MergeListOfMaps(nlohmann::json original,
                                                 const nlohmann::json& patch,
                                                 const std::string& path,
                                                 const std::string& merge_key) const;
  // A replacing list, with directives stripped from its maps.
  absl::StatusOr<nlohmann::json> CleanList(const nlohmann::json& patch,
                                           const std::string& path) const;

  absl::Status ApplyRetainKeys(nlohmann::json& original, const nlohmann::json& patch) const;
  absl::Status ApplySetElementOrder(nlohmann::json& original, const nlohmann::json& patch,
                                    const std::string& field, const nlohmann::json& order,
                                    const std::string& path) const;
  absl::Status DeleteFromPrimitiveList(nlohmann::json& original, const std::string& field,
                                       const nlohmann::json& values) const;

  const StrategicMergeSchema& schema_;
};

}  // namespace certforge::kube::smp
