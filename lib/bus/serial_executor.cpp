#include "lib/bus/serial_executor.h"

#include <exception>

#include "spdlog/spdlog.h"

namespace certforge::bus {
namespace {

void RunGuarded(const std::function<void()>& task) {
  try {
    task();
  } catch (const std::exception& e) {
    spdlog::error("a job callback threw: {}", e.what());
  } catch (...) {
    spdlog::error("a job callback threw");
  }
}

}  // namespace

SerialExecutor::SerialExecutor() : thread_([this] { Run(); }) {}

SerialExecutor::~SerialExecutor() { Stop(); }

void SerialExecutor::Post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      tasks_.push_back(std::move(task));
      cv_.notify_one();
      return;
    }
  }
  RunGuarded(task);
}

void SerialExecutor::Stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_) return;
    stopping_ = true;
    cv_.notify_one();
  }
  if (thread_.get_id() == std::this_thread::get_id()) {
    thread_.detach();  // stopped from a callback: the thread ends by itself after it returns
  } else {
    thread_.join();
  }
}

void SerialExecutor::Run() {
  std::unique_lock lock(mu_);
  while (true) {
    cv_.wait(lock, [&] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) {
      stopped_ = true;
      return;
    }
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    RunGuarded(task);
    lock.lock();
  }
}

}  // namespace certforge::bus
