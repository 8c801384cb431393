#include "services/local-apiserver/builtin_strategies.h"

#include <regex>

#include "lib/core/base64.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;
using kube::FieldError;

void ValidateConfigKeys(const json& map, const std::string& field,
                        std::vector<FieldError>& errors) {
  static const std::regex kKey("^[-._a-zA-Z0-9]+$");
  if (!map.is_object()) return;
  for (const auto& [key, value] : map.items()) {
    if (key.size() > 253 || !std::regex_match(key, kKey)) {
      errors.push_back({field + "[" + key + "]", "FieldValueInvalid",
                        "Invalid value: \"" + key +
                            "\": a valid config key must consist of alphanumeric characters, "
                            "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', "
                            "regex used for validation is '[-._a-zA-Z0-9]+')"});
    }
  }
}

// Values of data/binaryData are base64; empty is a valid (empty) value, unlike the CRD "byte"
// format.
void ValidateBase64Values(const json& map, const std::string& field,
                          std::vector<FieldError>& errors) {
  if (!map.is_object()) return;
  for (const auto& [key, value] : map.items()) {
    if (!value.is_string() || !core::Base64Decode(value.get_ref<const std::string&>()).ok()) {
      errors.push_back({field + "[" + key + "]", "FieldValueInvalid",
                        "Invalid value: illegal base64 data"});
    }
  }
}

void ValidateImmutable(const json& object, const json* old, const std::vector<const char*>& fields,
                       std::vector<FieldError>& errors) {
  if (old == nullptr || !old->value("immutable", false)) return;
  for (const char* field : fields) {
    json before = old->contains(field) ? (*old)[field] : json();
    json after = object.contains(field) ? object[field] : json();
    if (before != after) {
      errors.push_back({field, "FieldValueForbidden",
                        "Forbidden: field is immutable when `immutable` is set"});
    }
  }
  if (!object.value("immutable", false)) {
    errors.push_back({"immutable", "FieldValueForbidden",
                      "Forbidden: field is immutable when `immutable` is set"});
  }
}

}  // namespace

absl::Status SecretStrategy::Normalize(json& object) const {
  if (auto it = object.find("stringData"); it != object.end()) {
    if (it->is_object()) {
      json& data = object["data"];
      if (!data.is_object()) data = json::object();
      for (const auto& [key, value] : it->items()) {
        if (value.is_string()) data[key] = core::Base64Encode(value.get<std::string>());
      }
    }
    object.erase("stringData");
  }
  if (!object.contains("type") || object["type"].is_null() ||
      (object["type"].is_string() && object["type"].get<std::string>().empty())) {
    object["type"] = "Opaque";
  }
  return absl::OkStatus();
}

std::vector<FieldError> SecretStrategy::Validate(const json& object, const json* old) const {
  std::vector<FieldError> errors;
  const json data = object.contains("data") ? object["data"] : json::object();
  ValidateConfigKeys(data, "data", errors);
  ValidateBase64Values(data, "data", errors);
  size_t total = 0;
  if (data.is_object()) {
    for (const auto& [key, value] : data.items()) {
      if (value.is_string()) total += value.get_ref<const std::string&>().size() * 3 / 4;
    }
  }
  if (total > 1024 * 1024) {
    errors.push_back({"data", "FieldValueTooLong", "Too long: must have at most 1048576 bytes"});
  }
  std::string type = object.value("type", "Opaque");
  if (type == "kubernetes.io/tls") {
    for (const char* key : {"tls.crt", "tls.key"}) {
      if (!data.is_object() || !data.contains(key)) {
        errors.push_back({std::string("data[") + key + "]", "FieldValueRequired",
                          "Required value"});
      }
    }
  }
  if (old != nullptr && old->value("type", "Opaque") != type) {
    errors.push_back({"type", "FieldValueInvalid",
                      "Invalid value: \"" + type + "\": field is immutable"});
  }
  ValidateImmutable(object, old, {"data", "type"}, errors);
  return errors;
}

std::vector<FieldError> ConfigMapStrategy::Validate(const json& object, const json* old) const {
  std::vector<FieldError> errors;
  if (object.contains("data")) ValidateConfigKeys(object["data"], "data", errors);
  if (object.contains("binaryData")) {
    ValidateConfigKeys(object["binaryData"], "binaryData", errors);
    ValidateBase64Values(object["binaryData"], "binaryData", errors);
  }
  ValidateImmutable(object, old, {"data", "binaryData"}, errors);
  return errors;
}

void NamespaceStrategy::PrepareForCreate(json& object) const {
  object["spec"]["finalizers"] = json::array({kNamespaceFinalizer});
  object["status"] = {{"phase", "Active"}};
}

void NamespaceStrategy::PrepareForUpdate(json& object, const json& old) const {
  // An update that does not mention spec.finalizers (a manifest with metadata only) keeps them:
  // dropping "kubernetes" would let deletion skip removing the namespace's contents. Writes
  // that do name them (the finalize subresource, the garbage collector) change them.
  auto old_spec = old.find("spec");
  if (old_spec == old.end() || !old_spec->is_object() || !old_spec->contains("finalizers")) return;
  json& spec = object["spec"];
  if (spec.is_null()) spec = json::object();
  if (spec.is_object() && !spec.contains("finalizers")) {
    spec["finalizers"] = (*old_spec)["finalizers"];
  }
}

bool NamespaceStrategy::HasFinalizers(const json& object) const {
  if (ResourceStrategy::HasFinalizers(object)) return true;
  auto spec = object.find("spec");
  if (spec == object.end() || !spec->is_object()) return false;
  auto fin = spec->find("finalizers");
  return fin != spec->end() && fin->is_array() && !fin->empty();
}

void NamespaceStrategy::PrepareForDeletion(json& object) const {
  object["status"]["phase"] = "Terminating";
}

}  // namespace certforge::apiserver
