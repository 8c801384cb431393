#include "services/local-apiserver/collection_lister.h"

#include "lib/core/base64.h"
#include "lib/kube/json_parse.h"
#include "services/local-apiserver/api_error.h"
#include "services/local-apiserver/table_converter.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

std::string EncodeContinue(int64_t rv, const std::string& ns, const std::string& name) {
  json token = {{"v", "meta.k8s.io/v1"}, {"rv", rv}, {"ns", ns}, {"name", name}};
  return core::Base64UrlEncode(token.dump());
}

}  // namespace

std::string ServedBody(const ResourceType& type, const std::string& stored_body) {
  if (type.storage_version) return stored_body;
  json object = kube::ParseJsonOrDiscarded(stored_body);
  if (object.is_discarded()) return stored_body;
  object["apiVersion"] = type.ApiVersion();
  return object.dump();
}

absl::StatusOr<CollectionLister> CollectionLister::Create(const SqliteStore& store,
                                                          ResourceTypePtr type,
                                                          ObjectFilter filter,
                                                          ListRequest request) {
  CollectionLister lister(store, std::move(type), std::move(filter), std::move(request));
  if (!lister.request_.continue_token.empty()) {
    auto decoded = core::Base64UrlDecode(lister.request_.continue_token);
    json token = decoded.ok() ? kube::ParseJsonOrDiscarded(*decoded) : json();
    if (!token.is_object() || !token.contains("rv") || !token["rv"].is_number_integer() ||
        !token.contains("ns") || !token["ns"].is_string() || !token.contains("name") ||
        !token["name"].is_string()) {
      return BadRequestError("continue key is not valid: incorrect encoded start resourceVersion");
    }
    lister.continue_rv_ = token["rv"].get<int64_t>();
    lister.after_ns_ = token["ns"].get<std::string>();
    lister.after_name_ = token["name"].get<std::string>();
  }
  return lister;
}

absl::Status CollectionLister::Write(const std::function<bool(std::string_view)>& write) const {
  const ResourceType& type = *type_;
  auto now = std::chrono::system_clock::now();
  std::string buffer;
  if (request_.table) {
    buffer = R"({"kind":"Table","apiVersion":"meta.k8s.io/v1","columnDefinitions":)" +
             TableColumnDefinitions(type).dump() + R"(,"rows":[)";
  } else {
    buffer = R"({"kind":")" + type.list_kind + R"(","apiVersion":")" + type.ApiVersion() +
             R"(","items":[)";
  }
  ListQuery query{type.StorageKey(), request_.ns, after_ns_, after_name_, 0};
  size_t matched = 0;
  bool more = false;
  bool open = true;
  std::string last_ns, last_name;
  auto rev = store_.List(query, [&](ObjectRecord&& record) {
    if (!filter_.Matches(record)) return true;
    if (request_.limit > 0 && matched == request_.limit) {
      more = true;
      return false;
    }
    if (matched++ > 0) buffer += ',';
    if (request_.table) {
      auto object = kube::ParseJsonOrDiscarded(record.body);
      if (!object.is_discarded()) buffer += TableRow(type, object, now).dump();
    } else {
      buffer += ServedBody(type, record.body);
    }
    last_ns = record.ns;
    last_name = record.name;
    if (buffer.size() >= 64 * 1024) {
      open = write(buffer);
      buffer.clear();
    }
    return open;
  });
  if (!rev.ok()) return rev.status();
  if (!open) return absl::CancelledError("client went away");
  // Later pages report the first page's revision: a watch from it sees every later change.
  int64_t list_rv = continue_rv_ > 0 ? continue_rv_ : *rev;
  json meta = {{"resourceVersion", std::to_string(list_rv)}};
  if (more) meta["continue"] = EncodeContinue(list_rv, last_ns, last_name);
  buffer += R"(],"metadata":)" + meta.dump() + "}";
  if (!write(buffer)) return absl::CancelledError("client went away");
  return absl::OkStatus();
}

}  // namespace certforge::apiserver
