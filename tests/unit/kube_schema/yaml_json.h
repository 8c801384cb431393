#pragma once
// Test helper: YAML (schemas, manifests, CRD files) to nlohmann::json with YAML 1.2 core-schema
// scalars, so test tables can be written the way CRDs are.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace certforge::kube::testing {

// Throws on malformed YAML (tests only).
nlohmann::json YamlToJson(std::string_view yaml);
// Every document of a multi-document stream.
std::vector<nlohmann::json> YamlDocumentsToJson(std::string_view yaml);

}  // namespace certforge::kube::testing
