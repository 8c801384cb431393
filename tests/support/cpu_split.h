#pragma once
// Where the standalone stack's processes run, placed as scripts/stack places them: on two or more
// CPUs, local-apiserver gets the first half of the CPUs and the other services the rest. Then a
// CPU switches between the threads of one process, not between two processes' address spaces
// and caches: less CPU per certificate under load (docs/benchmarks.md, "CPUs of their own").

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace certforge::testing {

struct CpuSplit {
  std::vector<int> apiserver;
  std::vector<int> others;
};

// The split of `cpus`; nullopt for fewer than two, where there is nothing to split.
std::optional<CpuSplit> SplitCpus(const std::vector<int>& cpus);
// The CPUs this process may run on, in ascending order.
std::vector<int> AllowedCpus();
// The CPUs `pid`'s main thread may run on; empty if it cannot be read.
std::vector<int> CpusOf(pid_t pid);
// Restricts every thread of `pid` to `cpus`; threads it makes later inherit that.
absl::Status PinProcess(pid_t pid, const std::vector<int>& cpus);
// "0,1,3", as taskset -c lists them.
std::string CpuList(const std::vector<int>& cpus);

}  // namespace certforge::testing
