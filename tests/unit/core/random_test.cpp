#include "lib/core/random.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace certforge::core {
namespace {

TEST(Random, UuidIsVersion4) {
  std::regex shape("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) {
    std::string u = NewUuid();
    EXPECT_TRUE(std::regex_match(u, shape)) << u;
    seen.insert(u);
  }
  EXPECT_EQ(seen.size(), 100u);
}

TEST(Random, UuidsDifferAcrossThreads) {
  // Each thread draws its own block of randomness: no two may hand out the same one.
  std::vector<std::string> a, b;
  std::thread ta([&] {
    for (int i = 0; i < 100; ++i) a.push_back(NewUuid());
  });
  std::thread tb([&] {
    for (int i = 0; i < 100; ++i) b.push_back(NewUuid());
  });
  ta.join();
  tb.join();
  std::set<std::string> seen(a.begin(), a.end());
  seen.insert(b.begin(), b.end());
  EXPECT_EQ(seen.size(), 200u);
}

TEST(Random, NameSuffixUsesKubernetesAlphabet) {
  std::string s = RandomNameSuffix(200);
  EXPECT_EQ(s.size(), 200u);
  EXPECT_EQ(s.find_first_not_of("bcdfghjklmnpqrstvwxz2456789"), std::string::npos);
  EXPECT_EQ(RandomHex(16).size(), 32u);
}

}  // namespace
}  // namespace certforge::core
