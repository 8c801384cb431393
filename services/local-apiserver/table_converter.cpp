#include "services/local-apiserver/table_converter.h"

#include "lib/core/time_format.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

std::string Age(const std::string& timestamp, std::chrono::system_clock::time_point now) {
  // As the CRD table convertor: no time is "<unknown>", an unparsable one "<invalid>".
  if (timestamp.empty() || timestamp == "null") return "<unknown>";
  auto t = core::ParseRfc3339(timestamp);
  if (!t.ok()) return "<invalid>";
  return core::HumanDuration(std::chrono::duration_cast<std::chrono::seconds>(now - *t));
}

json PartialObjectMetadata(const json& object) {
  json meta = object.contains("metadata") ? object["metadata"] : json::object();
  meta.erase("managedFields");
  return {{"kind", "PartialObjectMetadata"}, {"apiVersion", "meta.k8s.io/v1"}, {"metadata", meta}};
}

}  // namespace

bool WantsTable(const std::string& accept) {
  return accept.find("as=Table") != std::string::npos;
}

json CellValue(const std::string& type, const json& value,
               std::chrono::system_clock::time_point now) {
  if (value.is_null()) return nullptr;
  if (type == "date") {
    return value.is_string() ? json(Age(value.get<std::string>(), now)) : json(nullptr);
  }
  if (type == "integer") {
    if (value.is_number()) return value.get<int64_t>();
    return nullptr;
  }
  if (type == "number") return value.is_number() ? value : json(nullptr);
  if (type == "boolean") return value.is_boolean() ? value : json(nullptr);
  return value.is_string() ? value : json(value.dump());
}

json TableColumnDefinitions(const ResourceType& type) {
  json columns = json::array();
  columns.push_back({{"name", "Name"},
                     {"type", "string"},
                     {"format", "name"},
                     {"description",
                      "Name must be unique within a namespace. Is required when creating "
                      "resources, although some resources may allow a client to request the "
                      "generation of an appropriate name automatically."},
                     {"priority", 0}});
  for (const auto& c : type.columns) {
    columns.push_back({{"name", c.name},
                       {"type", c.type},
                       {"format", c.format},
                       {"description", c.description},
                       {"priority", c.priority}});
  }
  return columns;
}

json TableRow(const ResourceType& type, const json& object,
              std::chrono::system_clock::time_point now) {
  json cells = json::array();
  const json& meta = object.contains("metadata") ? object["metadata"] : json::object();
  cells.push_back(meta.value("name", ""));
  for (const auto& c : type.columns) {
    if (c.compute) {
      cells.push_back(c.compute(object));
      continue;
    }
    json value;
    if (c.json_path) {
      auto results = c.json_path->Evaluate(object);
      if (!results.empty()) value = results.front();
    }
    cells.push_back(CellValue(c.type, value, now));
  }
  return {{"cells", std::move(cells)}, {"object", PartialObjectMetadata(object)}};
}

json MakeTable(const ResourceType& type, json rows, const std::string& resource_version,
               const std::string& continue_token) {
  json meta = {{"resourceVersion", resource_version}};
  if (!continue_token.empty()) meta["continue"] = continue_token;
  return {{"kind", "Table"},
          {"apiVersion", "meta.k8s.io/v1"},
          {"metadata", std::move(meta)},
          {"columnDefinitions", TableColumnDefinitions(type)},
          {"rows", std::move(rows)}};
}

}  // namespace certforge::apiserver
