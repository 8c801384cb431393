#pragma once
// gtest assertion over a problem list: fails with one problem per line, so a CRD mismatch reads as
// a list of paths instead of one long vector dump.

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::crds {

inline ::testing::AssertionResult NoProblems(const std::vector<std::string>& problems) {
  if (problems.empty()) return ::testing::AssertionSuccess();
  auto failure = ::testing::AssertionFailure();
  failure << problems.size() << " problem(s):";
  for (const std::string& problem : problems) failure << "\n  - " << problem;
  return failure;
}

}  // namespace certforge::crds
