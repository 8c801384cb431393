#pragma once
// A real process started by a test: its own process group, output to a log file, killed
// (with its children) when the object goes away.

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace certforge::testing {

class ChildProcess {
 public:
  // argv[0] is the program (a path, or a name looked up on PATH). `env` adds or overrides.
  ChildProcess(std::vector<std::string> argv, std::string log_file,
               std::map<std::string, std::string> env = {});
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  bool Running();
  // Sends `sig` to the whole process group.
  void Signal(int sig);
  void Kill9() { Signal(9); }
  // SIGTERM, then SIGKILL after `grace`. Returns the exit status as waitpid reports it.
  int Stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Waits for exit up to `timeout`; nullopt if still running.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  // The last `bytes` of the log, for failure messages.
  std::string LogTail(size_t bytes = 4000) const;
  const std::string& log_file() const { return log_file_; }

 private:
  std::vector<std::string> argv_;
  std::string log_file_;
  pid_t pid_ = -1;
  std::optional<int> exit_status_;
};

}  // namespace certforge::testing
