#include "bench/issuance/issuance_report.h"

#include <algorithm>
#include <cstdio>

namespace certforge::bench {
namespace {

double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[static_cast<size_t>(p * static_cast<double>(values.size() - 1))];
}

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

}  // namespace

double PerCertificateMs(double cpu_s, int certificates) {
  return certificates > 0 ? 1000.0 * cpu_s / certificates : 0;
}

bool IsSigner(const ProcessCpu& process) { return process.name.rfind("signer", 0) == 0; }

double IssuanceResult::StackCpuToReady() const {
  double sum = 0;
  for (const auto& p : cpu) sum += p.to_ready_s;
  return sum;
}

double IssuanceResult::SignerCpuToReady() const {
  double sum = 0;
  for (const auto& p : cpu) sum += IsSigner(p) ? p.to_ready_s : 0;
  return sum;
}

double IssuanceResult::StackCpuToQuiet() const {
  double sum = 0;
  for (const auto& p : cpu) sum += p.to_quiet_s;
  return sum;
}

std::vector<StepStats> SummarizeSteps(
    const std::map<std::string, IssuanceTracker::StepTimes>& steps, Clock::time_point start) {
  std::vector<StepStats> out;
  for (size_t s = 0; s < static_cast<size_t>(Step::kCount); ++s) {
    std::vector<double> at, stage;
    for (const auto& [name, times] : steps) {
      if (times[s] == Clock::time_point{}) continue;
      at.push_back(Ms(times[s] - start));
      if (s > 0 && times[s - 1] != Clock::time_point{})
        stage.push_back(Ms(times[s] - times[s - 1]));
    }
    StepStats stats;
    stats.step = StepName(static_cast<Step>(s));
    stats.seen = static_cast<int>(at.size());
    stats.p50_ms = Percentile(at, 0.5);
    stats.p90_ms = Percentile(at, 0.9);
    stats.max_ms = at.empty() ? 0 : *std::max_element(at.begin(), at.end());
    stats.stage_p50_ms = Percentile(stage, 0.5);
    if (stats.seen > 0) out.push_back(stats);  // steps not followed in this run are left out
  }
  return out;
}

void PrintMarkdown(const IssuanceResult& r) {
  const int n = r.certificates;
  std::printf("| measurement | value |\n|---|---|\n");
  std::printf("| load average (1/5/15 min) before / after | %s / %s |\n", r.load_before.c_str(),
              r.load_after.c_str());
  std::printf("| CPUs | %s |\n", r.cpu_placement.c_str());
  std::printf(
      "| Certificates created (%d gRPC callers, %d signer%s) | %d in %.2f s (%d failed) |\n",
      r.clients, r.signers, r.signers == 1 ? "" : "s", n, r.create_s, r.create_failures);
  if (r.all_ready()) {
    std::printf("| all %d Ready, from the first create | **%.2f s** = **%.0f certificates/s** |\n",
                n, r.ready_s, n / r.ready_s);
  } else {
    std::printf("| Ready, from the first create | **only %d of %d** after %.2f s (timed out) |\n",
                r.ready, n, r.ready_s);
  }
  std::printf("| stack quiet again (no watch event for the settle time) | %.2f s |\n", r.quiet_s);
  for (const auto& p : r.cpu) {
    std::printf(
        "| CPU %s (pid %d) until all Ready (until quiet) | %.2f s (%.2f s) = %.2f ms per "
        "certificate |\n",
        p.name.c_str(), static_cast<int>(p.pid), p.to_ready_s, p.to_quiet_s,
        PerCertificateMs(p.to_ready_s, n));
  }
  std::printf("| CPU per certificate, signer%s | **%.3f ms** |\n", r.signers == 1 ? "" : "s",
              PerCertificateMs(r.SignerCpuToReady(), n));
  std::printf(
      "| CPU per certificate, whole stack until Ready (until quiet) | **%.2f ms** (%.2f ms) |\n",
      PerCertificateMs(r.StackCpuToReady(), n), PerCertificateMs(r.StackCpuToQuiet(), n));
  std::printf("| CPU of this benchmark (creates, watches) | %.2f s |\n", r.bench_cpu_s);
  std::printf("| CertificateRequests | %d (expected %d) %s |\n", r.check.requests, n,
              r.check.requests == n ? "ok" : "**WRONG**");
  std::printf(
      "| TLS Secrets checked: key matches certificate, ECDSA P-256, signed by the CA | %d of %d; "
      "%d missing, %d key mismatches, %d wrong key type, %d not signed by the CA |\n",
      r.check.secrets_checked, n, r.check.missing_secrets, r.check.key_mismatches,
      r.check.wrong_key_type, r.check.not_signed_by_ca);
  std::printf("| next-private-key Secrets left at the end | %d |\n", r.check.leftover_key_secrets);
  for (const auto& [resource, w] : r.writes) {
    std::printf(
        "| API writes seen on %s (added/modified/deleted) | %d/%d/%d = %.2f per certificate |\n",
        resource.c_str(), w.added, w.modified, w.deleted,
        n > 0 ? static_cast<double>(w.total()) / n : 0);
  }
  std::printf(
      "\n| step (first seen by a watcher) | certificates | p50 ms | p90 ms | max ms | median ms "
      "since previous step |\n|---|---|---|---|---|---|\n");
  for (const auto& s : r.steps) {
    std::printf("| %s | %d | %.0f | %.0f | %.0f | %.1f |\n", s.step.c_str(), s.seen, s.p50_ms,
                s.p90_ms, s.max_ms, s.stage_p50_ms);
  }
}

