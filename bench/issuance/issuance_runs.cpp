#include "bench/issuance/issuance_runs.h"

#include <algorithm>
#include <cstdio>

namespace certforge::bench {
namespace {

nlohmann::json SpreadJson(const Spread& s) {
  return {{"count", s.count}, {"min", s.min}, {"median", s.median}, {"max", s.max}};
}

void PrintRow(const char* what, const Spread& s, const char* unit) {
  std::printf("| %s | %d | %.2f %s | **%.2f %s** | %.2f %s |\n", what, s.count, s.min, unit,
              s.median, unit, s.max, unit);
}

}  // namespace

Spread SpreadOf(std::vector<double> values) {
  Spread s;
  s.count = static_cast<int>(values.size());
  if (values.empty()) return s;
  std::sort(values.begin(), values.end());
  size_t mid = values.size() / 2;
  s.min = values.front();
  s.max = values.back();
  s.median = values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  return s;
}

RunsSummary SummarizeRuns(const std::vector<IssuanceResult>& results) {
  RunsSummary summary;
  summary.runs = static_cast<int>(results.size());
  std::vector<double> ready, stack, signers;
  std::map<std::string, std::vector<double>> processes;
  for (const auto& r : results) {
    const int n = r.certificates;
    if (r.all_ready()) ready.push_back(r.ready_s);
    if (r.all_ready() && r.check.ok(n)) ++summary.all_ready_runs;
    stack.push_back(PerCertificateMs(r.StackCpuToReady(), n));
    signers.push_back(PerCertificateMs(r.SignerCpuToReady(), n));
    for (const auto& p : r.cpu) {
      if (!IsSigner(p)) processes[p.name].push_back(PerCertificateMs(p.to_ready_s, n));
    }
  }
  summary.ready_s = SpreadOf(std::move(ready));
  summary.stack_ms = SpreadOf(std::move(stack));
  summary.signers_ms = SpreadOf(std::move(signers));
  for (auto& [name, values] : processes) summary.process_ms[name] = SpreadOf(std::move(values));
  return summary;
}

void PrintRunsSummary(const std::vector<IssuanceResult>& results) {
  RunsSummary s = SummarizeRuns(results);
  std::printf("## Summary of %d runs\n\n", s.runs);
  std::printf("| measurement | runs | min | median | max |\n|---|---|---|---|---|\n");
  PrintRow("all Ready, from the first create", s.ready_s, "s");
  PrintRow("CPU per certificate, whole stack", s.stack_ms, "ms");
  for (const auto& [name, spread] : s.process_ms) {
    PrintRow(("CPU per certificate, " + name).c_str(), spread, "ms");
  }
  PrintRow("CPU per certificate, signers", s.signers_ms, "ms");
  std::printf("\nRuns with every Certificate Ready and every Secret checked: %d of %d\n",
              s.all_ready_runs, s.runs);
}

nlohmann::json RunsToJson(const std::vector<IssuanceResult>& results) {
  RunsSummary s = SummarizeRuns(results);
  nlohmann::json runs = nlohmann::json::array();
  for (const auto& r : results) runs.push_back(ToJson(r));
  nlohmann::json processes = nlohmann::json::object();
  for (const auto& [name, spread] : s.process_ms) processes[name] = SpreadJson(spread);
  return {{"runs", runs},
          {"summary",
           {{"runs", s.runs},
            {"all_ready_runs", s.all_ready_runs},
            {"ready_s", SpreadJson(s.ready_s)},
            {"stack_cpu_ms_per_certificate", SpreadJson(s.stack_ms)},
            {"signers_cpu_ms_per_certificate", SpreadJson(s.signers_ms)},
            {"process_cpu_ms_per_certificate", processes}}}};
}

}  // namespace certforge::bench
