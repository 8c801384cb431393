#pragma once
// CPU time of processes as the kernel counts it (/proc/<pid>/stat utime+stime, all threads), the
// processes a benchmark started, and the machine's load average: the bench shares its cores.

#include <sys/types.h>

#include <string>
#include <vector>

namespace certforge::bench {

struct ProcessInfo {
  pid_t pid = -1;
  std::string name;  // the kernel's comm: the executable's name, cut at 15 characters
};

// utime+stime of `pid` in seconds; negative when the process is gone.
double ProcessCpuSeconds(pid_t pid);

// Every live process whose parent is `parent`, in pid order.
std::vector<ProcessInfo> ChildProcesses(pid_t parent);

// The 1, 5 and 15 minute load averages, as /proc/loadavg prints them ("6.55 7.45 7.40").
std::string LoadAverage();

}  // namespace certforge::bench
