#pragma once
// Counts repeats of an Event instead of creating a new one, as client-go's event correlator
// does: the same (involved object, type, reason, message, component) within a window updates
// the earlier Event. A bounded LRU keeps memory flat. Not thread-safe (EventRecorder locks).

#include <chrono>
#include <cstdint>
#include <list>
#include <optional>
#include <string>
#include <unordered_map>

#include "certforge/kube/v1/gateway.pb.h"

namespace certforge::k8sgw {

// Two requests with the same key describe the same event.
std::string EventCorrelationKey(const kube::v1::EventRequest& request);

class EventCorrelator {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  struct Entry {
    std::string namespace_;
    std::string name;  // of the Event object
    int32_t count = 1;
    TimePoint last_seen;
  };

  explicit EventCorrelator(size_t capacity = 4096,
                           std::chrono::seconds window = std::chrono::minutes(10));

  // The earlier Event to count this one against, when it was last seen within the window.
  std::optional<Entry> Find(const std::string& key, TimePoint now);
  // Remembers `entry` as the most recent; evicts the least recently used beyond capacity.
  void Remember(const std::string& key, Entry entry);
  void Forget(const std::string& key);
  size_t size() const { return index_.size(); }

 private:
  using Lru = std::list<std::pair<std::string, Entry>>;
  const size_t capacity_;
  const std::chrono::seconds window_;
  Lru lru_;  // front: most recent
  std::unordered_map<std::string, Lru::iterator> index_;
};

}  // namespace certforge::k8sgw
