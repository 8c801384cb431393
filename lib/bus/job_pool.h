#pragma once
// A fixed set of threads that run a worker's jobs, so that a slow handler never holds up the
// socket thread (and its heartbeats).

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace certforge::bus {

class JobPool {
 public:
  explicit JobPool(int threads);
  ~JobPool();  // Stop()
  JobPool(const JobPool&) = delete;
  JobPool& operator=(const JobPool&) = delete;

  void Post(std::function<void()> task);
  // Drops tasks not yet started, waits for running ones, ends the threads.
  void Stop();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace certforge::bus
