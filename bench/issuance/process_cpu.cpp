#include "bench/issuance/process_cpu.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace certforge::bench {
namespace {

struct StatFields {
  std::string comm;
  pid_t ppid = -1;
  double cpu_ticks = -1;
};

// /proc/<pid>/stat: "pid (comm) state ppid ... utime(14) stime(15) ..."; comm may hold spaces
// and parentheses, so the fields after it are found from the last ')'.
bool ReadStat(pid_t pid, StatFields& out) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  auto open = line.find('(');
  auto close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos || close < open) return false;
  out.comm = line.substr(open + 1, close - open - 1);
  std::istringstream rest(line.substr(close + 1));
  std::string state;
  long long ppid = 0;
  rest >> state >> ppid;
  std::string skip;
  for (int field = 5; field <= 13; ++field) rest >> skip;  // pgrp .. cmajflt
  unsigned long long utime = 0, stime = 0;
  rest >> utime >> stime;
  if (!rest) return false;
  out.ppid = static_cast<pid_t>(ppid);
  out.cpu_ticks = static_cast<double>(utime + stime);
  return true;
}

}  // namespace

double ProcessCpuSeconds(pid_t pid) {
  StatFields stat;
  if (!ReadStat(pid, stat)) return -1;
  static const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));
  return stat.cpu_ticks / ticks_per_second;
}

std::vector<ProcessInfo> ChildProcesses(pid_t parent) {
  std::vector<ProcessInfo> children;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    pid_t pid = static_cast<pid_t>(std::stol(name));
    StatFields stat;
    if (ReadStat(pid, stat) && stat.ppid == parent) children.push_back({pid, stat.comm});
  }
  std::sort(children.begin(), children.end(),
            [](const ProcessInfo& a, const ProcessInfo& b) { return a.pid < b.pid; });
  return children;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string one, five, fifteen;
  in >> one >> five >> fifteen;
  return one + " " + five + " " + fifteen;
}

}  // namespace certforge::bench
