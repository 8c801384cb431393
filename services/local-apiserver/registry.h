#pragma once
// The semantic layer over the store: get, create, update, patch and delete with Kubernetes'
// rules (admission, optimistic concurrency, finalizers, deletion), one writer at a time, and
// each commit published to watches and observers (CRD registration, garbage collection).

#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/local-apiserver/group_commit.h"
#include "services/local-apiserver/object_admission.h"
#include "services/local-apiserver/resource_catalog.h"
#include "services/local-apiserver/sqlite_store.h"
#include "services/local-apiserver/watch_hub.h"

namespace certforge::apiserver {

struct ObjectScope {
  ResourceTypePtr type;
  std::string ns;
  std::string name;
  std::string subresource;  // "" or "status"
};

struct WriteOptions {
  bool dry_run = false;
  FieldValidation validation = FieldValidation::kWarn;
  std::string field_manager;
  bool force = false;
};

struct WriteResult {
  std::shared_ptr<const nlohmann::json> object;
  std::string body;  // the object serialized, as stored
  bool created = false;
  std::vector<std::string> warnings;
};

enum class PatchType { kMerge, kJson, kStrategic, kApply };

struct DeleteOptions {
  std::string precondition_uid;
  std::string precondition_resource_version;
  std::string propagation;  // Background (default), Foreground, Orphan
  bool dry_run = false;
};

struct DeleteResult {
  std::shared_ptr<const nlohmann::json> object;
  bool gone = false;  // false: finalizers pending, deletionTimestamp set
};

struct CommittedChange {
  ChangeType type;
  const ResourceType& resource;
  const nlohmann::json& object;
};

class Registry {
 public:
  Registry(SqliteStore& store, WatchHub& hub, ResourceCatalog& catalog);

  // Runs after every commit, under the writer lock, before the request returns.
  void AddObserver(std::function<void(const CommittedChange&)> observer);

  absl::StatusOr<std::shared_ptr<const nlohmann::json>> Get(const ObjectScope& scope) const;
  absl::StatusOr<WriteResult> Create(const ObjectScope& scope, nlohmann::json body,
                                     const WriteOptions& options);
  absl::StatusOr<WriteResult> Update(const ObjectScope& scope, nlohmann::json body,
                                     const WriteOptions& options);
  absl::StatusOr<WriteResult> Patch(const ObjectScope& scope, PatchType type,
                                    std::string_view patch, const WriteOptions& options);
  absl::StatusOr<DeleteResult> Delete(const ObjectScope& scope, const DeleteOptions& options);
  // A read-modify-write by the server itself (garbage collector): `change` edits the object and
  // returns false when there is nothing to do.
  absl::Status Mutate(const ObjectScope& scope, const std::function<bool(nlohmann::json&)>& change);

  SqliteStore& store() { return store_; }

 private:
  struct Committed {
    std::shared_ptr<const nlohmann::json> object;
    std::string body;
  };
  // Tells the retry loop that the object changed between read and commit.
  static absl::Status RetryMarker();
  static bool IsRetry(const absl::Status& s);

  absl::StatusOr<std::optional<ObjectRecord>> Read(const ObjectScope& scope) const;
  absl::Status CheckNamespaceAccepts(const ObjectScope& scope) const;
  absl::StatusOr<WriteResult> CreateOnce(const ObjectScope& scope, nlohmann::json body,
                                         const WriteOptions& options);
  // Read-modify-write with retries; `change` turns the stored object into the new one.
  absl::StatusOr<WriteResult> GuaranteedUpdate(
      const ObjectScope& scope, const WriteOptions& options, bool retry_on_conflict,
      const std::function<absl::Status(const ObjectRecord& current, nlohmann::json& object)>&
          change);
  // Stores `object` under the writer lock. `expected_rv` 0 means "must not exist".
  absl::StatusOr<Committed> Commit(const ResourceType& type, ChangeType change,
                                   nlohmann::json object, int64_t expected_rv, bool dry_run);

  SqliteStore& store_;
  WatchHub& hub_;
  ResourceCatalog& catalog_;
  GroupCommit commits_;  // its writer lock guards observers_ too
  std::vector<std::function<void(const CommittedChange&)>> observers_;
};

}  // namespace certforge::apiserver
