#pragma once
// The KubeGateway gRPC service: each rpc becomes Kubernetes REST calls through KubeRestClient;
// API errors travel back as the gRPC code plus a KubeError in the status details.

#include <atomic>

#include "certforge/kube/v1/gateway.grpc.pb.h"
#include "services/k8s-gateway/api_server_probe.h"
#include "services/k8s-gateway/event_recorder.h"
#include "services/k8s-gateway/kube_rest_client.h"
#include "services/k8s-gateway/watch_session.h"

namespace certforge::k8sgw {

class GatewayService final : public kube::v1::KubeGateway::Service {
 public:
  GatewayService(KubeRestClient& client, ApiServerProbe& probe,
                 WatchSession::Options watch_options = {});

  // Ends every open Watch stream (with Unavailable) and refuses new ones; call before
  // grpc::Server::Shutdown so that it does not wait for streams that never end.
  void Shutdown() { shutting_down_.store(true); }

  grpc::Status Get(grpc::ServerContext* context, const kube::v1::GetRequest* request,
                   kube::v1::Object* response) override;
  grpc::Status List(grpc::ServerContext* context, const kube::v1::ListRequest* request,
                    kube::v1::ListResponse* response) override;
  grpc::Status Watch(grpc::ServerContext* context, const kube::v1::WatchRequest* request,
                     grpc::ServerWriter<kube::v1::WatchEvent>* writer) override;
  grpc::Status Create(grpc::ServerContext* context, const kube::v1::CreateRequest* request,
                      kube::v1::Object* response) override;
  grpc::Status Update(grpc::ServerContext* context, const kube::v1::UpdateRequest* request,
                      kube::v1::Object* response) override;
  grpc::Status Patch(grpc::ServerContext* context, const kube::v1::PatchRequest* request,
                     kube::v1::Object* response) override;
  grpc::Status Delete(grpc::ServerContext* context, const kube::v1::DeleteRequest* request,
                      kube::v1::DeleteResponse* response) override;
  grpc::Status RecordEvent(grpc::ServerContext* context, const kube::v1::EventRequest* request,
                           kube::v1::EventResponse* response) override;
  grpc::Status RecordEvents(grpc::ServerContext* context, const kube::v1::EventBatch* request,
                            kube::v1::EventBatchResponse* response) override;
  grpc::Status ServerVersion(grpc::ServerContext* context, const kube::v1::VersionRequest* request,
                             kube::v1::VersionResponse* response) override;

 private:
  KubeRestClient& client_;
  ApiServerProbe& probe_;
  const WatchSession::Options watch_options_;
  EventRecorder events_;
  std::atomic<bool> shutting_down_{false};
};

}  // namespace certforge::k8sgw
