#include "services/local-apiserver/crd_strategy.h"

#include <cctype>
#include <set>

#include "lib/core/time_format.h"
#include "services/local-apiserver/builtin_resources.h"
#include "services/local-apiserver/metadata_validation.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;
using kube::FieldError;

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

json AcceptedNames(const json& names) {
  json accepted = names;
  std::string kind = names.value("kind", "");
  if (!accepted.contains("singular") || accepted["singular"].get<std::string>().empty()) {
    accepted["singular"] = Lower(kind);
  }
  if (!accepted.contains("listKind") || accepted["listKind"].get<std::string>().empty()) {
    accepted["listKind"] = kind + "List";
  }
  return accepted;
}

std::string StorageVersion(const json& spec) {
  for (const auto& v : spec.value("versions", json::array())) {
    if (v.value("storage", false)) return v.value("name", "");
  }
  return "";
}

json Condition(const std::string& type, const std::string& reason, const std::string& message,
               const std::string& now) {
  return {{"type", type},
          {"status", "True"},
          {"reason", reason},
          {"message", message},
          {"lastTransitionTime", now}};
}

void SetStatus(json& object, const json* old) {
  std::string now = core::FormatRfc3339(std::chrono::system_clock::now());
  const json& spec = object["spec"];
  json status = old != nullptr && old->contains("status") ? (*old)["status"] : json::object();
  if (!status.contains("conditions")) {
    status["conditions"] = json::array(
        {Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
         Condition("Established", "InitialNamesAccepted", "the initial names have been accepted",
                   now)});
  }
  status["acceptedNames"] = AcceptedNames(spec.value("names", json::object()));
  json stored = status.value("storedVersions", json::array());
  std::string storage = StorageVersion(spec);
  if (!storage.empty() && std::find(stored.begin(), stored.end(), storage) == stored.end()) {
    stored.push_back(storage);
  }
  status["storedVersions"] = stored;
  object["status"] = std::move(status);
}

void ValidateVersions(const json& spec, std::vector<FieldError>& errors) {
  const json versions = spec.value("versions", json::array());
  if (versions.empty()) {
    errors.push_back({"spec.versions", "FieldValueInvalid",
                      "Invalid value: []: must have exactly one version marked as storage version"});
    return;
  }
  int storage = 0;
  std::set<std::string> names;
  for (size_t i = 0; i < versions.size(); ++i) {
    const json& v = versions[i];
    std::string field = "spec.versions[" + std::to_string(i) + "]";
    std::string name = v.value("name", "");
    if (!IsDnsLabel(name)) {
      errors.push_back({field + ".name", "FieldValueInvalid",
                        "Invalid value: \"" + name + "\": a DNS-1035 label is required"});
    }
    if (!names.insert(name).second) {
      errors.push_back({field + ".name", "FieldValueDuplicate", "Duplicate value: \"" + name + "\""});
    }
    if (v.value("storage", false)) ++storage;
    const json schema = v.value("schema", json::object());
    if (!schema.contains("openAPIV3Schema")) {
      errors.push_back({field + ".schema.openAPIV3Schema", "FieldValueRequired",
                        "Required value: schemas are required"});
    } else if (auto compiled = kube::StructuralSchema::Compile(schema["openAPIV3Schema"]);
               !compiled.ok()) {
      errors.push_back({field + ".schema.openAPIV3Schema", "FieldValueInvalid",
                        "Invalid value: " + std::string(compiled.status().message())});
    }
    const json columns = v.value("additionalPrinterColumns", json::array());
    for (size_t c = 0; c < columns.size(); ++c) {
      std::string cfield = field + ".additionalPrinterColumns[" + std::to_string(c) + "]";
      std::string type = columns[c].value("type", "");
      static const std::set<std::string> kTypes = {"integer", "number", "string", "boolean",
                                                   "date"};
      if (!kTypes.count(type)) {
        errors.push_back({cfield + ".type", "FieldValueNotSupported",
                          "Unsupported value: \"" + type +
                              "\": supported values: \"boolean\", \"date\", \"integer\", "
                              "\"number\", \"string\""});
      }
      if (!kube::JsonPath::Parse(columns[c].value("jsonPath", "")).ok()) {
        errors.push_back({cfield + ".jsonPath", "FieldValueInvalid",
                          "Invalid value: \"" + columns[c].value("jsonPath", "") +
                              "\": must be a simple json path"});
      }
    }
  }
  if (storage != 1) {
    errors.push_back({"spec.versions", "FieldValueInvalid",
                      "Invalid value: must have exactly one version marked as storage version"});
  }
}

}  // namespace

void CrdStrategy::PrepareForCreate(json& object) const {
  json& finalizers = object["metadata"]["finalizers"];
  if (!finalizers.is_array()) finalizers = json::array();
  if (std::find(finalizers.begin(), finalizers.end(), kCrdCleanupFinalizer) == finalizers.end()) {
    finalizers.push_back(kCrdCleanupFinalizer);
  }
  SetStatus(object, nullptr);
}

