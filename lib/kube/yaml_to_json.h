#pragma once
// YAML documents as JSON, with YAML 1.2 core-schema typing for plain scalars (true, 12, 1.5,
// null) and quoted scalars kept as strings: what kubectl does before it sends a manifest.

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace certforge::kube {

// The first document.
absl::StatusOr<nlohmann::json> YamlToJson(std::string_view yaml);
// Every non-empty document of a multi-document stream ("---" separated).
absl::StatusOr<std::vector<nlohmann::json>> YamlDocumentsToJson(std::string_view yaml);

}  // namespace certforge::kube
