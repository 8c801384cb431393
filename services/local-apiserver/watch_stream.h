#pragma once
// One watch request: the starting state (the current objects, or the changes after a
// resourceVersion from the store's history), then live changes from the hub, as
// newline-delimited JSON events until the timeout, the client leaving, or shutdown.

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_set>

#include "absl/status/status.h"
#include "services/local-apiserver/object_filter.h"
#include "services/local-apiserver/sqlite_store.h"
#include "services/local-apiserver/watch_hub.h"

namespace certforge::apiserver {

struct WatchRequest {
  std::string ns;
  std::string resource_version;  // "" or "0": start from the current state
  bool send_initial_events = false;
  bool allow_bookmarks = false;
  std::chrono::seconds timeout{1800};
  bool table = false;
};

class WatchStream {
 public:
  WatchStream(const SqliteStore& store, WatchHub& hub, ResourceTypePtr type, ObjectFilter filter,
              WatchRequest request);
  // Subscribes and checks the request (400 for a malformed resourceVersion); call before the
  // response starts so that nothing committed from here on is missed.
  absl::Status Start();
  // Streams events until done. `write` returns false when the client has gone; so does
  // `still_wanted`, asked about once a second while no change flows.
  void Run(const std::function<bool(std::string_view)>& write,
           const std::function<bool()>& still_wanted);

 private:
  bool Emit(const char* type, const nlohmann::json& object, const std::string& body,
            const std::function<bool(std::string_view)>& write);
  // Applies the filter, turning changes that enter or leave it into ADDED or DELETED.
  bool Deliver(ChangeType change, const std::string& key, const nlohmann::json& object,
               const std::string& body, const std::function<bool(std::string_view)>& write);
  bool SendInitialState(const std::function<bool(std::string_view)>& write);
  bool SendBookmark(int64_t rv, bool initial_events_end,
                    const std::function<bool(std::string_view)>& write);

  const SqliteStore& store_;
  WatchHub& hub_;
  ResourceTypePtr type_;
  ObjectFilter filter_;
  WatchRequest request_;
  std::unique_ptr<WatchSubscription> subscription_;
  int64_t start_rv_ = 0;
  int64_t delivered_rv_ = 0;  // everything up to here has been delivered
  bool from_current_state_ = true;
  // Keys currently visible through the filter (only kept when the filter selects).
  std::unordered_set<std::string> visible_;
};

}  // namespace certforge::apiserver
