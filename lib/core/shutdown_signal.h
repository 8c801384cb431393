#pragma once
// Blocks SIGINT and SIGTERM in every thread and lets main() wait for them: graceful shutdown.

#include <chrono>

namespace certforge::core {

class ShutdownSignal {
 public:
  // Must run in main() before any thread starts, so that every thread inherits the mask.
  ShutdownSignal();
  // Returns the signal number once SIGINT or SIGTERM arrives.
  int Wait();
};

}  // namespace certforge::core
