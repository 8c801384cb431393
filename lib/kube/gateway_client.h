#pragma once
// What other services use to reach Kubernetes: the KubeGateway gRPC API with objects as
// nlohmann::json. Errors keep the gateway's code and message; the Kubernetes reason and field
// causes are available through KubeErrorFromStatus (lib/kube/gateway_status.h).

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "certforge/kube/v1/gateway.grpc.pb.h"
#include "lib/kube/gateway_status.h"

namespace certforge::kube {

struct GroupVersionResource {
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // plural
};

struct GatewayClientOptions {
  std::chrono::milliseconds timeout = std::chrono::seconds(30);  // per unary call
  int64_t page_size = 500;                                       // List pages
};

struct GatewayWriteOptions {
  bool dry_run = false;
  std::string field_manager;
};

struct GatewayPatchOptions {
  std::string subresource;
  std::string field_manager;  // required for APPLY
  bool force = false;
  bool dry_run = false;
};

struct GatewayDeleteOptions {
  std::string precondition_uid;
  std::string precondition_resource_version;
  v1::DeleteRequest::Propagation propagation = v1::DeleteRequest::PROPAGATION_UNSPECIFIED;
};

struct GatewayListOptions {
  std::string label_selector;
  std::string field_selector;
};

struct GatewayWatchOptions {
  std::string label_selector;
  std::string field_selector;
  std::string resource_version;
  bool list_first = false;
  bool allow_bookmarks = false;
};

struct GatewayWatchEvent {
  v1::WatchEvent::Type type = v1::WatchEvent::TYPE_UNSPECIFIED;
  nlohmann::json object;
  std::string object_json;  // the object's text as relayed, for callers that keep it as text
  std::string resource_version;
  bool initial_events_end = false;
};

class GatewayClient {
 public:
  using Options = GatewayClientOptions;
  using WriteOptions = GatewayWriteOptions;
  using PatchOptions = GatewayPatchOptions;
  using DeleteOptions = GatewayDeleteOptions;
  using ListOptions = GatewayListOptions;
  using WatchOptions = GatewayWatchOptions;
  using WatchEvent = GatewayWatchEvent;

  // Ends a Watch from another thread. Single use: once cancelled it cancels every Watch it is
  // given.
  class WatchCanceller {
   public:
    void Cancel();

   private:
    friend class GatewayClient;
    void Attach(grpc::ClientContext* context);
    void Detach();
    std::mutex mu_;
    grpc::ClientContext* context_ = nullptr;
    bool cancelled_ = false;
  };

  explicit GatewayClient(std::shared_ptr<grpc::ChannelInterface> channel, Options options);
  explicit GatewayClient(std::shared_ptr<grpc::ChannelInterface> channel)
      : GatewayClient(std::move(channel), Options{}) {}
  // An insecure channel to "host:port" that accepts large lists.
  static std::shared_ptr<grpc::Channel> Connect(const std::string& address);

  absl::StatusOr<nlohmann::json> Get(const GroupVersionResource& gvr, const std::string& namespace_,
                                     const std::string& name, const std::string& subresource = "");
  // The namespace comes from the object's metadata.
  absl::StatusOr<nlohmann::json> Create(const GroupVersionResource& gvr,
                                        const nlohmann::json& object,
                                        const WriteOptions& options = {});
  // Replaces the object; its metadata.resourceVersion is the precondition (Aborted when stale).
  absl::StatusOr<nlohmann::json> Update(const GroupVersionResource& gvr,
                                        const nlohmann::json& object,
                                        const WriteOptions& options = {});
  absl::StatusOr<nlohmann::json> UpdateStatus(const GroupVersionResource& gvr,
                                              const nlohmann::json& object,
                                              const WriteOptions& options = {});
  // The same, answering the stored object's JSON text unparsed, for callers that rarely read it.
  absl::StatusOr<std::string> UpdateStatusText(const GroupVersionResource& gvr,
                                               const nlohmann::json& object,
                                               const WriteOptions& options = {});
  absl::StatusOr<nlohmann::json> Patch(const GroupVersionResource& gvr,
                                       const std::string& namespace_, const std::string& name,
                                       v1::PatchRequest::Type type, const nlohmann::json& patch,
                                       const PatchOptions& options = {});
  // The object while finalizers hold it, null once it is gone.
  absl::StatusOr<nlohmann::json> Delete(const GroupVersionResource& gvr,
                                        const std::string& namespace_, const std::string& name,
                                        const DeleteOptions& options = {});
  // Every page: {"items":[...],"metadata":{"resourceVersion":"..."}}.
  absl::StatusOr<nlohmann::json> List(const GroupVersionResource& gvr,
                                      const std::string& namespace_,
                                      const ListOptions& options = {});
  // Calls `on_event` for each event until it returns false, `canceller` is cancelled (both
  // return OK) or the stream fails (its status). The event is the callee's to move from.
  absl::Status Watch(const GroupVersionResource& gvr, const std::string& namespace_,
                     const WatchOptions& options, const std::function<bool(WatchEvent&)>& on_event,
                     WatchCanceller* canceller = nullptr);

  absl::StatusOr<v1::EventResponse> RecordEvent(const v1::EventRequest& request);
  absl::StatusOr<v1::EventBatchResponse> RecordEvents(const v1::EventBatch& batch);
  absl::StatusOr<v1::VersionResponse> ServerVersion();

 private:
  void Prepare(grpc::ClientContext& context) const;
  absl::StatusOr<nlohmann::json> ObjectFrom(const grpc::Status& status,
                                            const v1::Object& object) const;
  absl::StatusOr<std::string> Put(const GroupVersionResource& gvr, const nlohmann::json& object,
                                  const std::string& subresource, const WriteOptions& options);
  // A unary call whose answer is its response message as it came.
  template <typename Request, typename Response>
  absl::StatusOr<Response> Unary(grpc::Status (v1::KubeGateway::Stub::*method)(grpc::ClientContext*,
                                                                               const Request&,
                                                                               Response*),
                                 const Request& request);

  std::unique_ptr<v1::KubeGateway::Stub> stub_;
  Options options_;
};

}  // namespace certforge::kube
