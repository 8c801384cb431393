#include "lib/kube/gateway_client.h"

#include "lib/kube/json_parse.h"

namespace certforge::kube {
namespace {

constexpr int kMaxMessageBytes = 64 << 20;

void SetRef(const GroupVersionResource& gvr, v1::ResourceRef* ref) {
  ref->set_group(gvr.group);
  ref->set_version(gvr.version);
  ref->set_resource(gvr.resource);
}

void SetKey(const GroupVersionResource& gvr, const std::string& namespace_, const std::string& name,
            v1::ObjectKey* key) {
  SetRef(gvr, key->mutable_resource());
  key->set_namespace_(namespace_);
  key->set_name(name);
}

std::string MetadataField(const nlohmann::json& object, const char* field) {
  if (!object.is_object()) return "";
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  auto value = metadata->find(field);
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : "";
}

absl::StatusOr<nlohmann::json> ParseGatewayJson(const std::string& text) {
  nlohmann::json parsed = kube::ParseJsonOrDiscarded(text);
  if (parsed.is_discarded()) return absl::InternalError("the gateway returned invalid JSON");
  return parsed;
}

// A write's answer, parsed.
absl::StatusOr<nlohmann::json> ParseAnswer(const absl::StatusOr<std::string>& text) {
  if (!text.ok()) return text.status();
  return ParseGatewayJson(*text);
}

}  // namespace

void GatewayClient::WatchCanceller::Cancel() {
  std::lock_guard<std::mutex> lock(mu_);
  cancelled_ = true;
  if (context_) context_->TryCancel();
}

void GatewayClient::WatchCanceller::Attach(grpc::ClientContext* context) {
  std::lock_guard<std::mutex> lock(mu_);
  context_ = context;
  if (cancelled_) context_->TryCancel();
}

void GatewayClient::WatchCanceller::Detach() {
  std::lock_guard<std::mutex> lock(mu_);
  context_ = nullptr;
}

GatewayClient::GatewayClient(std::shared_ptr<grpc::ChannelInterface> channel, Options options)
    : stub_(v1::KubeGateway::NewStub(std::move(channel))), options_(options) {}

std::shared_ptr<grpc::Channel> GatewayClient::Connect(const std::string& address) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  return grpc::CreateCustomChannel(address, grpc::InsecureChannelCredentials(), args);
}

void GatewayClient::Prepare(grpc::ClientContext& context) const {
  context.set_deadline(std::chrono::system_clock::now() + options_.timeout);
}

absl::StatusOr<nlohmann::json> GatewayClient::ObjectFrom(const grpc::Status& status,
                                                         const v1::Object& object) const {
  if (!status.ok()) return FromGrpcStatus(status);
  return ParseGatewayJson(object.json());
}

absl::StatusOr<nlohmann::json> GatewayClient::Get(const GroupVersionResource& gvr,
                                                  const std::string& namespace_,
                                                  const std::string& name,
                                                  const std::string& subresource) {
  v1::GetRequest request;
  SetKey(gvr, namespace_, name, request.mutable_key());
  request.set_subresource(subresource);
  grpc::ClientContext context;
  Prepare(context);
  v1::Object response;
  return ObjectFrom(stub_->Get(&context, request, &response), response);
}

absl::StatusOr<nlohmann::json> GatewayClient::Create(const GroupVersionResource& gvr,
                                                     const nlohmann::json& object,
                                                     const WriteOptions& options) {
  v1::CreateRequest request;
  SetRef(gvr, request.mutable_resource());
  request.set_namespace_(MetadataField(object, "namespace"));
  request.set_object_json(object.dump());
  request.set_dry_run(options.dry_run);
  request.set_field_manager(options.field_manager);
  grpc::ClientContext context;
  Prepare(context);
  v1::Object response;
  return ObjectFrom(stub_->Create(&context, request, &response), response);
}

