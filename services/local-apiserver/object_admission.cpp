#include "services/local-apiserver/object_admission.h"

#include <algorithm>

#include "lib/core/random.h"
#include "lib/core/time_format.h"
#include "services/local-apiserver/api_error.h"
#include "services/local-apiserver/metadata_validation.h"
#include "services/local-apiserver/resource_strategy.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

// Everything but metadata (and status when it has its own subresource): what generation tracks.
json SpecView(const json& object, bool status_subresource) {
  json view = object;
  view.erase("metadata");
  if (status_subresource) view.erase("status");
  return view;
}

absl::Status CheckTypeMeta(const ResourceType& type, json& object) {
  if (object.contains("apiVersion") && object["apiVersion"].is_string()) {
    std::string sent = object["apiVersion"];
    std::string sent_group = sent.find('/') == std::string::npos ? "" : sent.substr(0, sent.find('/'));
    if (sent_group != type.group) {
      return BadRequestError("the API version in the data (" + sent +
                             ") does not match the expected API version (" + type.ApiVersion() +
                             ")");
    }
  }
  if (object.contains("kind") && object["kind"].is_string() && object["kind"] != type.kind &&
      !object["kind"].get<std::string>().empty()) {
    return BadRequestError("the kind in the data (" + object["kind"].get<std::string>() +
                           ") does not match the expected kind (" + type.kind + ")");
  }
  object["apiVersion"] = type.ApiVersion();
  object["kind"] = type.kind;
  return absl::OkStatus();
}

absl::Status CheckNamespaceAndName(const AdmissionRequest& req, json& meta) {
  if (req.type.namespaced) {
    std::string body_ns = meta.value("namespace", "");
    if (!body_ns.empty() && body_ns != req.ns) {
      return BadRequestError(
          "the namespace of the provided object does not match the namespace sent on the request");
    }
    meta["namespace"] = req.ns;
  } else {
    meta.erase("namespace");
  }
  std::string body_name = meta.value("name", "");
  if (req.old != nullptr) {
    if (!body_name.empty() && body_name != req.name) {
      return BadRequestError("the name of the object (" + body_name +
                             ") does not match the name on the URL (" + req.name + ")");
    }
    meta["name"] = req.name;
  } else if (body_name.empty() && meta.contains("generateName") &&
             meta["generateName"].is_string() && !meta["generateName"].get<std::string>().empty()) {
    // A collision is unlikely; the registry's AlreadyExists covers it as a real server does.
    meta["name"] = meta["generateName"].get<std::string>() + core::RandomNameSuffix();
  }
  return absl::OkStatus();
}

// Drops fields ObjectMeta does not have; names them for strict validation.
void PruneMetadata(json& meta, std::vector<std::string>& unknown) {
  for (auto it = meta.begin(); it != meta.end();) {
    if (IsObjectMetaField(it.key())) {
      ++it;
    } else {
      unknown.push_back("metadata." + it.key());
      it = meta.erase(it);
    }
  }
  // Nulls mean absent, as Go's decoder treats them; empty lists and maps are absent too, as
  // ObjectMeta's omitempty fields serialize them (the last finalizer or owner removed).
  for (auto it = meta.begin(); it != meta.end();) {
    bool empty = it->is_null() || ((it->is_array() || it->is_object()) && it->empty());
    it = empty ? meta.erase(it) : std::next(it);
  }
}

