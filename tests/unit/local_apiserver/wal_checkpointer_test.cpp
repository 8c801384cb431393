#include "services/local-apiserver/wal_checkpointer.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <thread>

#include "tests/support/temp_dir.h"

namespace certforge::apiserver {
namespace {

// Each commit adds a row of ten fresh pages (a 40 KB blob on 4 KiB pages), so the WAL grows by
// about a dozen frames per commit (the b-tree's own pages with them).
constexpr int kFramesPerCommit = 10;
constexpr int64_t kFrameBytes = 4096 + 24;
constexpr int64_t kWalHeaderBytes = 32;

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override { writer_ = Open(); }

  std::unique_ptr<SqliteConnection> Open() {
    auto c = SqliteConnection::Open(path_, /*read_only=*/false);
    EXPECT_TRUE(c.ok()) << c.status();
    if (!c.ok()) return nullptr;
    for (const char* sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL",
                            "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, data BLOB)"}) {
      EXPECT_TRUE((*c)->Exec(sql).ok()) << sql;
    }
    return std::move(*c);
  }

  void Commit(int id) {
    ASSERT_TRUE(
        writer_->Exec("INSERT INTO t VALUES (" + std::to_string(id) + ", zeroblob(40000))").ok());
  }

  int64_t WalBytes() const {
    struct stat st {};
    return stat((path_ + "-wal").c_str(), &st) == 0 ? st.st_size : 0;
  }

  int64_t Count(SqliteConnection& c, const std::string& sql) {
    auto stmt = c.Prepare(sql);
    EXPECT_TRUE(stmt.ok());
    auto row = (*stmt)->Step();
    EXPECT_TRUE(row.ok() && *row);
    return (*stmt)->Int(0);
  }

  certforge::testing::TempDir dir_{"wal-checkpointer"};
  std::string path_ = dir_.File("store.db");
  std::unique_ptr<SqliteConnection> writer_;
};

TEST_F(WalCheckpointerTest, ItsThreadCheckpointsOnceTheThresholdIsPassed) {
  auto checkpointer = WalCheckpointer::Start(path_, *writer_);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
  for (int id = 0; id < 2 * WalCheckpointer::kPages / kFramesPerCommit; ++id) Commit(id);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((*checkpointer)->checkpoints() == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_GT((*checkpointer)->checkpoints(), 0);
}

// However far the thread falls behind, the writer keeps the WAL at kWriterPages (with the
// thread's checkpoints alone it grew past that here); and checkpoints from two connections
// lose no commit.
TEST_F(WalCheckpointerTest, KeepsTheWalBoundedAndLosesNothing) {
  const int commits = 3 * WalCheckpointer::kWriterPages / kFramesPerCommit;
  {
    auto checkpointer = WalCheckpointer::Start(path_, *writer_);
    ASSERT_TRUE(checkpointer.ok()) << checkpointer.status();
    for (int id = 0; id < commits; ++id) {
      Commit(id);
      ASSERT_LE(
          WalBytes(),
          kWalHeaderBytes + (WalCheckpointer::kWriterPages + 3 * kFramesPerCommit) * kFrameBytes)
          << "after commit " << id;
    }
  }
  writer_.reset();
  auto reopened = Open();
  ASSERT_NE(reopened, nullptr);
  EXPECT_EQ(Count(*reopened, "SELECT count(*) FROM t"), commits);
  auto check = reopened->Prepare("PRAGMA integrity_check");
  ASSERT_TRUE(check.ok());
  ASSERT_TRUE(*(*check)->Step());
  EXPECT_EQ((*check)->Text(0), "ok");
}

}  // namespace
}  // namespace certforge::apiserver
