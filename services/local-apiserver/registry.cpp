#include "services/local-apiserver/registry.h"

#include <algorithm>

#include "lib/core/time_format.h"
#include "lib/kube/json_parse.h"
#include "lib/kube/json_patch.h"
#include "lib/kube/merge_patch.h"
#include "lib/kube/strategic_merge_patch.h"
#include "lib/kube/yaml_to_json.h"
#include "services/local-apiserver/api_error.h"
#include "services/local-apiserver/resource_strategy.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

// Rounds of read-modify-write before a write without a precondition gives up: kube-apiserver
// retries those until they land. Each round loses only to a write that landed, so this is only
// reached by several writers racing on one object; 16 was, now and then, with four.
constexpr int kMaxRetries = 64;
constexpr char kRetryMessage[] = "certforge: object changed, retry";

ResourceName NameOf(const ObjectScope& scope, std::string_view name = {}) {
  return {scope.type->group, scope.type->resource, name.empty() ? scope.name : std::string(name)};
}

std::vector<std::string> OwnerUids(const json& object) {
  std::vector<std::string> uids;
  const json& meta = object["metadata"];
  if (auto refs = meta.find("ownerReferences"); refs != meta.end() && refs->is_array()) {
    for (const auto& ref : *refs) {
      if (ref.is_object() && ref.contains("uid") && ref["uid"].is_string()) {
        uids.push_back(ref["uid"].get<std::string>());
      }
    }
  }
  return uids;
}

bool HasFinalizers(const ResourceType& type, const json& object) {
  static const ResourceStrategy kDefault;
  return (type.strategy ? *type.strategy : kDefault).HasFinalizers(object);
}

void AddFinalizer(json& meta, const std::string& finalizer) {
  json& list = meta["finalizers"];
  if (!list.is_array()) list = json::array();
  if (std::find(list.begin(), list.end(), finalizer) == list.end()) list.push_back(finalizer);
}

// Whether `a` and `b` are equal objects apart from the member `except`, compared in place:
// copying both (every update asks) cost more than the comparison.
bool EqualExcept(const json& a, const json& b, std::string_view except) {
  if (!a.is_object() || !b.is_object()) return a == b;
  size_t a_size = a.size() - a.contains(except), b_size = b.size() - b.contains(except);
  if (a_size != b_size) return false;
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (it.key() == except) continue;
    auto other = b.find(it.key());
    if (other == b.end() || *it != *other) return false;
  }
  return true;
}

// Whether a write of `updated` would store `stored` again (the resourceVersion aside).
bool SameContent(const json& updated, const json& stored) {
  static const json kNone;
  auto metadata = [](const json& object) -> const json& {
    auto it = object.find("metadata");
    return it == object.end() ? kNone : *it;
  };
  if (!updated.is_object() || !stored.is_object()) return updated == stored;
  return EqualExcept(updated, stored, "metadata") &&
         EqualExcept(metadata(updated), metadata(stored), "resourceVersion");
}

absl::StatusOr<json> ParseBody(std::string_view body, bool allow_yaml) {
  json parsed = kube::ParseJsonOrDiscarded(body);
  if (!parsed.is_discarded()) return parsed;
  if (allow_yaml) {
    auto from_yaml = kube::YamlToJson(body);
    if (from_yaml.ok()) return *from_yaml;
  }
  return BadRequestError("the request body is not valid JSON");
}

}  // namespace

Registry::Registry(SqliteStore& store, WatchHub& hub, ResourceCatalog& catalog)
    : store_(store), hub_(hub), catalog_(catalog), commits_(store) {}

void Registry::AddObserver(std::function<void(const CommittedChange&)> observer) {
  GroupCommit::Writer lock = commits_.Lock();
  observers_.push_back(std::move(observer));
}

absl::Status Registry::RetryMarker() { return absl::AbortedError(kRetryMessage); }

bool Registry::IsRetry(const absl::Status& s) {
  return s.code() == absl::StatusCode::kAborted && std::string(s.message()) == kRetryMessage;
}

absl::StatusOr<std::optional<ObjectRecord>> Registry::Read(const ObjectScope& scope) const {
  return store_.Get(scope.type->StorageKey(), scope.type->namespaced ? scope.ns : "", scope.name);
}

absl::StatusOr<std::shared_ptr<const json>> Registry::Get(const ObjectScope& scope) const {
  auto record = Read(scope);
  if (!record.ok()) return record.status();
  if (!record->has_value()) return NotFoundError(NameOf(scope));
  auto object = std::make_shared<json>(kube::ParseJson((*record)->body));
  (*object)["apiVersion"] = scope.type->ApiVersion();
  return std::shared_ptr<const json>(std::move(object));
}

