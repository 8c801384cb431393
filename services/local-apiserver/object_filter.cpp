#include "services/local-apiserver/object_filter.h"

#include <algorithm>

#include "lib/kube/json_parse.h"
#include "services/local-apiserver/api_error.h"

namespace certforge::apiserver {
namespace {

// Field selector names that are spelled differently from the JSON path they select.
std::string FieldPath(const std::string& field) {
  if (field == "source") return "source.component";
  return field;
}

}  // namespace

absl::StatusOr<ObjectFilter> ObjectFilter::Create(const ResourceType& type,
                                                  const std::string& label_text,
                                                  const std::string& field_text) {
  auto labels = kube::LabelSelector::Parse(label_text);
  if (!labels.ok()) {
    return BadRequestError("unable to parse requirement: " + std::string(labels.status().message()));
  }
  auto fields = kube::FieldSelector::Parse(field_text);
  if (!fields.ok()) return BadRequestError(std::string(fields.status().message()));
  bool needs_body = false;
  for (const auto& req : fields->requirements()) {
    if (req.field == "metadata.name" || req.field == "metadata.namespace") continue;
    const auto& allowed = type.selectable_fields;
    if (std::find(allowed.begin(), allowed.end(), req.field) == allowed.end()) {
      return BadRequestError("field label not supported: " + req.field);
    }
    needs_body = true;
  }
  return ObjectFilter(std::move(*labels), std::move(*fields), needs_body);
}

bool ObjectFilter::Matches(const ObjectRecord& record) const {
  if (!labels_.Empty()) {
    auto labels = kube::ParseJsonOrDiscarded(record.labels);
    if (!labels_.Matches(labels.is_discarded() ? nlohmann::json() : labels)) return false;
  }
  if (fields_.Empty()) return true;
  if (needs_body_) {
    auto object = kube::ParseJsonOrDiscarded(record.body);
    return !object.is_discarded() && Matches(object);
  }
  return fields_.Matches([&](const std::string& field) -> std::optional<std::string> {
    return field == "metadata.name" ? record.name : record.ns;
  });
}

bool ObjectFilter::Matches(const nlohmann::json& object) const {
  if (!labels_.Empty()) {
    static const nlohmann::json kNone;
    const nlohmann::json* labels = &kNone;
    if (auto meta = object.find("metadata"); meta != object.end() && meta->is_object()) {
      if (auto l = meta->find("labels"); l != meta->end()) labels = &*l;
    }
    if (!labels_.Matches(*labels)) return false;
  }
  if (fields_.Empty()) return true;
  return fields_.Matches([&](const std::string& field) {
    return kube::JsonFieldValue(object, FieldPath(field));
  });
}

}  // namespace certforge::apiserver
