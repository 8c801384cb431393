#include "lib/core/recent_map.h"

#include <gtest/gtest.h>

#include <string>

namespace certforge::core {
namespace {

TEST(RecentMap, KeepsWhatIsUsedAndDropsWhatIsNot) {
  RecentMap<int> map(2);  // at most four entries
  map.Put("a", 1);
  map.Put("b", 2);
  map.Put("c", 3);                    // young full: a, b become old
  ASSERT_NE(map.Find("a"), nullptr);  // a moves back to young (c, a)
  EXPECT_EQ(*map.Find("a"), 1);
  map.Put("d", 4);  // young full: c, a become old; b is dropped
  EXPECT_EQ(map.Find("b"), nullptr);
  EXPECT_EQ(*map.Find("c"), 3);
  EXPECT_EQ(*map.Find("d"), 4);
}

TEST(RecentMap, PutReplacesAndEraseForgets) {
  RecentMap<std::string> map(8);
  map.Put("k", "one");
  map.Put("k", "two");
  EXPECT_EQ(*map.Find("k"), "two");
  map.Erase("k");
  EXPECT_EQ(map.Find("k"), nullptr);
}

}  // namespace
}  // namespace certforge::core
