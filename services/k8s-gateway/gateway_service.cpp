#include "services/k8s-gateway/gateway_service.h"

#include <nlohmann/json.hpp>

#include "lib/kube/gateway_status.h"
#include "lib/kube/json_parse.h"
#include "services/k8s-gateway/throttled_check.h"
#include "spdlog/spdlog.h"

namespace certforge::k8sgw {
namespace {

using kube::ToGrpcStatus;

ResourcePath PathOf(const kube::v1::ResourceRef& ref, const std::string& namespace_,
                    const std::string& name = "", const std::string& subresource = "") {
  return {.group = ref.group(),
          .version = ref.version(),
          .resource = ref.resource(),
          .namespace_ = namespace_,
          .name = name,
          .subresource = subresource};
}

std::string MetadataField(const nlohmann::json& object, const char* field) {
  if (!object.is_object()) return "";
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  auto value = metadata->find(field);
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : "";
}

// The object when it still exists (finalizers pending), empty when it is gone.
std::string RemainingObject(const std::string& body) {
  nlohmann::json object = kube::ParseJsonOrDiscarded(body);
  if (!object.is_object() || object.value("kind", "") == "Status") return "";
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  auto finalizers = metadata->find("finalizers");
  bool finalizing = metadata->contains("deletionTimestamp") && finalizers != metadata->end() &&
                    finalizers->is_array() && !finalizers->empty();
  return finalizing ? body : "";
}

grpc::Status Fail(const char* rpc, const kube::v1::ResourceRef& ref, const absl::Status& status) {
  spdlog::debug("{} {}: {} {}", rpc, ref.resource(), absl::StatusCodeToString(status.code()),
                std::string(status.message()));
  return ToGrpcStatus(status);
}

}  // namespace

GatewayService::GatewayService(KubeRestClient& client, ApiServerProbe& probe,
                               WatchSession::Options watch_options)
    : client_(client), probe_(probe), watch_options_(std::move(watch_options)), events_(client) {}

grpc::Status GatewayService::Get(grpc::ServerContext*, const kube::v1::GetRequest* request,
                                 kube::v1::Object* response) {
  const auto& key = request->key();
  auto body =
      client_.Get(PathOf(key.resource(), key.namespace_(), key.name(), request->subresource()));
  if (!body.ok()) return Fail("Get", key.resource(), body.status());
  response->set_json(std::move(*body));
  return grpc::Status::OK;
}

grpc::Status GatewayService::List(grpc::ServerContext*, const kube::v1::ListRequest* request,
                                  kube::v1::ListResponse* response) {
  auto page = client_.List(PathOf(request->resource(), request->namespace_()),
                           {.label_selector = request->label_selector(),
                            .field_selector = request->field_selector(),
                            .limit = request->limit(),
                            .continue_token = request->continue_token()});
  if (!page.ok()) return Fail("List", request->resource(), page.status());
  for (auto& item : page->items) response->add_items(std::move(item));
  response->set_resource_version(page->resource_version);
  response->set_continue_token(page->continue_token);
  return grpc::Status::OK;
}

grpc::Status GatewayService::Watch(grpc::ServerContext* context,
                                   const kube::v1::WatchRequest* request,
                                   grpc::ServerWriter<kube::v1::WatchEvent>* writer) {
  // Called on every chunk and progress tick of the watch, from this thread only.
  ThrottledCheck client_gone([context] { return context->IsCancelled(); },
                             std::chrono::milliseconds(50));
  auto stop = [this, &client_gone] { return shutting_down_.load() || client_gone(); };
  auto emit = [writer](const kube::v1::WatchEvent& event) { return writer->Write(event); };
  WatchSession session(client_, PathOf(request->resource(), request->namespace_()), *request, stop,
                       emit, watch_options_);
  absl::Status ended = session.Run();
  if (!ended.ok()) return Fail("Watch", request->resource(), ended);
  if (shutting_down_.load()) {
    return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the gateway is shutting down");
  }
  return grpc::Status::OK;
}

grpc::Status GatewayService::Create(grpc::ServerContext*, const kube::v1::CreateRequest* request,
                                    kube::v1::Object* response) {
  std::string namespace_ = request->namespace_();
  if (namespace_.empty()) {
    nlohmann::json object = kube::ParseJsonOrDiscarded(request->object_json());
    if (!object.is_object()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "object_json is not a JSON object");
    }
    namespace_ = MetadataField(object, "namespace");
  }
  auto body =
      client_.Create(PathOf(request->resource(), namespace_), request->object_json(),
                     {.dry_run = request->dry_run(), .field_manager = request->field_manager()});
  if (!body.ok()) return Fail("Create", request->resource(), body.status());
  response->set_json(std::move(*body));
  return grpc::Status::OK;
}

