#pragma once
// Group commit: writes that arrive while others are being stored share one SQLite transaction.
//
// At one transaction per write, SQLite's BEGIN and COMMIT (and the WAL frames each commit
// writes) were a third of local-apiserver's CPU under load. Now each write stages its rows under
// the writer lock; the writer that finds no one queued behind it commits the batch, publishes
// every write in it in revision order, and wakes the others, which only then answer their
// clients. A write that finds the server idle commits at once, as before.
//
// A writer waiting for its batch gives up the writer lock and waits on its batch alone: woken,
// it answers without taking the lock again. (Waiting on one condition variable under the writer
// lock woke every waiter, those of the next batch too, and each then queued for the lock: a
// third of local-apiserver's context switches under load.)
//
// Staged rows are visible to the writer (preconditions are checked against them) and to no
// reader until the commit. So a write whose precondition fails commits the batch before it
// answers: its client's retry must be able to read what it collided with.

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/notification.h"
#include "services/local-apiserver/sqlite_store.h"

namespace certforge::apiserver {

class GroupCommit {
 public:
  // Makes a committed write visible (watch event, observers); run under the writer lock.
  using Publish = std::function<void()>;

  explicit GroupCommit(SqliteStore& store) : store_(store) {}

  // The writer lock, held by one write at a time. Leaving it commits the open batch unless
  // another writer is queued to carry on with it.
  class Writer {
   public:
    ~Writer();
    Writer(const Writer&) = delete;
    Writer& operator=(const Writer&) = delete;

    // Commits what is staged so far.
    absl::Status Flush();
    // Stages `mutations`, then returns once their batch is committed (by this writer when no
    // one is queued behind it) with the commit's status. `publish` runs after the commit.
    absl::Status StageAndWait(const std::vector<Mutation>& mutations, Publish publish);

   private:
    friend class GroupCommit;
    explicit Writer(GroupCommit& owner);

    GroupCommit& owner_;
    std::unique_lock<std::mutex> lock_;
  };

  Writer Lock() { return Writer(*this); }

 private:
  struct Batch {
    absl::Status status;  // set before `committed` is notified
    absl::Notification committed;
  };
  static constexpr size_t kMaxBatch = 64;  // bounds the wait of the batch's first writer

  absl::Status FlushLocked();

  SqliteStore& store_;
  std::mutex mu_;
  std::atomic<int> queued_{0};    // writers waiting for the lock
  std::vector<Publish> pending_;  // the open batch's writes, in revision order
  std::shared_ptr<Batch> batch_ = std::make_shared<Batch>();
};

}  // namespace certforge::apiserver
