#include "services/local-apiserver/wal_checkpointer.h"

#include <algorithm>

#include "spdlog/spdlog.h"

namespace certforge::apiserver {

absl::StatusOr<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(const std::string& path,
                                                                        SqliteConnection& writer) {
  auto own = SqliteConnection::Open(path, /*read_only=*/false);
  if (!own.ok()) return own.status();
  // A checkpoint copies pages from the WAL to the database file; it needs no page cache.
  (*own)->Exec("PRAGMA cache_size = -256").IgnoreError();
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(std::move(*own), writer));
}

WalCheckpointer::WalCheckpointer(std::unique_ptr<SqliteConnection> own, SqliteConnection& writer)
    : own_(std::move(own)), writer_(writer) {
  // Replaces SQLite's automatic checkpoint, which is itself a WAL hook.
  sqlite3_wal_hook(writer_.handle(), &WalCheckpointer::AfterCommit, this);
  thread_ = std::thread([this] { Run(); });
}

WalCheckpointer::~WalCheckpointer() {
  // Removes this object's hook (SQLite's automatic checkpoint replaces it) before it is gone,
  // and leaves the writer checkpointing as SQLite does by default.
  sqlite3_wal_autocheckpoint(writer_.handle(), kPages);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

int WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mu_);
  return checkpoints_;
}

int WalCheckpointer::AfterCommit(void* self, sqlite3* db, const char* schema, int wal_pages) {
  static_cast<WalCheckpointer*>(self)->Committed(db, schema, wal_pages);
  return SQLITE_OK;
}

void WalCheckpointer::Committed(sqlite3* db, const char* schema, int wal_pages) {
  std::unique_lock lock(mu_);
  if (wal_pages < last_wal_pages_) copied_ = 0;  // the WAL started over
  last_wal_pages_ = wal_pages;
  if (wal_pages >= kWriterPages) {
    // The thread's checkpoints have not let the WAL start over: finish here, with no other
    // writer about, once the thread's checkpoint (if one is running) is done.
    writer_turn_ = true;
    changed_.wait(lock, [this] { return !running_; });
    lock.unlock();
    sqlite3_wal_checkpoint_v2(db, schema, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    lock.lock();
    writer_turn_ = false;
    copied_ = 0;
    changed_.notify_all();
  } else if (wal_pages - std::min(copied_, wal_pages) >= kPages) {
    due_ = true;
    changed_.notify_all();
  }
}

void WalCheckpointer::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    changed_.wait(lock, [this] { return stopping_ || (due_ && !writer_turn_); });
    if (stopping_) return;
    due_ = false;
    running_ = true;
    lock.unlock();
    int copied = 0;
    int rc = sqlite3_wal_checkpoint_v2(own_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                       /*pnLog=*/nullptr, &copied);
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
      spdlog::warn("sqlite: background checkpoint failed: {}", sqlite3_errmsg(own_->handle()));
    }
    lock.lock();
    running_ = false;
    if (rc == SQLITE_OK) {
      copied_ = copied;
      ++checkpoints_;
    }
    changed_.notify_all();
  }
}

}  // namespace certforge::apiserver
