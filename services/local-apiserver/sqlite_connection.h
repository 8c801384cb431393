#pragma once
// One SQLite connection with cached prepared statements: the thin RAII adapter the store uses.

#include <sqlite3.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::apiserver {

// A prepared statement, reset and unbound when the Statement goes out of scope.
class Statement {
 public:
  explicit Statement(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~Statement();
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  Statement& Bind(int index, std::string_view text);
  Statement& Bind(int index, int64_t value);
  // SQLITE_ROW → true, SQLITE_DONE → false, anything else → error.
  absl::StatusOr<bool> Step();
  absl::Status Run();  // steps to completion

  int64_t Int(int column) const { return sqlite3_column_int64(stmt_, column); }
  std::string_view Text(int column) const;

 private:
  sqlite3_stmt* stmt_;
};

class SqliteConnection {
 public:
  static absl::StatusOr<std::unique_ptr<SqliteConnection>> Open(const std::string& path,
                                                                 bool read_only);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  absl::Status Exec(const std::string& sql);
  // The statement stays prepared for the connection's lifetime.
  absl::StatusOr<std::unique_ptr<Statement>> Prepare(const std::string& sql);
  sqlite3* handle() const { return db_; }

 private:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  absl::Status Error(std::string_view what) const;

  sqlite3* db_;
  std::map<std::string, sqlite3_stmt*> statements_;
};

}  // namespace certforge::apiserver
