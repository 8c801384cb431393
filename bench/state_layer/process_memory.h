#pragma once
// Resident memory of a process, as the kernel reports it in /proc/<pid>/status.

#include <sys/types.h>

#include <cstdint>

namespace certforge::bench {

struct ProcessMemory {
  int64_t rss_kib = 0;   // VmRSS: resident now
  int64_t peak_kib = 0;  // VmHWM: the most it was ever resident
};

ProcessMemory ReadProcessMemory(pid_t pid);

}  // namespace certforge::bench
