#pragma once
// Polls a condition until it holds or a deadline passes: tests wait on real processes.

#include <chrono>
#include <functional>

namespace certforge::testing {

bool WaitFor(const std::function<bool()>& condition,
             std::chrono::milliseconds timeout = std::chrono::seconds(30),
             std::chrono::milliseconds interval = std::chrono::milliseconds(50));

}  // namespace certforge::testing