grpc::Status GatewayService::Update(grpc::ServerContext*, const kube::v1::UpdateRequest* request,
                                    kube::v1::Object* response) {
  const auto& key = request->key();
  std::string namespace_ = key.namespace_();
  std::string name = key.name();
  if (name.empty()) {
    nlohmann::json object = kube::ParseJsonOrDiscarded(request->object_json());
    if (!object.is_object()) {
      return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "object_json is not a JSON object");
    }
    name = MetadataField(object, "name");
    if (namespace_.empty()) namespace_ = MetadataField(object, "namespace");
  }
  if (name.empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "update needs the object's name");
  }
  auto body = client_.Update(
      PathOf(key.resource(), namespace_, name, request->subresource()), request->object_json(),
      {.dry_run = request->dry_run(), .field_manager = request->field_manager()});
  if (!body.ok()) return Fail("Update", key.resource(), body.status());
  response->set_json(std::move(*body));
  return grpc::Status::OK;
}

grpc::Status GatewayService::Patch(grpc::ServerContext*, const kube::v1::PatchRequest* request,
                                   kube::v1::Object* response) {
  const auto& key = request->key();
  PatchType type = PatchType::kMerge;
  switch (request->type()) {
    case kube::v1::PatchRequest::JSON:
      type = PatchType::kJson;
      break;
    case kube::v1::PatchRequest::STRATEGIC:
      type = PatchType::kStrategic;
      break;
    case kube::v1::PatchRequest::APPLY:
      type = PatchType::kApply;
      break;
    default:
      break;
  }
  if (key.name().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "patch needs the object's name");
  }
  auto body = client_.Patch(
      PathOf(key.resource(), key.namespace_(), key.name(), request->subresource()),
      request->patch(),
      {.type = type,
       .force = request->force(),
       .write = {.dry_run = request->dry_run(), .field_manager = request->field_manager()}});
  if (!body.ok()) return Fail("Patch", key.resource(), body.status());
  response->set_json(std::move(*body));
  return grpc::Status::OK;
}

grpc::Status GatewayService::Delete(grpc::ServerContext*, const kube::v1::DeleteRequest* request,
                                    kube::v1::DeleteResponse* response) {
  const auto& key = request->key();
  if (key.name().empty()) {
    return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, "delete needs the object's name");
  }
  std::string propagation;
  switch (request->propagation()) {
    case kube::v1::DeleteRequest::BACKGROUND:
      propagation = "Background";
      break;
    case kube::v1::DeleteRequest::FOREGROUND:
      propagation = "Foreground";
      break;
    case kube::v1::DeleteRequest::ORPHAN:
      propagation = "Orphan";
      break;
    default:
      break;
  }
  auto body =
      client_.Delete(PathOf(key.resource(), key.namespace_(), key.name()),
                     {.precondition_uid = request->precondition_uid(),
                      .precondition_resource_version = request->precondition_resource_version(),
                      .propagation_policy = propagation});
  if (!body.ok()) return Fail("Delete", key.resource(), body.status());
  response->set_object_json(RemainingObject(*body));
  return grpc::Status::OK;
}

grpc::Status GatewayService::RecordEvent(grpc::ServerContext*,
                                         const kube::v1::EventRequest* request,
                                         kube::v1::EventResponse* response) {
  auto recorded = events_.Record(*request);
  if (!recorded.ok()) {
    spdlog::warn("RecordEvent {} {}/{}: {}", request->reason(),
                 request->involved_object().namespace_(), request->involved_object().name(),
                 std::string(recorded.status().message()));
    return ToGrpcStatus(recorded.status());
  }
  *response = std::move(*recorded);
  return grpc::Status::OK;
}

grpc::Status GatewayService::RecordEvents(grpc::ServerContext*, const kube::v1::EventBatch* request,
                                          kube::v1::EventBatchResponse* response) {
  for (const kube::v1::EventRequest& event : request->events()) {
    auto recorded = events_.Record(event);
    if (recorded.ok()) {
      *response->add_recorded() = std::move(*recorded);
      continue;
    }
    response->set_failed(response->failed() + 1);
    spdlog::warn("RecordEvents {} {}/{}: {}", event.reason(), event.involved_object().namespace_(),
                 event.involved_object().name(), std::string(recorded.status().message()));
  }
  return grpc::Status::OK;
}

grpc::Status GatewayService::ServerVersion(grpc::ServerContext*, const kube::v1::VersionRequest*,
                                           kube::v1::VersionResponse* response) {
  auto version = client_.Version();
  if (!version.ok()) return ToGrpcStatus(version.status());
  probe_.MarkAnswered();
  response->set_git_version(version->value("gitVersion", ""));
  response->set_server(client_.server());
  return grpc::Status::OK;
}

}  // namespace certforge::k8sgw
