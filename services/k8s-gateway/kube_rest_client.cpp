#include "services/k8s-gateway/kube_rest_client.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "lib/kube/json_parse.h"
#include "services/k8s-gateway/http_error_mapping.h"
#include "services/k8s-gateway/json_members.h"
#include "services/k8s-gateway/line_splitter.h"

namespace certforge::k8sgw {
namespace {

constexpr std::chrono::seconds kWatchGrace(30);

std::string StringAt(const nlohmann::json& object, const char* a, const char* b = nullptr) {
  auto it = object.find(a);
  if (it == object.end()) return "";
  if (b) {
    if (!it->is_object()) return "";
    auto inner = it->find(b);
    return inner != it->end() && inner->is_string() ? inner->get<std::string>() : "";
  }
  return it->is_string() ? it->get<std::string>() : "";
}

QueryString WriteQuery(const WriteOptions& options) {
  QueryString query;
  query.AddIf(options.dry_run, "dryRun", "All").Add("fieldManager", options.field_manager);
  return query;
}

absl::StatusOr<std::string> Target(const ResourcePath& path, const QueryString& query) {
  auto built = BuildPath(path);
  if (!built.ok()) return built.status();
  return *built + query.Encode();
}

}  // namespace

const char* PatchContentType(PatchType type) {
  switch (type) {
    case PatchType::kJson:
      return "application/json-patch+json";
    case PatchType::kStrategic:
      return "application/strategic-merge-patch+json";
    case PatchType::kApply:
      return "application/apply-patch+yaml";
    case PatchType::kMerge:
      break;
  }
  return "application/merge-patch+json";
}

nlohmann::json DeleteOptionsBody(const DeleteOptions& options) {
  nlohmann::json body = {{"kind", "DeleteOptions"}, {"apiVersion", "v1"}};
  if (!options.propagation_policy.empty()) body["propagationPolicy"] = options.propagation_policy;
  if (!options.precondition_uid.empty()) {
    body["preconditions"]["uid"] = options.precondition_uid;
  }
  if (!options.precondition_resource_version.empty()) {
    body["preconditions"]["resourceVersion"] = options.precondition_resource_version;
  }
  if (options.dry_run) body["dryRun"] = nlohmann::json::array({"All"});
  return body;
}

KubeRestClient::KubeRestClient(std::unique_ptr<HttpTransport> transport)
    : transport_(std::move(transport)) {}

absl::StatusOr<std::string> KubeRestClient::Call(HttpRequest request) {
  auto response = transport_->Send(request);
  if (!response.ok()) return response.status();
  if (response->code < 200 || response->code >= 300) {
    return StatusFromHttpError(response->code, response->body);
  }
  return std::move(response->body);
}

absl::StatusOr<std::string> KubeRestClient::Get(const ResourcePath& item) {
  auto target = Target(item, {});
  if (!target.ok()) return target.status();
  return Call({.method = "GET", .target = *target});
}

namespace {

// The JSON string `text` holds, or "" when it holds something else.
std::string StringValue(std::string_view text) {
  if (text.empty()) return "";
  nlohmann::json value = kube::ParseJsonOrDiscarded(text);
  return value.is_string() ? value.get<std::string>() : "";
}

// Lists of built-in kinds leave apiVersion and kind out of each item; consumers want whole
// objects, so they go in front of the item's own members.
std::string WithTypeMeta(std::string_view item, const std::vector<JsonMember>& members,
                         const std::string& api_version, const std::string& kind) {
  std::string head;
  if (MemberValue(members, "apiVersion").empty() && !api_version.empty()) {
    head += "\"apiVersion\":" + nlohmann::json(api_version).dump() + ",";
  }
  if (MemberValue(members, "kind").empty() && !kind.empty()) {
    head += "\"kind\":" + nlohmann::json(kind).dump() + ",";
  }
  if (head.empty()) return std::string(item);
  size_t open = item.find('{');          // JsonObjectMembers found one
  if (members.empty()) head.pop_back();  // no member of its own follows
  std::string out;
  out.reserve(item.size() + head.size());
  out.append(item.substr(0, open + 1)).append(head).append(item.substr(open + 1));
  return out;
}

}  // namespace

absl::StatusOr<ListPage> ParseListPage(std::string_view body) {
  auto list = JsonObjectMembers(body);
  if (!list) return absl::InternalError("list response is not a JSON object");
  ListPage page;
  nlohmann::json metadata = kube::ParseJsonOrDiscarded(MemberValue(*list, "metadata"));
  if (metadata.is_object()) {
    page.resource_version = StringAt(metadata, "resourceVersion");
    page.continue_token = StringAt(metadata, "continue");
  }
  page.api_version = StringValue(MemberValue(*list, "apiVersion"));
  page.kind = StringValue(MemberValue(*list, "kind"));
  if (absl::EndsWith(page.kind, "List")) page.kind.resize(page.kind.size() - 4);
  std::string_view items_text = MemberValue(*list, "items");
  if (items_text.empty() || items_text.front() != '[') return page;  // absent or null
  auto items = JsonArrayElements(items_text);
  if (!items) return absl::InternalError("list response has malformed items");
  page.items.reserve(items->size());
  for (std::string_view item : *items) {
    auto members = JsonObjectMembers(item);
    if (!members) continue;  // not an object
    page.items.push_back(WithTypeMeta(item, *members, page.api_version, page.kind));
  }
  return page;
}

absl::StatusOr<ListPage> KubeRestClient::List(const ResourcePath& collection,
                                              const ListOptions& options) {
  QueryString query;
  query.Add("labelSelector", options.label_selector)
      .Add("fieldSelector", options.field_selector)
      .AddIf(options.limit > 0, "limit", std::to_string(options.limit))
      .Add("continue", options.continue_token);
  auto target = Target(collection, query);
  if (!target.ok()) return target.status();
  auto body = Call({.method = "GET", .target = *target, .timeout = std::chrono::seconds(60)});
  if (!body.ok()) return body.status();
  return ParseListPage(*body);
}

absl::StatusOr<std::string> KubeRestClient::Create(const ResourcePath& collection,
                                                   std::string object_json,
                                                   const WriteOptions& options) {
  auto target = Target(collection, WriteQuery(options));
  if (!target.ok()) return target.status();
  return Call({.method = "POST",
               .target = *target,
               .content_type = "application/json",
               .body = std::move(object_json)});
}

absl::StatusOr<std::string> KubeRestClient::Update(const ResourcePath& item,
                                                   std::string object_json,
                                                   const WriteOptions& options) {
  auto target = Target(item, WriteQuery(options));
  if (!target.ok()) return target.status();
  return Call({.method = "PUT",
               .target = *target,
               .content_type = "application/json",
               .body = std::move(object_json)});
}

absl::StatusOr<std::string> KubeRestClient::Patch(const ResourcePath& item, std::string patch,
                                                  const PatchOptions& options) {
  if (options.type == PatchType::kApply && options.write.field_manager.empty()) {
    return absl::InvalidArgumentError("server-side apply needs a field manager");
  }
  QueryString query = WriteQuery(options.write);
  query.AddIf(options.type == PatchType::kApply && options.force, "force", "true");
  auto target = Target(item, query);
  if (!target.ok()) return target.status();
  return Call({.method = "PATCH",
               .target = *target,
               .content_type = PatchContentType(options.type),
               .body = std::move(patch)});
}

absl::StatusOr<std::string> KubeRestClient::Delete(const ResourcePath& item,
                                                   const DeleteOptions& options) {
  QueryString query;
  query.AddIf(options.dry_run, "dryRun", "All");
  auto target = Target(item, query);
  if (!target.ok()) return target.status();
  return Call({.method = "DELETE",
               .target = *target,
               .content_type = "application/json",
               .body = DeleteOptionsBody(options).dump()});
}

absl::Status KubeRestClient::Watch(const ResourcePath& collection, const WatchOptions& options,
                                   const std::function<bool(const RawWatchEvent& event)>& on_event,
                                   const std::function<bool()>& cancelled) {
  QueryString query;
  query.Add("watch", "true")
      .Add("allowWatchBookmarks", "true")
      .Add("labelSelector", options.label_selector)
      .Add("fieldSelector", options.field_selector)
      .Add("resourceVersion", options.resource_version)
      .Add("timeoutSeconds", std::to_string(options.timeout.count()));
  auto target = Target(collection, query);
  if (!target.ok()) return target.status();

  LineSplitter splitter;
  absl::Status stream_error;  // set when the stream itself reports one (ERROR event, bad line)
  auto on_line = [&](std::string_view line) {
    // Sliced, not parsed: the object goes on as the API server wrote it (json_members.h).
    auto members = JsonObjectMembers(line);
    nlohmann::json type;
    if (members) type = kube::ParseJsonOrDiscarded(MemberValue(*members, "type"));
    if (!members || !type.is_string()) {
      stream_error = absl::UnavailableError(absl::StrCat("malformed watch event from ", server()));
      return false;
    }
    RawWatchEvent event{type.get<std::string>(), MemberValue(*members, "object")};
    if (event.type == "ERROR") {
      stream_error = StatusFromWatchError(event.object.empty() ? "{}" : std::string(event.object));
      return false;
    }
    return on_event(event);
  };
  auto response = transport_->Stream(
      {.method = "GET", .target = *target, .timeout = options.timeout + kWatchGrace},
      [&](std::string_view chunk) { return splitter.Feed(chunk, on_line); }, cancelled);
  if (!stream_error.ok()) return stream_error;
  if (!response.ok()) return response.status();
  if (response->code < 200 || response->code >= 300) {
    return StatusFromHttpError(response->code, response->body);
  }
  if (!splitter.pending().empty()) on_line(splitter.pending());
  return stream_error;
}

absl::StatusOr<nlohmann::json> KubeRestClient::Version(std::chrono::milliseconds timeout) {
  auto body = Call({.method = "GET", .target = "/version", .timeout = timeout});
  if (!body.ok()) return body.status();
  nlohmann::json version = kube::ParseJsonOrDiscarded(*body);
  if (!version.is_object()) return absl::InternalError("/version did not answer a JSON object");
  return version;
}

}  // namespace certforge::k8sgw
