// RecentObjects: only committed writes enter, in commit order, and it stays bounded.

#include "services/local-apiserver/recent_objects.h"

#include <gtest/gtest.h>

namespace certforge::apiserver {
namespace {

Mutation Write(ChangeType type, const std::string& name, int64_t rv) {
  ObjectRecord r;
  r.resource = "secrets";
  r.ns = "apps";
  r.name = name;
  r.rv = rv;
  r.body = "{\"rv\":" + std::to_string(rv) + "}";
  return Mutation{type, r, {}};
}

TEST(RecentObjects, StagedWritesEnterOnlyWhenCommitted) {
  RecentObjects recent(16);
  recent.Staged({Write(ChangeType::kAdded, "a", 1)});
  EXPECT_FALSE(recent.Find("secrets", "apps", "a").has_value());
  recent.Committed();
  ASSERT_TRUE(recent.Find("secrets", "apps", "a").has_value());
  EXPECT_EQ(recent.Find("secrets", "apps", "a")->body, "{\"rv\":1}");

  recent.Staged({Write(ChangeType::kModified, "a", 2), Write(ChangeType::kAdded, "b", 3)});
  recent.Abandoned();
  recent.Committed();  // nothing left staged
  EXPECT_EQ(recent.Find("secrets", "apps", "a")->rv, 1);
  EXPECT_FALSE(recent.Find("secrets", "apps", "b").has_value());
}

TEST(RecentObjects, TheLastWriteOfACommitWinsAndADeletionForgets) {
  RecentObjects recent(16);
  recent.Staged({Write(ChangeType::kAdded, "a", 1), Write(ChangeType::kModified, "a", 2)});
  recent.Staged({Write(ChangeType::kAdded, "b", 3), Write(ChangeType::kDeleted, "b", 4)});
  recent.Committed();
  EXPECT_EQ(recent.Find("secrets", "apps", "a")->rv, 2);
  EXPECT_FALSE(recent.Find("secrets", "apps", "b").has_value());
  recent.Staged({Write(ChangeType::kDeleted, "a", 5)});
  recent.Committed();
  EXPECT_FALSE(recent.Find("secrets", "apps", "a").has_value());
  EXPECT_FALSE(recent.Find("secrets", "other", "a").has_value());
  EXPECT_FALSE(recent.Find("configmaps", "apps", "a").has_value());
}

TEST(RecentObjects, NextVersionIsTheLastStagedWriteThenTheLastCommittedOne) {
  RecentObjects recent(16);
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "a"), std::nullopt);  // only SQLite knows
  recent.Staged({Write(ChangeType::kAdded, "a", 1)});
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "a"), 1);
  recent.Committed();
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "a"), 1);
  recent.Staged({Write(ChangeType::kModified, "a", 2), Write(ChangeType::kModified, "a", 3)});
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "a"), 3);
  EXPECT_EQ(recent.Find("secrets", "apps", "a")->rv, 1);  // readers see the commit only
  recent.Abandoned();
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "a"), 1);
  recent.Staged({Write(ChangeType::kDeleted, "a", 4)});
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "a"), RecentObjects::kGone);
  recent.Committed();
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "a"), std::nullopt);
  EXPECT_EQ(recent.NextVersion("secrets", "apps", "b"), std::nullopt);
}

TEST(RecentObjects, KeepsAtMostTwoGenerations) {
  RecentObjects recent(4);
  for (int i = 0; i < 20; ++i) {
    recent.Staged({Write(ChangeType::kAdded, "o" + std::to_string(i), i + 1)});
    recent.Committed();
  }
  int kept = 0;
  for (int i = 0; i < 20; ++i)
    kept += recent.Find("secrets", "apps", "o" + std::to_string(i)) ? 1 : 0;
  EXPECT_LE(kept, 8);
  EXPECT_TRUE(recent.Find("secrets", "apps", "o19").has_value());
}

}  // namespace
}  // namespace certforge::apiserver
