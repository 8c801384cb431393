// Where the stack's processes run: the split of the CPUs, and placing a real process on one.
#include "tests/support/cpu_split.h"

#include <gtest/gtest.h>

#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

TEST(SplitCpus, NothingToSplitOnFewerThanTwo) {
  EXPECT_FALSE(SplitCpus({}).has_value());
  EXPECT_FALSE(SplitCpus({3}).has_value());
}

TEST(SplitCpus, TheApiServerGetsTheFirstHalfTheOthersTheRest) {
  struct Case {
    std::vector<int> cpus, apiserver, others;
  };
  for (const Case& c : std::vector<Case>{{{0, 1}, {0}, {1}},
                                         {{0, 1, 2}, {0}, {1, 2}},
                                         {{4, 5, 6, 7}, {4, 5}, {6, 7}},
                                         {{0, 2, 5, 9, 11}, {0, 2}, {5, 9, 11}}}) {
    auto split = SplitCpus(c.cpus);
    ASSERT_TRUE(split.has_value()) << CpuList(c.cpus);
    EXPECT_EQ(split->apiserver, c.apiserver) << CpuList(c.cpus);
    EXPECT_EQ(split->others, c.others) << CpuList(c.cpus);
  }
}

TEST(CpuList, ListsAsTasksetDoes) {
  EXPECT_EQ(CpuList({0, 1, 3}), "0,1,3");
  EXPECT_EQ(CpuList({}), "");
}

TEST(PinProcess, EveryThreadOfARunningProcessMovesToTheGivenCpus) {
  std::vector<int> allowed = AllowedCpus();
  ASSERT_FALSE(allowed.empty());
  if (allowed.size() < 2) GTEST_SKIP() << "one CPU: nothing to place a process on apart";
  TempDir dir("cpu-split");
  ChildProcess sleeper({"sleep", "30"}, dir.File("sleep.log"));
  ASSERT_TRUE(WaitFor([&] { return CpusOf(sleeper.pid()) == allowed; }, std::chrono::seconds(5)));

  ASSERT_TRUE(PinProcess(sleeper.pid(), {allowed.back()}).ok());
  EXPECT_EQ(CpusOf(sleeper.pid()), std::vector<int>{allowed.back()});
}

TEST(PinProcess, AProcessThatIsGoneIsAnError) {
  EXPECT_FALSE(PinProcess(-1, {0}).ok());
}

}  // namespace
}  // namespace certforge::testing
