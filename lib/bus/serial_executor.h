#pragma once
// One thread that runs posted tasks in order: the broker's callback thread, so that job callbacks
// never run on (or block) the socket thread.

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace certforge::bus {

class SerialExecutor {
 public:
  SerialExecutor();
  ~SerialExecutor();  // Stop()
  SerialExecutor(const SerialExecutor&) = delete;
  SerialExecutor& operator=(const SerialExecutor&) = delete;

  // After Stop() the task runs on the caller's thread instead.
  void Post(std::function<void()> task);
  // Runs everything already posted, then ends the thread.
  void Stop();

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  bool stopped_ = false;
  std::thread thread_;
};

}  // namespace certforge::bus
