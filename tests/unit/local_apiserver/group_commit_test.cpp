#include "services/local-apiserver/group_commit.h"

#include <gtest/gtest.h>

#include <mutex>
#include <thread>

#include "tests/support/temp_dir.h"

namespace certforge::apiserver {
namespace {

class GroupCommitTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = SqliteStore::Open({dir_.File("state.db")});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    commits_ = std::make_unique<GroupCommit>(*store_);
  }

  // One write as the registry makes it: the next revision, staged under the writer lock.
  // Returns the revision written, or 0 if the write failed.
  int64_t WriteOne(const std::string& name) {
    GroupCommit::Writer writer = commits_->Lock();
    int64_t rv = store_->staged_revision() + 1;
    ObjectRecord record{"configmaps", "default", name, "uid-" + name, rv, "{}", "{}", false, 0};
    auto publish = [this, rv] {
      std::lock_guard lock(published_mu_);
      published_.push_back({rv, store_->revision()});
    };
    if (!writer.StageAndWait({Mutation{ChangeType::kAdded, record, {}}}, publish).ok()) return 0;
    // Answered only once its batch is committed.
    EXPECT_GE(store_->revision(), rv) << name;
    return rv;
  }

  certforge::testing::TempDir dir_{"group-commit"};
  std::unique_ptr<SqliteStore> store_;
  std::unique_ptr<GroupCommit> commits_;
  std::mutex published_mu_;
  struct Published {
    int64_t rv;
    int64_t committed;  // the store's revision when it was published
  };
  std::vector<Published> published_;
};

TEST_F(GroupCommitTest, AWriteAloneIsCommittedAtOnce) {
  EXPECT_EQ(WriteOne("a"), 1);
  EXPECT_EQ(store_->revision(), 1);
  ASSERT_EQ(published_.size(), 1u);
  EXPECT_EQ(published_[0].committed, 1);
}

TEST_F(GroupCommitTest, ConcurrentWritesAreAllCommittedAndPublishedInRevisionOrder) {
  constexpr int kThreads = 8;
  constexpr int kWritesEach = 60;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kWritesEach; ++i) {
        if (WriteOne("t" + std::to_string(t) + "-" + std::to_string(i)) == 0) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();

  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(failures[t], 0) << "thread " << t;
  constexpr int64_t kWrites = kThreads * kWritesEach;
  EXPECT_EQ(store_->revision(), kWrites);
  ASSERT_EQ(published_.size(), static_cast<size_t>(kWrites));
  for (int64_t i = 0; i < kWrites; ++i) {
    EXPECT_EQ(published_[i].rv, i + 1);
    // Published after its commit, never before.
    EXPECT_GE(published_[i].committed, published_[i].rv);
  }
  for (int t = 0; t < kThreads; ++t) {
    for (int i = 0; i < kWritesEach; i += 17) {
      std::string name = "t" + std::to_string(t) + "-" + std::to_string(i);
      auto got = store_->Get("configmaps", "default", name);
      ASSERT_TRUE(got.ok()) << got.status();
      EXPECT_TRUE(got->has_value()) << name;
    }
  }
}

}  // namespace
}  // namespace certforge::apiserver
