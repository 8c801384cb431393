#pragma once
// Durable state of local-apiserver: every object and a bounded history of changes (for watches
// that resume from a resourceVersion), in one SQLite database in WAL mode. A commit is one
// transaction, so an acknowledged write survives kill -9 and revisions never go backwards.
//
// Writes are serialized by the caller (the registry holds the single writer lock); reads may
// come from any thread and each sees a consistent snapshot. Writes may be staged one by one into
// an open transaction and committed together (group commit, see group_commit.h): readers see
// none of them until the commit.

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/local-apiserver/sqlite_connection.h"
#include "services/local-apiserver/wal_checkpointer.h"

namespace certforge::apiserver {

class RecentObjects;

enum class ChangeType { kAdded, kModified, kDeleted };
const char* ChangeTypeName(ChangeType type);  // "ADDED", "MODIFIED", "DELETED"

struct ObjectRecord {
  std::string resource;  // storage key, e.g. "certificates.cert-manager.io"
  std::string ns;
  std::string name;
  std::string uid;
  int64_t rv = 0;
  std::string labels;     // JSON object
  std::string body;       // the whole object as JSON
  bool deleting = false;  // metadata.deletionTimestamp is set
  int64_t created = 0;    // creationTimestamp, unix seconds
};

struct ChangeRecord {
  int64_t rv = 0;
  ChangeType type = ChangeType::kAdded;
  std::string resource;
  std::string ns;
  std::string name;
  std::string body;
};

// One object's new state. `rv` is the revision this write creates. A write to an object that
// exists keeps its uid and created (the registry carries them over, as kube-apiserver does);
// the store does not rewrite those columns.
struct Mutation {
  ChangeType type;
  ObjectRecord object;
  // The uids in metadata.ownerReferences after the write (garbage collection follows them).
  std::vector<std::string> owner_uids;
};

struct ListQuery {
  std::string resource;
  std::string ns;        // "" = every namespace
  std::string after_ns;  // paging: start strictly after (after_ns, after_name)
  std::string after_name;
  size_t limit = 0;  // 0 = no limit
};

struct DependentRef {
  std::string resource;
  std::string ns;
  std::string name;
};

class SqliteStore {
 public:
  struct Options {
    std::string path;
    // How many past changes a watch can resume across; older resourceVersions get 410 Expired.
    int64_t watch_history = 100000;
    // FULL fsyncs every commit (power-loss durable); NORMAL is durable against process crashes.
    bool fsync_every_commit = false;
  };

  static absl::StatusOr<std::unique_ptr<SqliteStore>> Open(const Options& options);
  ~SqliteStore();

  int64_t revision() const;
  int64_t compacted_revision() const;

  absl::StatusOr<std::optional<ObjectRecord>> Get(const std::string& resource,
                                                  const std::string& ns,
                                                  const std::string& name) const;
  // The revision of the last staged write; revision() when nothing is staged.
  int64_t staged_revision() const;
  // The object's resourceVersion as the next commit leaves it (staged writes included), or
  // nullopt when it will not exist: what a write checks its precondition against, without
  // reading the body.
  absl::StatusOr<std::optional<int64_t>> LatestVersion(const std::string& resource,
                                                       const std::string& ns,
                                                       const std::string& name);
  // Streams matching objects in (namespace, name) order until `fn` returns false. Returns the
  // revision of the snapshot the rows come from.
  absl::StatusOr<int64_t> List(const ListQuery& query,
                               const std::function<bool(ObjectRecord&&)>& fn) const;
  // Changes to `resource` ("" = all) with rv > after, oldest first. Returns the snapshot revision.
  absl::StatusOr<int64_t> ChangesSince(const std::string& resource, int64_t after,
                                       const std::function<bool(ChangeRecord&&)>& fn) const;
  // Objects whose ownerReferences name `owner_uid`.
  absl::StatusOr<std::vector<DependentRef>> Dependents(const std::string& owner_uid) const;
  absl::StatusOr<bool> UidExists(const std::string& uid) const;
  // Owner uids referenced by some object but held by none (the owner is gone).
  absl::StatusOr<std::vector<std::string>> MissingOwners() const;
  // Objects being deleted (finalizers pending): the garbage collector's work list.
  absl::StatusOr<std::vector<ObjectRecord>> Deleting() const;
  // Objects of `resource` created before `unix_seconds` (event expiry).
  absl::StatusOr<std::vector<DependentRef>> CreatedBefore(const std::string& resource,
                                                          int64_t unix_seconds) const;
  // Namespaced resources that have objects in `ns`.
  absl::StatusOr<std::vector<std::string>> ResourcesInNamespace(const std::string& ns) const;

  // Adds the mutations to the open transaction, opening one: all of them or, on error, none.
  // Each must carry rv = staged_revision() + 1 + index.
  absl::Status Stage(const std::vector<Mutation>& mutations);
  // Commits everything staged. On failure all of it is rolled back.
  absl::Status Flush();
  // Stage, then Flush.
  absl::Status Commit(const std::vector<Mutation>& mutations);

 private:
  class ReaderPool;
  SqliteStore(Options options, std::unique_ptr<SqliteConnection> writer,
              std::unique_ptr<ReaderPool> readers);
  absl::Status Initialize();
  absl::Status StageLocked(const std::vector<Mutation>& mutations);
  absl::Status WriteLocked(const std::vector<Mutation>& mutations);
  absl::Status FlushLocked();
  absl::Status RunStatement(const std::string& sql);  // on the writer
  absl::Status Compact();

  Options options_;
  mutable std::mutex write_mu_;
  std::unique_ptr<SqliteConnection> writer_;
  std::unique_ptr<WalCheckpointer> checkpointer_;  // after writer_: stops before it closes
  bool in_transaction_ = false;  // under write_mu_
  std::unique_ptr<RecentObjects> recent_;
  int64_t staged_revision_ = 0;  // under write_mu_
  std::unique_ptr<ReaderPool> readers_;
  mutable std::mutex rev_mu_;
  int64_t revision_ = 0;
  int64_t compacted_ = 0;
  int64_t commits_since_compaction_ = 0;
};

}  // namespace certforge::apiserver
