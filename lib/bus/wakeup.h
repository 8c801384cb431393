#pragma once
// An eventfd that other threads signal to wake a socket thread blocked in zmq_poll (the fd goes
// into the poll items as a raw file descriptor).

namespace certforge::bus {

class Wakeup {
 public:
  Wakeup();
  ~Wakeup();
  Wakeup(const Wakeup&) = delete;
  Wakeup& operator=(const Wakeup&) = delete;

  bool valid() const { return fd_ >= 0; }
  int fd() const { return fd_; }
  void Notify();
  // Clears pending notifications (called by the polling thread when the fd is readable).
  void Drain();

 private:
  int fd_;
};

}  // namespace certforge::bus
