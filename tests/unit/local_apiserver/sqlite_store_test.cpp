#include "services/local-apiserver/sqlite_store.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/support/temp_dir.h"

namespace certforge::apiserver {
namespace {

ObjectRecord Record(const std::string& resource, const std::string& ns, const std::string& name,
                    int64_t rv, const std::string& uid = "") {
  ObjectRecord r;
  r.resource = resource;
  r.ns = ns;
  r.name = name;
  r.uid = uid.empty() ? "uid-" + ns + "-" + name : uid;
  r.rv = rv;
  r.labels = "{}";
  r.body = R"({"metadata":{"name":")" + name + R"(","rv":)" + std::to_string(rv) + "}}";
  return r;
}

Mutation Put(ObjectRecord record, std::vector<std::string> owners = {}) {
  return Mutation{ChangeType::kAdded, std::move(record), std::move(owners)};
}

std::vector<std::string> Keys(const std::vector<ObjectRecord>& records) {
  std::vector<std::string> out;
  for (const auto& r : records) out.push_back(r.ns + "/" + r.name);
  return out;
}

std::vector<std::string> Keys(const std::vector<DependentRef>& refs) {
  std::vector<std::string> out;
  for (const auto& r : refs) out.push_back(r.resource + ":" + r.ns + "/" + r.name);
  std::sort(out.begin(), out.end());
  return out;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override { Reopen(); }

  void Reopen(int64_t watch_history = 100000) {
    store_.reset();
    auto store = SqliteStore::Open({dir_.File("state.db"), watch_history, false});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  // Commits one mutation per record at the next revisions.
  void Commit(ChangeType type, std::vector<ObjectRecord> records,
              std::vector<std::string> owners = {}) {
    std::vector<Mutation> mutations;
    int64_t rv = store_->revision();
    for (auto& r : records) {
      r.rv = ++rv;
      mutations.push_back({type, std::move(r), owners});
    }
    ASSERT_TRUE(store_->Commit(mutations).ok());
  }

  std::vector<ObjectRecord> List(ListQuery query) {
    std::vector<ObjectRecord> out;
    auto rev = store_->List(query, [&](ObjectRecord&& r) {
      out.push_back(std::move(r));
      return true;
    });
    EXPECT_TRUE(rev.ok()) << rev.status();
    return out;
  }

  std::vector<ChangeRecord> Changes(const std::string& resource, int64_t after) {
    std::vector<ChangeRecord> out;
    auto rev = store_->ChangesSince(resource, after, [&](ChangeRecord&& c) {
      out.push_back(std::move(c));
      return true;
    });
    EXPECT_TRUE(rev.ok()) << rev.status();
    return out;
  }

  certforge::testing::TempDir dir_{"sqlite-store"};
  std::unique_ptr<SqliteStore> store_;
};

TEST(ChangeTypeNameTest, Names) {
  EXPECT_STREQ(ChangeTypeName(ChangeType::kAdded), "ADDED");
  EXPECT_STREQ(ChangeTypeName(ChangeType::kModified), "MODIFIED");
  EXPECT_STREQ(ChangeTypeName(ChangeType::kDeleted), "DELETED");
}

TEST_F(SqliteStoreTest, EmptyStore) {
  EXPECT_EQ(store_->revision(), 0);
  EXPECT_EQ(store_->compacted_revision(), 0);
  auto got = store_->Get("secrets", "a", "x");
  ASSERT_TRUE(got.ok());
  EXPECT_FALSE(got->has_value());
  EXPECT_TRUE(List({"secrets"}).empty());
  EXPECT_TRUE(store_->Commit({}).ok());
  EXPECT_EQ(store_->revision(), 0);
}

TEST_F(SqliteStoreTest, CommitThenGetReturnsEveryColumn) {
  ObjectRecord r = Record("secrets", "a", "x", 1, "u1");
  r.labels = R"({"app":"web"})";
  r.deleting = true;
  r.created = 1700000000;
  ASSERT_TRUE(store_->Commit({Put(r)}).ok());
  EXPECT_EQ(store_->revision(), 1);
  auto got = store_->Get("secrets", "a", "x");
  ASSERT_TRUE(got.ok() && got->has_value());
  const ObjectRecord& g = **got;
  EXPECT_EQ(g.resource, "secrets");
  EXPECT_EQ(g.ns, "a");
  EXPECT_EQ(g.name, "x");
  EXPECT_EQ(g.uid, "u1");
  EXPECT_EQ(g.rv, 1);
  EXPECT_EQ(g.labels, R"({"app":"web"})");
  EXPECT_EQ(g.body, r.body);
  EXPECT_TRUE(g.deleting);
  EXPECT_EQ(g.created, 1700000000);
  // Same name, other resource or namespace: different objects.
  EXPECT_FALSE(store_->Get("configmaps", "a", "x")->has_value());
  EXPECT_FALSE(store_->Get("secrets", "b", "x")->has_value());
}

TEST_F(SqliteStoreTest, LatestVersionFollowsEveryWriteAndDeletion) {
  EXPECT_EQ(*store_->LatestVersion("secrets", "a", "x"), std::nullopt);
  Commit(ChangeType::kAdded, {Record("secrets", "a", "x", 0)});
  EXPECT_EQ(*store_->LatestVersion("secrets", "a", "x"), std::optional<int64_t>(1));
  Commit(ChangeType::kAdded, {Record("secrets", "a", "y", 0)});
  Commit(ChangeType::kModified, {Record("secrets", "a", "x", 0)});
  EXPECT_EQ(*store_->LatestVersion("secrets", "a", "x"), std::optional<int64_t>(3));
  EXPECT_EQ(*store_->LatestVersion("secrets", "a", "y"), std::optional<int64_t>(2));
  EXPECT_EQ(*store_->LatestVersion("configmaps", "a", "x"), std::nullopt);
  Commit(ChangeType::kDeleted, {Record("secrets", "a", "x", 0)});
  EXPECT_EQ(*store_->LatestVersion("secrets", "a", "x"), std::nullopt);
}

TEST_F(SqliteStoreTest, ListOrdersByNamespaceThenNameAndFilters) {
  Commit(ChangeType::kAdded, {Record("secrets", "b", "a", 0), Record("secrets", "a", "z", 0),
                              Record("secrets", "a", "b", 0), Record("configmaps", "a", "c", 0),
                              Record("secrets", "", "cluster", 0)});
  struct Case {
    ListQuery query;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {{"secrets"}, {"/cluster", "a/b", "a/z", "b/a"}},
      {{"secrets", "a"}, {"a/b", "a/z"}},
      {{"secrets", "b"}, {"b/a"}},
      {{"secrets", "c"}, {}},
      {{"configmaps"}, {"a/c"}},
      {{"secrets", "", "", "", 2}, {"/cluster", "a/b"}},
      {{"secrets", "", "a", "b", 2}, {"a/z", "b/a"}},
      {{"secrets", "", "a", "z", 0}, {"b/a"}},
      {{"secrets", "", "", "cluster", 0}, {"a/b", "a/z", "b/a"}},
      {{"secrets", "a", "a", "b", 0}, {"a/z"}},
      {{"secrets", "", "b", "a", 0}, {}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(Keys(List(c.query)), c.want)
        << c.query.resource << " ns=" << c.query.ns << " after=" << c.query.after_ns << "/"
        << c.query.after_name << " limit=" << c.query.limit;
  }
}

TEST_F(SqliteStoreTest, ListStopsWhenTheCallbackSaysSoAndReportsTheSnapshotRevision) {
  Commit(ChangeType::kAdded, {Record("secrets", "a", "1", 0), Record("secrets", "a", "2", 0),
                              Record("secrets", "a", "3", 0)});
  int seen = 0;
  auto rev = store_->List({"secrets"}, [&](ObjectRecord&&) { return ++seen < 2; });
  ASSERT_TRUE(rev.ok());
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(*rev, 3);
}

TEST_F(SqliteStoreTest, ChangesSinceIsPerResourceAndOldestFirst) {
  Commit(ChangeType::kAdded, {Record("secrets", "a", "s1", 0)});     // 1
  Commit(ChangeType::kAdded, {Record("configmaps", "a", "c1", 0)});  // 2
  Commit(ChangeType::kModified, {Record("secrets", "a", "s1", 0)});  // 3
  Commit(ChangeType::kDeleted, {Record("secrets", "a", "s1", 0)});   // 4
  struct Case {
    std::string resource;
    int64_t after;
    std::vector<std::pair<int64_t, ChangeType>> want;
  };
  const Case cases[] = {
      {"secrets",
       0,
       {{1, ChangeType::kAdded}, {3, ChangeType::kModified}, {4, ChangeType::kDeleted}}},
      {"secrets", 1, {{3, ChangeType::kModified}, {4, ChangeType::kDeleted}}},
      {"secrets", 4, {}},
      {"configmaps", 0, {{2, ChangeType::kAdded}}},
      {"", 1, {{2, ChangeType::kAdded}, {3, ChangeType::kModified}, {4, ChangeType::kDeleted}}},
  };
  for (const auto& c : cases) {
    std::vector<std::pair<int64_t, ChangeType>> got;
    for (const auto& change : Changes(c.resource, c.after)) got.push_back({change.rv, change.type});
    EXPECT_EQ(got, c.want) << c.resource << " after " << c.after;
  }
  auto changes = Changes("configmaps", 0);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].resource, "configmaps");
  EXPECT_EQ(changes[0].ns, "a");
  EXPECT_EQ(changes[0].name, "c1");
  EXPECT_NE(changes[0].body.find("\"c1\""), std::string::npos);
  // The snapshot revision is the store's, whatever the resource.
  auto rev = store_->ChangesSince("configmaps", 0, [](ChangeRecord&&) { return true; });
  EXPECT_EQ(*rev, 4);
  EXPECT_FALSE(store_->Get("secrets", "a", "s1")->has_value());
}

TEST_F(SqliteStoreTest, RevisionsAreMonotonicAndSurviveReopen) {
  int64_t last = 0;
  for (int i = 0; i < 5; ++i) {
    Commit(ChangeType::kAdded, {Record("secrets", "a", "s" + std::to_string(i), 0),
                                Record("configmaps", "a", "c" + std::to_string(i), 0)});
    EXPECT_EQ(store_->revision(), last + 2);
    last = store_->revision();
  }
  Reopen();
  EXPECT_EQ(store_->revision(), 10);
  auto got = store_->Get("configmaps", "a", "c4");
  ASSERT_TRUE(got.ok() && got->has_value());
  EXPECT_EQ((*got)->rv, 10);
  // The next commit must continue from the persisted revision.
  EXPECT_FALSE(store_->Commit({Put(Record("secrets", "a", "x", 1))}).ok());
  Commit(ChangeType::kAdded, {Record("secrets", "a", "x", 0)});
  EXPECT_EQ(store_->revision(), 11);
  EXPECT_EQ(Changes("", 0).size(), 11u);
}

TEST_F(SqliteStoreTest, FailedCommitLeavesNothingBehind) {
  Commit(ChangeType::kAdded, {Record("secrets", "a", "keep", 0)});
  // Second mutation skips a revision: the whole batch is refused.
  std::vector<Mutation> batch = {Put(Record("secrets", "a", "one", 2), {"owner-1"}),
                                 Put(Record("secrets", "a", "two", 4), {"owner-1"})};
  EXPECT_FALSE(store_->Commit(batch).ok());
  // A stale first revision is refused as well.
  EXPECT_FALSE(store_->Commit({Put(Record("secrets", "a", "one", 1))}).ok());
  EXPECT_EQ(store_->revision(), 1);
  EXPECT_FALSE(store_->Get("secrets", "a", "one")->has_value());
  EXPECT_EQ(Keys(List({"secrets"})), std::vector<std::string>{"a/keep"});
  EXPECT_EQ(Changes("", 0).size(), 1u);
  EXPECT_TRUE(store_->Dependents("owner-1")->empty());
  // The store is still usable at the right revision.
  Commit(ChangeType::kAdded, {Record("secrets", "a", "one", 0)});
  EXPECT_EQ(store_->revision(), 2);
}

// Reads of recently written objects are served from memory: they must be exactly what SQLite
// holds, through updates, deletions, recreation and a reopen.
TEST_F(SqliteStoreTest, GetFollowsEveryWriteAndDeletionOfAnObject) {
  Commit(ChangeType::kAdded, {Record("secrets", "a", "x", 0, "uid-1")});
  EXPECT_EQ(store_->Get("secrets", "a", "x")->value().rv, 1);
  ObjectRecord updated = Record("secrets", "a", "x", 0, "uid-1");
  updated.labels = R"({"tier":"web"})";
  updated.body = R"({"metadata":{"name":"x"},"v":2})";
  updated.deleting = true;
  Commit(ChangeType::kModified, {updated});
  auto got = store_->Get("secrets", "a", "x")->value();
  EXPECT_EQ(got.rv, 2);
  EXPECT_EQ(got.labels, R"({"tier":"web"})");
  EXPECT_EQ(got.body, R"({"metadata":{"name":"x"},"v":2})");
  EXPECT_TRUE(got.deleting);
  EXPECT_FALSE(store_->Get("configmaps", "a", "x")->has_value());
  EXPECT_FALSE(store_->Get("secrets", "b", "x")->has_value());

  Commit(ChangeType::kDeleted, {Record("secrets", "a", "x", 0, "uid-1")});
  EXPECT_FALSE(store_->Get("secrets", "a", "x")->has_value());
  Commit(ChangeType::kAdded, {Record("secrets", "a", "x", 0, "uid-2")});
  EXPECT_EQ(store_->Get("secrets", "a", "x")->value().uid, "uid-2");

  Reopen();
  got = store_->Get("secrets", "a", "x")->value();
  EXPECT_EQ(got.uid, "uid-2");
  EXPECT_EQ(got.rv, 4);
  EXPECT_EQ(got.created, 0);
}

// Group commit: staged writes are the writer's alone until Flush commits them all at once.
TEST_F(SqliteStoreTest, StagedWritesAreInvisibleToReadersUntilFlushed) {
  Commit(ChangeType::kAdded, {Record("secrets", "a", "x", 0)});
  ASSERT_TRUE(store_->Stage({Put(Record("secrets", "a", "y", 2))}).ok());
  ASSERT_TRUE(
      store_->Stage({Mutation{ChangeType::kModified, Record("secrets", "a", "x", 3), {}}}).ok());
  EXPECT_EQ(store_->staged_revision(), 3);
  EXPECT_EQ(*store_->LatestVersion("secrets", "a", "x"), std::optional<int64_t>(3));
  EXPECT_EQ(*store_->LatestVersion("secrets", "a", "y"), std::optional<int64_t>(2));
  // Readers and the published revision still see the last commit.
  EXPECT_EQ(store_->revision(), 1);
  EXPECT_FALSE(store_->Get("secrets", "a", "y")->has_value());
  EXPECT_EQ(store_->Get("secrets", "a", "x")->value().rv, 1);
  EXPECT_EQ(Changes("", 0).size(), 1u);

  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_EQ(store_->revision(), 3);
  EXPECT_EQ(store_->Get("secrets", "a", "x")->value().rv, 3);
  EXPECT_EQ(Keys(List({"secrets"})), (std::vector<std::string>{"a/x", "a/y"}));
  EXPECT_EQ(Changes("", 0).size(), 3u);
  EXPECT_TRUE(store_->Flush().ok());  // nothing staged: nothing to do
}

TEST_F(SqliteStoreTest, AFailedStageLeavesTheOthersStagedWithIt) {
  ASSERT_TRUE(store_->Stage({Put(Record("secrets", "a", "first", 1), {"owner-1"})}).ok());
  // Skips a revision: refused, and only this write is undone.
  EXPECT_FALSE(store_->Stage({Put(Record("secrets", "a", "bad", 3), {"owner-1"})}).ok());
  EXPECT_EQ(store_->staged_revision(), 1);
  ASSERT_TRUE(store_->Stage({Put(Record("secrets", "a", "second", 2))}).ok());
  ASSERT_TRUE(store_->Flush().ok());
  EXPECT_FALSE(store_->Get("secrets", "a", "bad")->has_value());
  EXPECT_EQ(store_->Get("secrets", "a", "second")->value().rv, 2);
  EXPECT_EQ(store_->revision(), 2);
  EXPECT_EQ(Keys(List({"secrets"})), (std::vector<std::string>{"a/first", "a/second"}));
  EXPECT_EQ(store_->Dependents("owner-1")->size(), 1u);
  // Survives a reopen as committed.
  Reopen();
  EXPECT_EQ(store_->revision(), 2);
  EXPECT_EQ(store_->staged_revision(), 2);
}

TEST_F(SqliteStoreTest, CompactionDropsOldChangesAndPersists) {
  Reopen(/*watch_history=*/10);
  // Compaction runs every 1000 committed changes; one batch of 1000 triggers it.
  std::vector<ObjectRecord> records;
  for (int i = 0; i < 999; ++i) records.push_back(Record("configmaps", "a", "c", 0));
  Commit(ChangeType::kAdded, {Record("secrets", "a", "early", 0)});
  EXPECT_EQ(store_->compacted_revision(), 0);
  Commit(ChangeType::kModified, records);
  EXPECT_EQ(store_->revision(), 1000);
  EXPECT_EQ(store_->compacted_revision(), 990);
  auto changes = Changes("", 0);
  ASSERT_EQ(changes.size(), 10u);
  EXPECT_EQ(changes.front().rv, 991);
  EXPECT_EQ(changes.back().rv, 1000);
  EXPECT_TRUE(Changes("secrets", 0).empty());
  // Objects are untouched by compaction.
  EXPECT_TRUE(store_->Get("secrets", "a", "early")->has_value());
  Reopen(10);
  EXPECT_EQ(store_->compacted_revision(), 990);
  EXPECT_EQ(store_->revision(), 1000);
}

TEST_F(SqliteStoreTest, TheRevisionOutlivesACompactionThatLeavesNoChange) {
  Reopen(/*watch_history=*/0);
  std::vector<ObjectRecord> records;
  for (int i = 0; i < 1000; ++i) records.push_back(Record("configmaps", "a", "c", 0));
  Commit(ChangeType::kModified, records);
  EXPECT_EQ(store_->compacted_revision(), 1000);
  EXPECT_TRUE(Changes("", 0).empty());
  Reopen(0);
  EXPECT_EQ(store_->revision(), 1000);
  Commit(ChangeType::kModified, {Record("configmaps", "a", "c", 0)});
  EXPECT_EQ(store_->Get("configmaps", "a", "c")->value().rv, 1001);
}

TEST_F(SqliteStoreTest, OwnersDependentsAndMissingOwners) {
  Commit(ChangeType::kAdded, {Record("configmaps", "a", "owner", 0, "owner-uid")});
  Commit(ChangeType::kAdded, {Record("secrets", "a", "d1", 0), Record("configmaps", "a", "d2", 0)},
         {"owner-uid", "gone-uid"});
  EXPECT_EQ(Keys(*store_->Dependents("owner-uid")),
            (std::vector<std::string>{"configmaps:a/d2", "secrets:a/d1"}));
  EXPECT_EQ(Keys(*store_->Dependents("gone-uid")),
            (std::vector<std::string>{"configmaps:a/d2", "secrets:a/d1"}));
  EXPECT_TRUE(store_->Dependents("nobody")->empty());
  EXPECT_EQ(*store_->MissingOwners(), std::vector<std::string>{"gone-uid"});
  EXPECT_TRUE(*store_->UidExists("owner-uid"));
  EXPECT_FALSE(*store_->UidExists("gone-uid"));

  // A rewrite replaces the dependent's owners; a delete removes them.
  Commit(ChangeType::kModified, {Record("secrets", "a", "d1", 0)}, {"owner-uid"});
  Commit(ChangeType::kDeleted, {Record("configmaps", "a", "d2", 0)}, {"gone-uid"});
  EXPECT_EQ(Keys(*store_->Dependents("owner-uid")), std::vector<std::string>{"secrets:a/d1"});
  EXPECT_TRUE(store_->Dependents("gone-uid")->empty());
  EXPECT_TRUE(store_->MissingOwners()->empty());

  // The owner goes: it is missing until its dependents are gone.
  Commit(ChangeType::kDeleted, {Record("configmaps", "a", "owner", 0, "owner-uid")});
  EXPECT_EQ(*store_->MissingOwners(), std::vector<std::string>{"owner-uid"});
}

TEST_F(SqliteStoreTest, DeletingCreatedBeforeAndResourcesInNamespace) {
  ObjectRecord old_event = Record("events", "a", "old", 0);
  old_event.created = 1000;
  ObjectRecord new_event = Record("events", "b", "new", 0);
  new_event.created = 5000;
  ObjectRecord going = Record("secrets", "a", "going", 0);
  going.deleting = true;
  Commit(ChangeType::kAdded, {old_event, new_event, going, Record("secrets", "a", "staying", 0),
                              Record("namespaces", "", "a", 0)});

  auto deleting = store_->Deleting();
  ASSERT_TRUE(deleting.ok());
  EXPECT_EQ(Keys(*deleting), std::vector<std::string>{"a/going"});
  EXPECT_TRUE((*deleting)[0].deleting);
  EXPECT_EQ((*deleting)[0].resource, "secrets");

  struct Case {
    int64_t before;
    std::vector<std::string> want;
  };
  for (const Case& c : {Case{1000, {}}, Case{1001, {"events:a/old"}},
                        Case{6000, {"events:a/old", "events:b/new"}}}) {
    EXPECT_EQ(Keys(*store_->CreatedBefore("events", c.before)), c.want) << c.before;
  }
  EXPECT_TRUE(store_->CreatedBefore("configmaps", 1 << 30)->empty());

  auto in_a = *store_->ResourcesInNamespace("a");
  std::sort(in_a.begin(), in_a.end());
  EXPECT_EQ(in_a, (std::vector<std::string>{"events", "secrets"}));
  EXPECT_TRUE(store_->ResourcesInNamespace("nowhere")->empty());

  // Clearing the flag takes the object off the work list.
  going.deleting = false;
  Commit(ChangeType::kModified, {going});
  EXPECT_TRUE(store_->Deleting()->empty());
}

}  // namespace
}  // namespace certforge::apiserver