void SetServerOwnedMeta(const AdmissionRequest& req, json& meta) {
  meta.erase("selfLink");
  meta.erase("managedFields");  // field ownership is not modelled
  meta.erase("resourceVersion");
  if (req.old == nullptr) {
    meta["uid"] = core::NewUuid();
    meta["creationTimestamp"] = core::FormatRfc3339(req.now);
    meta.erase("deletionTimestamp");
    meta.erase("deletionGracePeriodSeconds");
    if (req.type.tracks_generation) {
      meta["generation"] = 1;
    } else {
      meta.erase("generation");
    }
    return;
  }
  const json& old_meta = (*req.old)["metadata"];
  for (const char* field :
       {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"}) {
    if (old_meta.contains(field)) {
      meta[field] = old_meta[field];
    } else {
      meta.erase(field);
    }
  }
}

// Status subresource rules: the main resource cannot change status, /status only status.
void ApplySubresourceRules(const AdmissionRequest& req, json& object) {
  if (!req.type.status_subresource) return;
  if (req.subresource == "status") {
    json status = object.contains("status") ? object["status"] : json();
    object = *req.old;
    if (status.is_null()) {
      object.erase("status");
    } else {
      object["status"] = std::move(status);
    }
    return;
  }
  if (req.old == nullptr) {
    object.erase("status");
  } else if (req.old->contains("status")) {
    object["status"] = (*req.old)["status"];
  } else {
    object.erase("status");
  }
}

absl::Status UnknownFieldsOutcome(const AdmissionRequest& req,
                                  const std::vector<std::string>& unknown,
                                  std::vector<std::string>& warnings) {
  if (unknown.empty() || req.validation == FieldValidation::kIgnore) return absl::OkStatus();
  if (req.validation == FieldValidation::kStrict) {
    std::string message = "strict decoding error: ";
    for (size_t i = 0; i < unknown.size(); ++i) {
      message += (i ? ", " : "") + std::string("unknown field \"") + unknown[i] + "\"";
    }
    return BadRequestError(message);
  }
  for (const auto& field : unknown) warnings.push_back("unknown field \"" + field + "\"");
  return absl::OkStatus();
}

std::vector<std::string> FinalizerList(const json& meta) {
  std::vector<std::string> out;
  if (auto it = meta.find("finalizers"); it != meta.end() && it->is_array()) {
    for (const auto& f : *it) {
      if (f.is_string()) out.push_back(f.get<std::string>());
    }
  }
  return out;
}

}  // namespace

absl::Status AdmitObject(const AdmissionRequest& req, json& object,
                         std::vector<std::string>& warnings) {
  if (!object.is_object()) return BadRequestError("the body of the request must be an object");
  if (auto s = CheckTypeMeta(req.type, object); !s.ok()) return s;
  if (!object.contains("metadata") || object["metadata"].is_null()) {
    object["metadata"] = json::object();
  }
  if (!object["metadata"].is_object()) return BadRequestError("metadata must be an object");

  std::vector<std::string> unknown;
  PruneMetadata(object["metadata"], unknown);
  if (auto s = CheckNamespaceAndName(req, object["metadata"]); !s.ok()) return s;

  if (req.subresource == "status" && req.type.status_subresource) {
    // Only status changes; everything else stays as stored.
    ApplySubresourceRules(req, object);
  } else {
    ApplySubresourceRules(req, object);
    SetServerOwnedMeta(req, object["metadata"]);
  }

  const ResourceStrategy* strategy = req.type.strategy.get();
  if (strategy != nullptr) {
    if (auto s = strategy->Normalize(object); !s.ok()) return s;
    if (req.old == nullptr) {
      strategy->PrepareForCreate(object);
    } else {
      strategy->PrepareForUpdate(object, *req.old);
    }
  }

  std::vector<kube::FieldError> errors;
  if (req.type.schema) {
    auto pruned = req.type.schema->Prune(object);
    unknown.insert(unknown.end(), pruned.begin(), pruned.end());
    req.type.schema->ApplyDefaults(object);
    errors = req.type.schema->Validate(object);
  }
  if (auto s = UnknownFieldsOutcome(req, unknown, warnings); !s.ok()) return s;

  bool dns_label_name = req.type.group.empty() && req.type.resource == "namespaces";
  auto meta_errors = ValidateObjectMeta(object["metadata"], req.type.namespaced, dns_label_name);
  errors.insert(errors.begin(), meta_errors.begin(), meta_errors.end());
  if (strategy != nullptr) {
    auto kind_errors = strategy->Validate(object, req.old);
    errors.insert(errors.end(), kind_errors.begin(), kind_errors.end());
  }

  if (req.old != nullptr && (*req.old)["metadata"].contains("deletionTimestamp")) {
    auto before = FinalizerList((*req.old)["metadata"]);
    for (const auto& f : FinalizerList(object["metadata"])) {
      if (std::find(before.begin(), before.end(), f) == before.end()) {
        errors.push_back({"metadata.finalizers", "FieldValueForbidden",
                          "Forbidden: no new finalizers can be added if the object is being "
                          "deleted, found new finalizers []string{\"" + f + "\"}"});
      }
    }
  }
  if (!errors.empty()) {
    return InvalidError(req.type.group, req.type.kind,
                        object["metadata"].value("name", req.name), errors);
  }

  if (req.type.tracks_generation && req.old != nullptr && req.subresource != "status") {
    if (SpecView(object, req.type.status_subresource) !=
        SpecView(*req.old, req.type.status_subresource)) {
      object["metadata"]["generation"] = (*req.old)["metadata"].value("generation", 0) + 1;
    }
  }
  return absl::OkStatus();
}

}  // namespace certforge::apiserver
