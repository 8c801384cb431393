#pragma once
// A yes/no check that is costly to ask, asked at most once per interval; in between, the last
// answer stands. Once it has said yes it says yes for good.
//
// A watch asks whether its gRPC client has gone on every chunk and every curl progress tick, and
// the synchronous server's ServerContext::IsCancelled polls a completion queue to answer: asked
// every time, that was a quarter of the cost of relaying an event.

#include <chrono>
#include <functional>
#include <utility>

namespace certforge::k8sgw {

class ThrottledCheck {
 public:
  ThrottledCheck(std::function<bool()> check, std::chrono::milliseconds interval)
      : check_(std::move(check)), interval_(interval) {}

  bool operator()() {
    if (answer_) return true;
    auto now = std::chrono::steady_clock::now();
    if (now < next_) return false;
    next_ = now + interval_;
    answer_ = check_();
    return answer_;
  }

 private:
  std::function<bool()> check_;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point next_{};
  bool answer_ = false;
};

}  // namespace certforge::k8sgw