absl::Status Registry::CheckNamespaceAccepts(const ObjectScope& scope) const {
  if (!scope.type->namespaced) return absl::OkStatus();
  auto ns = store_.Get("namespaces", "", scope.ns);
  if (!ns.ok()) return ns.status();
  if (!ns->has_value()) return NotFoundError({"", "namespaces", scope.ns});
  if ((*ns)->deleting) {
    return ForbiddenError(QualifiedResource(scope.type->group, scope.type->resource) + " \"" +
                          scope.name +
                          "\" is forbidden: unable to create new content in namespace " + scope.ns +
                          " because it is being terminated");
  }
  return absl::OkStatus();
}

absl::StatusOr<WriteResult> Registry::Create(const ObjectScope& scope, json body,
                                             const WriteOptions& options) {
  // A generated name may collide; a real server gives up at once, a retry is kinder.
  for (int attempt = 0;; ++attempt) {
    auto result = CreateOnce(scope, body, options);
    bool generated = body.is_object() && body.contains("metadata") &&
                     body["metadata"].is_object() && !body["metadata"].contains("name");
    if (result.ok() || !generated || attempt == 3 ||
        result.status().code() != absl::StatusCode::kAlreadyExists) {
      return result;
    }
  }
}

absl::StatusOr<WriteResult> Registry::CreateOnce(const ObjectScope& scope, json body,
                                                 const WriteOptions& options) {
  ObjectScope named = scope;
  if (body.is_object() && body.contains("metadata") && body["metadata"].is_object()) {
    named.name = body["metadata"].value("name", "");
  }
  if (auto s = CheckNamespaceAccepts(named); !s.ok()) return s;
  WriteResult result;
  AdmissionRequest request{
      *scope.type, scope.ns, "", "", nullptr, options.validation, std::chrono::system_clock::now()};
  if (auto s = AdmitObject(request, body, result.warnings); !s.ok()) return s;
  auto committed = Commit(*scope.type, ChangeType::kAdded, std::move(body), 0, options.dry_run);
  if (!committed.ok()) return committed.status();
  result.object = std::move(committed->object);
  result.body = std::move(committed->body);
  result.created = true;
  return result;
}

absl::StatusOr<WriteResult> Registry::Update(const ObjectScope& scope, json body,
                                             const WriteOptions& options) {
  if (!body.is_object()) return BadRequestError("the body of the request must be an object");
  std::string client_rv;
  if (body.contains("metadata") && body["metadata"].is_object()) {
    client_rv = body["metadata"].value("resourceVersion", "");
  }
  // A write with a resourceVersion precondition is tried once, so it can give up its body.
  bool once = !client_rv.empty();
  return GuaranteedUpdate(scope, options, !once, [&](const ObjectRecord& current, json& object) {
    if (once && client_rv != std::to_string(current.rv)) return ConflictError(NameOf(scope));
    object = once ? std::move(body) : body;
    return absl::OkStatus();
  });
}