nlohmann::json ToJson(const IssuanceResult& r) {
  using nlohmann::json;
  json cpu = json::array();
  for (const auto& p : r.cpu) {
    cpu.push_back({{"process", p.name},
                   {"cpu_seconds_to_ready", p.to_ready_s},
                   {"cpu_seconds_to_quiet", p.to_quiet_s}});
  }
  json steps = json::array();
  for (const auto& s : r.steps) {
    steps.push_back({{"step", s.step},
                     {"seen", s.seen},
                     {"p50_ms", s.p50_ms},
                     {"p90_ms", s.p90_ms},
                     {"max_ms", s.max_ms},
                     {"stage_p50_ms", s.stage_p50_ms}});
  }
  json writes = json::object();
  for (const auto& [resource, w] : r.writes) {
    writes[resource] = {{"added", w.added}, {"modified", w.modified}, {"deleted", w.deleted}};
  }
  const int n = r.certificates;
  return {{"certificates", n},
          {"signers", r.signers},
          {"clients", r.clients},
          {"cpu_placement", r.cpu_placement},
          {"load_average_before", r.load_before},
          {"load_average_after", r.load_after},
          {"create_seconds", r.create_s},
          {"create_failures", r.create_failures},
          {"ready", r.ready},
          {"all_ready", r.all_ready()},
          {"seconds_to_all_ready", r.ready_s},
          {"certificates_per_second", r.ready_s > 0 ? r.ready / r.ready_s : 0},
          {"seconds_to_quiet", r.quiet_s},
          {"cpu", cpu},
          {"signer_cpu_ms_per_certificate", PerCertificateMs(r.SignerCpuToReady(), n)},
          {"stack_cpu_ms_per_certificate", PerCertificateMs(r.StackCpuToReady(), n)},
          {"stack_cpu_ms_per_certificate_to_quiet", PerCertificateMs(r.StackCpuToQuiet(), n)},
          {"bench_cpu_seconds", r.bench_cpu_s},
          {"certificate_requests", r.check.requests},
          {"secrets_checked", r.check.secrets_checked},
          {"missing_secrets", r.check.missing_secrets},
          {"key_mismatches", r.check.key_mismatches},
          {"wrong_key_type", r.check.wrong_key_type},
          {"not_signed_by_ca", r.check.not_signed_by_ca},
          {"leftover_key_secrets", r.check.leftover_key_secrets},
          {"writes", writes},
          {"steps", steps}};
}

}  // namespace certforge::bench
