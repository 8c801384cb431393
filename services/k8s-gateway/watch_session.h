#pragma once
// One client's Watch stream: an optional paginated list first, then watches that resume from
// the last delivered resourceVersion whenever the API server drops the connection (backoff
// 100ms doubling to 5s), and a relist with a diff (relist_diff.h) when it answers 410 Expired.
// Never delivers the same object at the same resourceVersion twice.

#include <chrono>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "certforge/kube/v1/gateway.pb.h"
#include "services/k8s-gateway/backoff.h"
#include "services/k8s-gateway/kube_rest_client.h"
#include "services/k8s-gateway/relist_diff.h"

namespace certforge::k8sgw {

class WatchSession {
 public:
  using Emit = std::function<bool(const kube::v1::WatchEvent&)>;  // false: the client is gone
  struct Options {
    int64_t page_size = 500;
    std::chrono::seconds watch_timeout = std::chrono::minutes(5);
    Backoff backoff;
  };

  // `stop` turns true when the client cancels or the server shuts down.
  WatchSession(KubeRestClient& client, ResourcePath collection, kube::v1::WatchRequest request,
               std::function<bool()> stop, Emit emit, Options options);
  WatchSession(KubeRestClient& client, ResourcePath collection, kube::v1::WatchRequest request,
               std::function<bool()> stop, Emit emit)
      : WatchSession(client, std::move(collection), std::move(request), std::move(stop),
                     std::move(emit), Options{}) {}

  // Returns OK once stopped; an error only when the watch cannot start at all (a bad request,
  // a forbidden or unknown resource).
  absl::Status Run();

 private:
  bool Stopped() const { return client_gone_ || stop_(); }
  // Lists everything, sends the difference to what was delivered, then the closing BOOKMARK.
  absl::Status Relist();
  absl::StatusOr<std::vector<std::string>> ListAll(std::string* list_rv);
  bool OnEvent(const RawWatchEvent& event);
  bool Send(const kube::v1::WatchEvent& event);
  void LearnType(const nlohmann::json& object);
  // Waits `delay` unless stopped first; false when stopped.
  bool Sleep(std::chrono::milliseconds delay);

  KubeRestClient& client_;
  const ResourcePath collection_;
  const kube::v1::WatchRequest request_;
  const std::function<bool()> stop_;
  const Emit emit_;
  Options options_;

  DeliveredIndex delivered_;
  std::string resource_version_;  // where the next watch starts
  std::string api_version_;       // learned from the objects, for DELETED after a relist
  std::string kind_;
  bool started_ = false;  // something came back from the API server for this stream
  bool client_gone_ = false;
  bool progressed_ = false;  // the current watch delivered something
};

}  // namespace certforge::k8sgw