absl::StatusOr<std::string> GatewayClient::Put(const GroupVersionResource& gvr,
                                               const nlohmann::json& object,
                                               const std::string& subresource,
                                               const WriteOptions& options) {
  v1::UpdateRequest request;
  SetKey(gvr, MetadataField(object, "namespace"), MetadataField(object, "name"),
         request.mutable_key());
  request.set_object_json(object.dump());
  request.set_subresource(subresource);
  request.set_dry_run(options.dry_run);
  request.set_field_manager(options.field_manager);
  grpc::ClientContext context;
  Prepare(context);
  v1::Object response;
  grpc::Status status = stub_->Update(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return std::move(*response.mutable_json());
}

absl::StatusOr<nlohmann::json> GatewayClient::Update(const GroupVersionResource& gvr,
                                                     const nlohmann::json& object,
                                                     const WriteOptions& options) {
  return ParseAnswer(Put(gvr, object, "", options));
}

absl::StatusOr<nlohmann::json> GatewayClient::UpdateStatus(const GroupVersionResource& gvr,
                                                           const nlohmann::json& object,
                                                           const WriteOptions& options) {
  return ParseAnswer(UpdateStatusText(gvr, object, options));
}

absl::StatusOr<std::string> GatewayClient::UpdateStatusText(const GroupVersionResource& gvr,
                                                            const nlohmann::json& object,
                                                            const WriteOptions& options) {
  return Put(gvr, object, "status", options);
}

absl::StatusOr<nlohmann::json> GatewayClient::Patch(
    const GroupVersionResource& gvr, const std::string& namespace_, const std::string& name,
    v1::PatchRequest::Type type, const nlohmann::json& patch, const PatchOptions& options) {
  v1::PatchRequest request;
  SetKey(gvr, namespace_, name, request.mutable_key());
  request.set_type(type);
  request.set_patch(patch.dump());
  request.set_subresource(options.subresource);
  request.set_field_manager(options.field_manager);
  request.set_force(options.force);
  request.set_dry_run(options.dry_run);
  grpc::ClientContext context;
  Prepare(context);
  v1::Object response;
  return ObjectFrom(stub_->Patch(&context, request, &response), response);
}

absl::StatusOr<nlohmann::json> GatewayClient::Delete(const GroupVersionResource& gvr,
                                                     const std::string& namespace_,
                                                     const std::string& name,
                                                     const DeleteOptions& options) {
  v1::DeleteRequest request;
  SetKey(gvr, namespace_, name, request.mutable_key());
  request.set_precondition_uid(options.precondition_uid);
  request.set_precondition_resource_version(options.precondition_resource_version);
  request.set_propagation(options.propagation);
  grpc::ClientContext context;
  Prepare(context);
  v1::DeleteResponse response;
  grpc::Status status = stub_->Delete(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  if (response.object_json().empty()) return nlohmann::json(nullptr);
  return ParseGatewayJson(response.object_json());
}

absl::StatusOr<nlohmann::json> GatewayClient::List(const GroupVersionResource& gvr,
                                                   const std::string& namespace_,
                                                   const ListOptions& options) {
  nlohmann::json items = nlohmann::json::array();
  std::string resource_version;
  std::string continue_token;
  do {
    v1::ListRequest request;
    SetRef(gvr, request.mutable_resource());
    request.set_namespace_(namespace_);
    request.set_label_selector(options.label_selector);
    request.set_field_selector(options.field_selector);
    request.set_limit(options_.page_size);
    request.set_continue_token(continue_token);
    grpc::ClientContext context;
    Prepare(context);
    v1::ListResponse response;
    grpc::Status status = stub_->List(&context, request, &response);
    if (!status.ok()) return FromGrpcStatus(status);
    for (const std::string& item : response.items()) {
      auto parsed = ParseGatewayJson(item);
      if (!parsed.ok()) return parsed.status();
      items.push_back(std::move(*parsed));
    }
    if (resource_version.empty()) resource_version = response.resource_version();
    continue_token = response.continue_token();
  } while (!continue_token.empty());
  return nlohmann::json{{"items", std::move(items)},
                        {"metadata", {{"resourceVersion", resource_version}}}};
}

absl::Status GatewayClient::Watch(const GroupVersionResource& gvr, const std::string& namespace_,
                                  const WatchOptions& options,
                                  const std::function<bool(WatchEvent&)>& on_event,
                                  WatchCanceller* canceller) {
  v1::WatchRequest request;
  SetRef(gvr, request.mutable_resource());
  request.set_namespace_(namespace_);
  request.set_label_selector(options.label_selector);
  request.set_field_selector(options.field_selector);
  request.set_resource_version(options.resource_version);
  request.set_list_first(options.list_first);
  request.set_allow_bookmarks(options.allow_bookmarks);
  grpc::ClientContext context;
  if (canceller) canceller->Attach(&context);
  std::unique_ptr<grpc::ClientReader<v1::WatchEvent>> reader = stub_->Watch(&context, request);
  v1::WatchEvent event;
  bool stopped = false;
  while (reader->Read(&event)) {
    WatchEvent out{.type = event.type(),
                   .resource_version = event.resource_version(),
                   .initial_events_end = event.initial_events_end()};
    if (!event.object_json().empty()) {
      auto parsed = ParseGatewayJson(event.object_json());
      if (!parsed.ok()) {
        context.TryCancel();
        reader->Finish();
        if (canceller) canceller->Detach();
        return parsed.status();
      }
      out.object = std::move(*parsed);
      out.object_json = std::move(*event.mutable_object_json());
    }
    if (!on_event(out)) {
      stopped = true;
      context.TryCancel();
      break;
    }
  }
  grpc::Status status = reader->Finish();
  bool cancelled = false;
  if (canceller) {
    std::lock_guard<std::mutex> lock(canceller->mu_);
    cancelled = canceller->cancelled_;
  }
  if (canceller) canceller->Detach();
  if (stopped || cancelled) return absl::OkStatus();
  return FromGrpcStatus(status);
}

template <typename Request, typename Response>
absl::StatusOr<Response> GatewayClient::Unary(
    grpc::Status (v1::KubeGateway::Stub::*method)(grpc::ClientContext*, const Request&, Response*),
    const Request& request) {
  grpc::ClientContext context;
  Prepare(context);
  Response response;
  grpc::Status status = (stub_.get()->*method)(&context, request, &response);
  if (!status.ok()) return FromGrpcStatus(status);
  return response;
}

absl::StatusOr<v1::EventResponse> GatewayClient::RecordEvent(const v1::EventRequest& request) {
  return Unary(&v1::KubeGateway::Stub::RecordEvent, request);
}

absl::StatusOr<v1::EventBatchResponse> GatewayClient::RecordEvents(const v1::EventBatch& batch) {
  return Unary(&v1::KubeGateway::Stub::RecordEvents, batch);
}

absl::StatusOr<v1::VersionResponse> GatewayClient::ServerVersion() {
  return Unary(&v1::KubeGateway::Stub::ServerVersion, v1::VersionRequest());
}

}  // namespace certforge::kube
