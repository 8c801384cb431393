#pragma once
// The results of one issuance run, as a markdown table (like state-layer-bench's) and as JSON.

#include <sys/types.h>

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bench/issuance/issuance_check.h"
#include "bench/issuance/issuance_tracker.h"

namespace certforge::bench {

struct ProcessCpu {
  std::string name;  // "controller", "signer-1", ...
  pid_t pid = -1;
  double to_ready_s = 0;  // CPU from the first create until all were Ready
  double to_quiet_s = 0;  // ... until the stack stopped writing (cleanup after Ready included)
};

// When the Certificates reached one step, in ms after the first create.
struct StepStats {
  std::string step;
  int seen = 0;
  double p50_ms = 0, p90_ms = 0, max_ms = 0;
  double stage_p50_ms = 0;  // median time from the previous step, per Certificate
};

struct IssuanceResult {
  int certificates = 0;
  int signers = 0;
  int clients = 0;
  std::string cpu_placement;  // which process runs on which CPUs
  std::string load_before, load_after;
  double create_s = 0;
  int create_failures = 0;
  int ready = 0;
  double ready_s = 0;
  double quiet_s = 0;
  std::vector<ProcessCpu> cpu;
  double bench_cpu_s = 0;  // this program: the creates and the watches, not part of the stack
  std::vector<StepStats> steps;
  std::map<std::string, WriteCounts> writes;
  IssuanceCheck check;

  bool all_ready() const { return ready == certificates; }
  double StackCpuToReady() const;
  double SignerCpuToReady() const;
  double StackCpuToQuiet() const;
};

// CPU seconds spread over `certificates`, in ms each.
double PerCertificateMs(double cpu_s, int certificates);
// A signer process ("signer-1", ...), whose CPU is summed with the other signers'.
bool IsSigner(const ProcessCpu& process);

// Percentiles of each step over the Certificates; `start` is the first create.
std::vector<StepStats> SummarizeSteps(
    const std::map<std::string, IssuanceTracker::StepTimes>& steps, Clock::time_point start);

void PrintMarkdown(const IssuanceResult& result);
nlohmann::json ToJson(const IssuanceResult& result);

}  // namespace certforge::bench
