#pragma once
// Fans committed changes out to open watches. The registry publishes each change after its
// commit; a watch subscribes before it reads its starting state, so between the snapshot it
// reads and the changes it receives nothing is lost (it skips what the snapshot already had).

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "services/local-apiserver/sqlite_store.h"

namespace certforge::apiserver {

struct WatchChange {
  int64_t rv = 0;
  ChangeType type = ChangeType::kAdded;
  std::string resource;  // storage key
  std::string ns;
  // Parsed and serialized once at commit, shared by every watcher.
  std::shared_ptr<const nlohmann::json> object;
  std::shared_ptr<const std::string> body;
};

class WatchHub;

// One watcher's queue. A watcher that falls too far behind is closed (it re-watches, as
// clients do when a real server drops them).
class WatchSubscription {
 public:
  enum class Wait { kChange, kTimeout, kClosed };
  // Takes the next change, waiting up to `timeout`.
  Wait Next(std::chrono::milliseconds timeout, WatchChange* out);
  // The newest revision this watcher has been handed everything up to, or 0 while changes
  // wait in its queue: a safe resourceVersion for a bookmark.
  int64_t QuietRevision();
  ~WatchSubscription();

 private:
  friend class WatchHub;
  WatchSubscription(WatchHub* hub, std::string resource, std::string ns)
      : hub_(hub), resource_(std::move(resource)), ns_(std::move(ns)) {}

  WatchHub* hub_;
  const std::string resource_;
  const std::string ns_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<WatchChange> queue_;
  bool closed_ = false;
};

class WatchHub {
 public:
  explicit WatchHub(size_t max_queue = 20000) : max_queue_(max_queue) {}
  ~WatchHub() { Shutdown(); }

  // Changes of `resource` in namespace `ns` ("" = all namespaces).
  std::unique_ptr<WatchSubscription> Subscribe(const std::string& resource, const std::string& ns);
  void Publish(const WatchChange& change);
  // The revision already in the store at startup.
  void SetPublishedRevision(int64_t rv);
  // Ends every watch: the server is stopping.
  void Shutdown();
  size_t watcher_count() const;

 private:
  friend class WatchSubscription;
  void Unsubscribe(WatchSubscription* sub);

  const size_t max_queue_;
  mutable std::mutex mu_;
  std::set<WatchSubscription*> subs_;
  int64_t published_ = 0;
  bool shutdown_ = false;
};

}  // namespace certforge::apiserver
