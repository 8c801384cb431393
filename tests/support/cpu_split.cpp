#include "tests/support/cpu_split.h"

#include <sched.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace certforge::testing {
namespace {

std::vector<int> CpusIn(const cpu_set_t& set) {
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.push_back(cpu);
  }
  return cpus;
}

}  // namespace

std::optional<CpuSplit> SplitCpus(const std::vector<int>& cpus) {
  if (cpus.size() < 2) return std::nullopt;
  auto middle = cpus.begin() + static_cast<std::ptrdiff_t>(cpus.size() / 2);
  return CpuSplit{{cpus.begin(), middle}, {middle, cpus.end()}};
}

std::vector<int> AllowedCpus() { return CpusOf(0); }

std::vector<int> CpusOf(pid_t pid) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(pid, sizeof(set), &set) != 0) return {};
  return CpusIn(set);
}

absl::Status PinProcess(pid_t pid, const std::vector<int>& cpus) {
  cpu_set_t set;
  CPU_ZERO(&set);
  for (int cpu : cpus) CPU_SET(cpu, &set);
  std::error_code error;
  std::filesystem::directory_iterator threads("/proc/" + std::to_string(pid) + "/task", error);
  if (error) return absl::NotFoundError("no process " + std::to_string(pid));
  for (const auto& thread : threads) {
    pid_t tid = std::stoi(thread.path().filename().string());
    // A thread that exited meanwhile has nothing left to place.
    if (sched_setaffinity(tid, sizeof(set), &set) != 0 && errno != ESRCH) {
      return absl::InternalError("placing thread " + std::to_string(tid) + " on CPUs " +
                                 CpuList(cpus) + ": " + std::strerror(errno));
    }
  }
  return absl::OkStatus();
}

std::string CpuList(const std::vector<int>& cpus) {
  std::string list;
  for (int cpu : cpus) list += (list.empty() ? "" : ",") + std::to_string(cpu);
  return list;
}

}  // namespace certforge::testing
