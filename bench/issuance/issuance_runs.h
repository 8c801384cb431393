#pragma once
// Several issuance runs summed up: this machine's speed varies from minute to minute, so one run
// says little; the spread of a few does.

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/issuance/issuance_report.h"

namespace certforge::bench {

struct Spread {
  int count = 0;
  double min = 0, median = 0, max = 0;
};
// The median of an even count is the mean of the middle two.
Spread SpreadOf(std::vector<double> values);

struct RunsSummary {
  int runs = 0;
  int all_ready_runs = 0;  // runs where every Certificate was Ready and every Secret checked out
  Spread ready_s;          // over the runs where all were Ready
  Spread stack_ms;         // CPU per certificate until all Ready, whole stack
  Spread signers_ms;       // ... the signers together
  std::map<std::string, Spread> process_ms;  // ... each other process, by name
};
RunsSummary SummarizeRuns(const std::vector<IssuanceResult>& results);

void PrintRunsSummary(const std::vector<IssuanceResult>& results);
// {"runs": [each run as ToJson gives it], "summary": {...}}
nlohmann::json RunsToJson(const std::vector<IssuanceResult>& results);

}  // namespace certforge::bench
