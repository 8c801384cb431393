#pragma once
// The Kubernetes REST verbs over an HttpTransport, with error responses turned into statuses
// (see http_error_mapping.h). Objects go in and out as the JSON text the API server speaks.

#include <chrono>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/k8s-gateway/http_transport.h"
#include "services/k8s-gateway/kube_path.h"

namespace certforge::k8sgw {

struct ListOptions {
  std::string label_selector;
  std::string field_selector;
  int64_t limit = 0;  // 0: everything
  std::string continue_token;
};

struct ListPage {
  std::vector<std::string> items;  // each object's JSON text, apiVersion and kind filled in
  std::string resource_version;
  std::string continue_token;
  std::string api_version;  // of the items
  std::string kind;         // of the items ("Secret" for a SecretList)
};

// A list response, its items sliced out of the text rather than parsed and encoded again: a
// page of Secrets is mostly their data, which the gateway only relays.
absl::StatusOr<ListPage> ParseListPage(std::string_view body);

struct WriteOptions {
  bool dry_run = false;
  std::string field_manager;
};

enum class PatchType { kMerge, kJson, kStrategic, kApply };
const char* PatchContentType(PatchType type);

struct PatchOptions {
  PatchType type = PatchType::kMerge;
  bool force = false;  // server-side apply only
  WriteOptions write;
};

struct DeleteOptions {
  std::string precondition_uid;
  std::string precondition_resource_version;
  std::string propagation_policy;  // "", "Background", "Foreground", "Orphan"
  bool dry_run = false;
};
// The DeleteOptions body the API server expects.
nlohmann::json DeleteOptionsBody(const DeleteOptions& options);

struct WatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;
  // The server ends the watch after this long; the stream is abandoned if it has not ended
  // by this plus a grace period (a silent peer that TCP keepalive has not caught yet).
  std::chrono::seconds timeout = std::chrono::minutes(5);
};

// One watch event as the API server sent it: the object is a slice of its line, not parsed.
struct RawWatchEvent {
  std::string type;         // ADDED, MODIFIED, DELETED, BOOKMARK
  std::string_view object;  // the object's JSON text
};

class KubeRestClient {
 public:
  explicit KubeRestClient(std::unique_ptr<HttpTransport> transport);

  absl::StatusOr<std::string> Get(const ResourcePath& item);
  absl::StatusOr<ListPage> List(const ResourcePath& collection, const ListOptions& options);
  absl::StatusOr<std::string> Create(const ResourcePath& collection, std::string object_json,
                                     const WriteOptions& options);
  absl::StatusOr<std::string> Update(const ResourcePath& item, std::string object_json,
                                     const WriteOptions& options);
  absl::StatusOr<std::string> Patch(const ResourcePath& item, std::string patch,
                                    const PatchOptions& options);
  // The response body: the object (still finalizing, or as deleted) or a Status.
  absl::StatusOr<std::string> Delete(const ResourcePath& item, const DeleteOptions& options);

  // Streams watch events ({"type","object"}) until the server ends the watch (OK), an ERROR
  // event or HTTP error arrives (its status; 410 is OutOfRange), the connection fails
  // (Unavailable), or `on_event` returns false / `cancelled()` turns true (Cancelled).
  absl::Status Watch(const ResourcePath& collection, const WatchOptions& options,
                     const std::function<bool(const RawWatchEvent& event)>& on_event,
                     const std::function<bool()>& cancelled);

  // GET /version.
  absl::StatusOr<nlohmann::json> Version(
      std::chrono::milliseconds timeout = std::chrono::seconds(10));

  const std::string& server() const { return transport_->server(); }

 private:
  absl::StatusOr<std::string> Call(HttpRequest request);

  std::unique_ptr<HttpTransport> transport_;
};

}  // namespace certforge::k8sgw