void CrdStrategy::PrepareForUpdate(json& object, const json& old) const {
  SetStatus(object, &old);
}

std::vector<FieldError> CrdStrategy::Validate(const json& object, const json* old) const {
  std::vector<FieldError> errors;
  const json spec = object.value("spec", json::object());
  const json names = spec.value("names", json::object());
  std::string group = spec.value("group", "");
  std::string plural = names.value("plural", "");
  std::string name = object["metadata"].value("name", "");
  if (name != plural + "." + group) {
    errors.push_back({"metadata.name", "FieldValueInvalid",
                      "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group"});
  }
  if (!IsDnsSubdomain(group) || group.find('.') == std::string::npos) {
    errors.push_back({"spec.group", "FieldValueInvalid",
                      "Invalid value: \"" + group + "\": should be a domain with at least one dot"});
  }
  std::string scope = spec.value("scope", "");
  if (scope != "Namespaced" && scope != "Cluster") {
    errors.push_back({"spec.scope", "FieldValueNotSupported",
                      "Unsupported value: \"" + scope +
                          "\": supported values: \"Cluster\", \"Namespaced\""});
  }
  if (!IsDnsLabel(plural)) {
    errors.push_back({"spec.names.plural", "FieldValueInvalid",
                      "Invalid value: \"" + plural + "\": a lowercase RFC 1123 label is required"});
  }
  std::string singular = names.value("singular", "");
  if (!singular.empty() && !IsDnsLabel(singular)) {
    errors.push_back({"spec.names.singular", "FieldValueInvalid",
                      "Invalid value: \"" + singular + "\": a lowercase RFC 1123 label is required"});
  }
  std::string kind = names.value("kind", "");
  if (kind.empty() || !std::isupper(static_cast<unsigned char>(kind[0]))) {
    errors.push_back({"spec.names.kind", "FieldValueInvalid",
                      "Invalid value: \"" + kind + "\": must start with an upper case letter"});
  }
  for (const auto& sn : names.value("shortNames", json::array())) {
    if (!sn.is_string() || !IsDnsLabel(sn.get<std::string>())) {
      errors.push_back({"spec.names.shortNames", "FieldValueInvalid",
                        "Invalid value: " + sn.dump() + ": a lowercase RFC 1123 label is required"});
    }
  }
  ValidateVersions(spec, errors);
  if (old != nullptr) {
    const json old_spec = old->value("spec", json::object());
    if (old_spec.value("group", "") != group) {
      errors.push_back({"spec.group", "FieldValueInvalid",
                        "Invalid value: \"" + group + "\": field is immutable"});
    }
    if (old_spec.value("scope", "") != scope) {
      errors.push_back({"spec.scope", "FieldValueInvalid",
                        "Invalid value: \"" + scope + "\": field is immutable"});
    }
  }
  return errors;
}

absl::StatusOr<std::vector<ResourceType>> ResourceTypesFromCrd(const json& crd) {
  const json& spec = crd.at("spec");
  json names = AcceptedNames(spec.value("names", json::object()));
  std::vector<ResourceType> types;
  for (const auto& v : spec.value("versions", json::array())) {
    if (!v.value("served", false)) continue;
    ResourceType t;
    t.group = spec.value("group", "");
    t.version = v.value("name", "");
    t.resource = names.value("plural", "");
    t.singular = names.value("singular", "");
    t.kind = names.value("kind", "");
    t.list_kind = names.value("listKind", "");
    t.namespaced = spec.value("scope", "Namespaced") == "Namespaced";
    t.short_names = names.value("shortNames", std::vector<std::string>{});
    t.categories = names.value("categories", std::vector<std::string>{});
    const json sub = v.value("subresources", json::object());
    t.status_subresource = sub.contains("status");
    t.tracks_generation = true;
    t.custom = true;
    t.storage_version = v.value("storage", false);
    for (const auto& c : v.value("additionalPrinterColumns", json::array())) {
      PrinterColumn col;
      col.name = c.value("name", "");
      col.type = c.value("type", "string");
      col.format = c.value("format", "");
      col.description = c.value("description", "");
      col.priority = c.value("priority", 0);
      auto path = kube::JsonPath::Parse(c.value("jsonPath", ""));
      if (!path.ok()) return path.status();
      col.json_path = std::move(*path);
      t.columns.push_back(std::move(col));
    }
    if (!v.contains("additionalPrinterColumns")) t.columns.push_back(AgeColumn());
    for (const auto& f : v.value("selectableFields", json::array())) {
      std::string path = f.value("jsonPath", "");
      if (!path.empty() && path[0] == '.') path.erase(0, 1);
      t.selectable_fields.push_back(path);
    }
    const json schema = v.value("schema", json::object());
    if (schema.contains("openAPIV3Schema")) {
      auto compiled = kube::StructuralSchema::Compile(schema["openAPIV3Schema"]);
      if (!compiled.ok()) return compiled.status();
      t.schema = std::make_shared<const kube::StructuralSchema>(std::move(*compiled));
    }
    types.push_back(std::move(t));
  }
  return types;
}

}  // namespace certforge::apiserver
