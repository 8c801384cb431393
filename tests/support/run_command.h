#pragma once
// Runs a command to completion (kubectl, openssl, ...) and captures what it printed.

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace certforge::testing {

struct CommandResult {
  int exit_code = -1;  // -1: did not finish in time (it was killed)
  std::string out;
  std::string err;
  std::string Describe() const;  // for failure messages
};

CommandResult RunCommand(const std::vector<std::string>& argv, const std::string& stdin_text = "",
                         const std::map<std::string, std::string>& env = {},
                         std::chrono::milliseconds timeout = std::chrono::seconds(60));

}  // namespace certforge::testing