absl::StatusOr<WriteResult> Registry::Patch(const ObjectScope& scope, PatchType type,
                                            std::string_view patch_text,
                                            const WriteOptions& options) {
  if (type == PatchType::kStrategic && scope.type->custom) {
    return UnsupportedMediaTypeError(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
  }
  if (type == PatchType::kApply && options.field_manager.empty()) {
    return InvalidError(
        "meta.k8s.io", "PatchOptions", "",
        {{"fieldManager", "FieldValueRequired", "Required value: is required for apply patch"}});
  }
  auto patch = ParseBody(patch_text, type == PatchType::kApply);
  if (!patch.ok()) return patch.status();
  if (type == PatchType::kJson && !patch->is_array()) {
    return BadRequestError("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
  }
  if (type != PatchType::kJson && !patch->is_object()) {
    return BadRequestError("the patch must be a JSON object");
  }

  auto result = GuaranteedUpdate(
      scope, options, true, [&](const ObjectRecord& current, json& object) -> absl::Status {
        json old = kube::ParseJson(current.body);
        std::string old_rv = std::to_string(current.rv);
        switch (type) {
          case PatchType::kMerge:
          case PatchType::kApply:
            // Server-side apply is modelled as create-or-merge: no field ownership.
            object = kube::ApplyMergePatch(old, *patch);
            break;
          case PatchType::kStrategic: {
            auto merged = kube::ApplyStrategicMergePatch(
                old, *patch, kube::StrategicMergeSchema::ForObjectMeta());
            if (!merged.ok()) return BadRequestError(std::string(merged.status().message()));
            object = std::move(*merged);
            break;
          }
          case PatchType::kJson: {
            auto patched = kube::ApplyJsonPatch(old, *patch);
            if (!patched.ok()) {
              if (patched.status().code() == absl::StatusCode::kInvalidArgument) {
                return BadRequestError(std::string(patched.status().message()));
              }
              return InvalidError(
                  scope.type->group, scope.type->kind, scope.name,
                  {{"", "FieldValueInvalid", std::string(patched.status().message())}});
            }
            object = std::move(*patched);
            break;
          }
        }
        // A patch that names a resourceVersion makes it a precondition.
        if (object.is_object() && object.contains("metadata") && object["metadata"].is_object()) {
          std::string rv = object["metadata"].value("resourceVersion", old_rv);
          if (rv != old_rv) return ConflictError(NameOf(scope));
        }
        return absl::OkStatus();
      });
  if (type == PatchType::kApply && !result.ok() &&
      result.status().code() == absl::StatusCode::kNotFound && scope.subresource.empty()) {
    json body = *patch;
    if (!body.contains("metadata") || !body["metadata"].is_object())
      body["metadata"] = json::object();
    std::string body_name = body["metadata"].value("name", "");
    if (!body_name.empty() && body_name != scope.name) {
      return BadRequestError("the name of the object (" + body_name +
                             ") does not match the name on the URL (" + scope.name + ")");
    }
    body["metadata"]["name"] = scope.name;
    return Create(scope, std::move(body), options);
  }
  return result;
}

absl::StatusOr<WriteResult> Registry::GuaranteedUpdate(
    const ObjectScope& scope, const WriteOptions& options, bool retry_on_conflict,
    const std::function<absl::Status(const ObjectRecord&, json&)>& change) {
  for (int attempt = 0; attempt < kMaxRetries; ++attempt) {
    auto record = Read(scope);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NotFoundError(NameOf(scope));
    const ObjectRecord& current = **record;
    json object;
    if (auto s = change(current, object); !s.ok()) return s;
    json old = kube::ParseJson(current.body);
    WriteResult result;
    AdmissionRequest request{*scope.type,
                             scope.ns,
                             scope.name,
                             scope.subresource,
                             &old,
                             options.validation,
                             std::chrono::system_clock::now()};
    if (auto s = AdmitObject(request, object, result.warnings); !s.ok()) return s;
    old["apiVersion"] = scope.type->ApiVersion();
    if (SameContent(object, old)) {
      // As kube-apiserver: a write that changes nothing stores nothing, so no new
      // resourceVersion and no watch event (controllers would otherwise wake themselves up).
      result.body = old.dump();
      result.object = std::make_shared<const json>(std::move(old));
      return result;
    }
    auto committed =
        Commit(*scope.type, ChangeType::kModified, std::move(object), current.rv, options.dry_run);
    if (committed.ok()) {
      result.object = std::move(committed->object);
      result.body = std::move(committed->body);
      return result;
    }
    if (!IsRetry(committed.status())) return committed.status();
    if (!retry_on_conflict) return ConflictError(NameOf(scope));
  }
  return ConflictError(NameOf(scope));
}

absl::Status Registry::Mutate(const ObjectScope& scope, const std::function<bool(json&)>& change) {
  bool changed = false;
  auto result =
      GuaranteedUpdate(scope, WriteOptions{}, true, [&](const ObjectRecord& current, json& object) {
        object = kube::ParseJson(current.body);
        changed = change(object);
        return changed ? absl::OkStatus() : absl::CancelledError("unchanged");
      });
  if (!changed && result.status().code() == absl::StatusCode::kCancelled) return absl::OkStatus();
  return result.status();
}

absl::StatusOr<DeleteResult> Registry::Delete(const ObjectScope& scope,
                                              const DeleteOptions& options) {
  for (int attempt = 0; attempt < kMaxRetries; ++attempt) {
    auto record = Read(scope);
    if (!record.ok()) return record.status();
    if (!record->has_value()) return NotFoundError(NameOf(scope));
    const ObjectRecord& current = **record;
    json object = kube::ParseJson(current.body);
    json& meta = object["metadata"];
    if (!options.precondition_uid.empty() && options.precondition_uid != current.uid) {
      return ConflictMessageError(
          NameOf(scope), "Precondition failed: UID in precondition: " + options.precondition_uid +
                             ", UID in object meta: " + current.uid);
    }
    if (!options.precondition_resource_version.empty() &&
        options.precondition_resource_version != std::to_string(current.rv)) {
      return ConflictMessageError(
          NameOf(scope), "Precondition failed: ResourceVersion in precondition: " +
                             options.precondition_resource_version +
                             ", ResourceVersion in object meta: " + std::to_string(current.rv));
    }
    // A deletion already pending is left as it is (kube-apiserver does not even add the
    // finalizer of another propagation policy): rewriting it would only churn revisions.
    if (current.deleting && HasFinalizers(*scope.type, object)) {
      return DeleteResult{std::make_shared<const json>(std::move(object)), false};
    }
    if (options.propagation == "Orphan") AddFinalizer(meta, kOrphanFinalizer);
    if (options.propagation == "Foreground") AddFinalizer(meta, kForegroundFinalizer);

    ChangeType change = ChangeType::kDeleted;
    if (HasFinalizers(*scope.type, object)) {
      // Deletion waits for the finalizers; the object stays, marked.
      change = ChangeType::kModified;
      if (!meta.contains("deletionTimestamp")) {
        meta["deletionTimestamp"] = core::FormatRfc3339(std::chrono::system_clock::now());
        meta["deletionGracePeriodSeconds"] = 0;
        if (scope.type->strategy) scope.type->strategy->PrepareForDeletion(object);
      }
    }
    auto committed = Commit(*scope.type, change, std::move(object), current.rv, options.dry_run);
    if (committed.ok()) {
      return DeleteResult{std::move(committed->object), change == ChangeType::kDeleted};
    }
    if (!IsRetry(committed.status())) return committed.status();
  }
  return ConflictError(NameOf(scope));
}

absl::StatusOr<Registry::Committed> Registry::Commit(const ResourceType& type, ChangeType change,
                                                     json object, int64_t expected_rv,
                                                     bool dry_run) {
  json& meta = object["metadata"];
  std::string ns = type.namespaced ? meta.value("namespace", "") : "";
  std::string name = meta.value("name", "");
  // An update that removes the last finalizer of an object being deleted completes the delete.
  if (change == ChangeType::kModified && meta.contains("deletionTimestamp") &&
      !HasFinalizers(type, object)) {
    change = ChangeType::kDeleted;
  }

  GroupCommit::Writer writer = commits_.Lock();
  auto current = store_.LatestVersion(type.StorageKey(), ns, name);
  if (!current.ok()) return current.status();
  bool exists = current->has_value();
  if (expected_rv == 0 ? exists : !exists || **current != expected_rv) {
    // What this write collided with may be staged, not yet readable: commit it first, so that
    // the client's next read (or this retry loop's) sees it.
    writer.Flush().IgnoreError();
    if (expected_rv == 0) return AlreadyExistsError({type.group, type.resource, name});
    if (!exists) return NotFoundError({type.group, type.resource, name});
    return RetryMarker();
  }

  int64_t rv = store_.staged_revision() + 1;
  if (!dry_run) meta["resourceVersion"] = std::to_string(rv);
  auto shared = std::make_shared<const json>(std::move(object));
  Committed committed{shared, shared->dump()};
  if (dry_run) return committed;

  // Stored (and watched) at the storage version, whichever version the client wrote through.
  std::string stored_body = committed.body;
  if (ResourceTypePtr storage = catalog_.FindByStorageKey(type.StorageKey());
      storage && storage->version != type.version) {
    json stored = *shared;
    stored["apiVersion"] = storage->ApiVersion();
    stored_body = stored.dump();
  }
  const json& m = (*shared)["metadata"];
  auto created = core::ParseRfc3339(m.value("creationTimestamp", ""));
  Mutation mutation{change,
                    ObjectRecord{type.StorageKey(), ns, name, m.value("uid", ""), rv,
                                 m.contains("labels") ? m["labels"].dump() : "{}", stored_body,
                                 m.contains("deletionTimestamp"),
                                 created.ok() ? std::chrono::duration_cast<std::chrono::seconds>(
                                                    created->time_since_epoch())
                                                    .count()
                                              : 0},
                    OwnerUids(*shared)};
  auto publish = [this, rv, change, &type, ns, shared,
                  body = std::make_shared<const std::string>(std::move(stored_body))] {
    hub_.Publish(WatchChange{rv, change, type.StorageKey(), ns, shared, body});
    for (const auto& observer : observers_) observer(CommittedChange{change, type, *shared});
  };
  if (auto s = writer.StageAndWait({mutation}, std::move(publish)); !s.ok()) return s;
  return committed;
}

}  // namespace certforge::apiserver
