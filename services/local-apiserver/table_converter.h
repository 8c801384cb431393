#pragma once
// meta.k8s.io/v1 Table responses, what `kubectl get` prints: the Name column, the resource's
// columns (a CRD's additionalPrinterColumns, or a built-in's own), ages rendered as kubectl
// renders them, and each row's object as PartialObjectMetadata.

#include <chrono>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "services/local-apiserver/resource_type.h"

namespace certforge::apiserver {

bool WantsTable(const std::string& accept_header);

nlohmann::json TableColumnDefinitions(const ResourceType& type);
nlohmann::json TableRow(const ResourceType& type, const nlohmann::json& object,
                        std::chrono::system_clock::time_point now);
// A Table wrapping `rows` (as built by TableRow).
nlohmann::json MakeTable(const ResourceType& type, nlohmann::json rows,
                         const std::string& resource_version, const std::string& continue_token);

// A cell as the real server renders a value of a column type ("date" → age).
nlohmann::json CellValue(const std::string& column_type, const nlohmann::json& value,
                         std::chrono::system_clock::time_point now);

}  // namespace certforge::apiserver
