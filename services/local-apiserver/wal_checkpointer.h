#pragma once
// Checkpoints the writer's WAL from a thread and a connection of its own.
//
// SQLite's automatic checkpoint runs inside the commit that crosses the threshold, and with it
// two fsyncs, while that commit holds the writer lock: under load every other write waited for
// them (173 fsyncs, 0.62 s of the 6.8 s it took to issue 1,000 certificates, with both cores
// partly idle meanwhile). Here a commit that leaves kPages frames not yet copied to the
// database only wakes this thread, whose PASSIVE checkpoint runs beside the writer.
//
// The WAL starts over only after a checkpoint has copied all of it, which one running beside a
// busy writer seldom does. So once the WAL reaches kWriterPages the committing writer finishes
// the job itself, as SQLite's own checkpoint would, after the thread's current checkpoint: by
// then there is little left to copy, it happens an eighth as often, and the WAL stays bounded.

#include <sqlite3.h>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "absl/status/statusor.h"
#include "services/local-apiserver/sqlite_connection.h"

namespace certforge::apiserver {

class WalCheckpointer {
 public:
  // Frames not yet in the database that wake the thread: SQLite's own default threshold.
  static constexpr int kPages = 1000;
  // The WAL's size, in frames, at which the writer checkpoints itself (about 32 MiB).
  static constexpr int kWriterPages = 8 * kPages;

  // Takes over checkpoints for `writer` (a connection to the database at `path`), which must
  // outlive this object.
  static absl::StatusOr<std::unique_ptr<WalCheckpointer>> Start(const std::string& path,
                                                                SqliteConnection& writer);
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Checkpoints completed by this thread (for tests).
  int checkpoints() const;

 private:
  WalCheckpointer(std::unique_ptr<SqliteConnection> own, SqliteConnection& writer);
  // sqlite3_wal_hook's callback, run by the writer after each commit.
  static int AfterCommit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void Committed(sqlite3* db, const char* schema, int wal_pages);
  void Run();

  std::unique_ptr<SqliteConnection> own_;
  SqliteConnection& writer_;
  mutable std::mutex mu_;
  std::condition_variable changed_;
  // All under mu_. The WAL's size at the last commit (a smaller one means it started over) and
  // how much of it the last checkpoint copied.
  int last_wal_pages_ = 0;
  int copied_ = 0;
  bool due_ = false;          // a checkpoint is wanted
  bool running_ = false;      // the thread is checkpointing
  bool writer_turn_ = false;  // the writer is checkpointing, or waiting to
  bool stopping_ = false;
  int checkpoints_ = 0;
  std::thread thread_;
};

}  // namespace certforge::apiserver
