#pragma once
// What a job submitter learns when its job ends.

#include <functional>
#include <string>

#include "absl/status/status.h"

namespace certforge::bus {

struct JobResult {
  std::string job_id;
  absl::Status status;  // the handler's error, CANCELLED, or UNAVAILABLE when the broker stopped
  std::string payload;  // the handler's output on success
};

using JobDoneCallback = std::function<void(const JobResult&)>;

}  // namespace certforge::bus
