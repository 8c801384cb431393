#include "bench/state_layer/process_memory.h"

#include <fstream>
#include <sstream>
#include <string>

namespace certforge::bench {

ProcessMemory ReadProcessMemory(pid_t pid) {
  ProcessMemory m;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(status, line)) {
    std::istringstream fields(line);
    std::string key;
    int64_t kib = 0;
    fields >> key >> kib;
    if (key == "VmRSS:") m.rss_kib = kib;
    if (key == "VmHWM:") m.peak_kib = kib;
  }
  return m;
}

}  // namespace certforge::bench
