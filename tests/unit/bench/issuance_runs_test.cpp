#include "bench/issuance/issuance_runs.h"

#include <gtest/gtest.h>

namespace certforge::bench {
namespace {

// A run of 1,000 Certificates: `ready` Ready after `ready_s`, each process spending the CPU
// seconds given.
IssuanceResult MeasuredRun(double ready_s, double apiserver_s, double controller_s, double signer_s,
                           int ready = 1000) {
  IssuanceResult r;
  r.certificates = 1000;
  r.ready = ready;
  r.ready_s = ready_s;
  r.cpu = {{"local-apiserver", 1, apiserver_s, apiserver_s},
           {"controller", 2, controller_s, controller_s},
           {"signer-1", 3, signer_s, signer_s}};
  r.check.requests = r.check.secrets_checked = ready;
  r.check.missing_secrets = 1000 - ready;
  return r;
}

TEST(SpreadOfTest, OddAndEvenCountsAndNone) {
  Spread odd = SpreadOf({5.0, 4.0, 6.0});
  EXPECT_EQ(odd.count, 3);
  EXPECT_DOUBLE_EQ(odd.min, 4.0);
  EXPECT_DOUBLE_EQ(odd.median, 5.0);
  EXPECT_DOUBLE_EQ(odd.max, 6.0);

  Spread even = SpreadOf({4.0, 7.0, 5.0, 6.0});
  EXPECT_DOUBLE_EQ(even.median, 5.5);

  Spread none = SpreadOf({});
  EXPECT_EQ(none.count, 0);
  EXPECT_DOUBLE_EQ(none.median, 0);
}

TEST(SummarizeRunsTest, SpreadsPerProcessInMsPerCertificate) {
  RunsSummary s = SummarizeRuns({MeasuredRun(5.0, 4.5, 3.5, 0.5), MeasuredRun(4.0, 4.0, 3.0, 0.6),
                                 MeasuredRun(6.0, 5.0, 4.0, 0.7)});
  EXPECT_EQ(s.runs, 3);
  EXPECT_EQ(s.all_ready_runs, 3);
  EXPECT_DOUBLE_EQ(s.ready_s.median, 5.0);
  EXPECT_DOUBLE_EQ(s.ready_s.min, 4.0);
  EXPECT_DOUBLE_EQ(s.process_ms.at("local-apiserver").median, 4.5);
  EXPECT_DOUBLE_EQ(s.process_ms.at("controller").max, 4.0);
  EXPECT_DOUBLE_EQ(s.signers_ms.median, 0.6);
  EXPECT_DOUBLE_EQ(s.stack_ms.median, 8.5);  // 4.5 + 3.5 + 0.5
  EXPECT_EQ(s.process_ms.count("signer-1"), 0u) << "the signers are summed as one";
}

TEST(SummarizeRunsTest, ARunThatTimedOutHasNoReadyTime) {
  RunsSummary s =
      SummarizeRuns({MeasuredRun(5.0, 4.5, 3.5, 0.5), MeasuredRun(300.0, 9, 9, 1, /*ready=*/998)});
  EXPECT_EQ(s.all_ready_runs, 1);
  EXPECT_EQ(s.ready_s.count, 1);
  EXPECT_DOUBLE_EQ(s.ready_s.max, 5.0);
  EXPECT_EQ(s.stack_ms.count, 2);
}

TEST(RunsToJsonTest, KeepsEveryRunAndTheSummary) {
  auto j = RunsToJson({MeasuredRun(5.0, 4.5, 3.5, 0.5), MeasuredRun(4.0, 4.0, 3.0, 0.6)});
  ASSERT_EQ(j["runs"].size(), 2u);
  EXPECT_DOUBLE_EQ(j["summary"]["ready_s"]["median"].get<double>(), 4.5);
  EXPECT_EQ(j["summary"]["all_ready_runs"].get<int>(), 2);
  EXPECT_TRUE(j["summary"]["process_cpu_ms_per_certificate"].contains("controller"));
}

}  // namespace
}  // namespace certforge::bench
