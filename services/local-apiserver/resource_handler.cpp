#include "services/local-apiserver/resource_handler.h"

#include "lib/kube/json_parse.h"
#include "lib/kube/yaml_to_json.h"
#include "services/local-apiserver/api_error.h"
#include "services/local-apiserver/collection_lister.h"
#include "services/local-apiserver/object_filter.h"
#include "services/local-apiserver/protobuf_body.h"
#include "services/local-apiserver/table_converter.h"
#include "services/local-apiserver/watch_stream.h"
#include "spdlog/spdlog.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

constexpr char kJson[] = "application/json";

std::string Param(const httplib::Request& req, const char* name) {
  return req.has_param(name) ? req.get_param_value(name) : std::string();
}

std::string MediaType(const httplib::Request& req) {
  std::string type = req.get_header_value("Content-Type");
  auto semi = type.find(';');
  if (semi != std::string::npos) type.resize(semi);
  while (!type.empty() && type.back() == ' ') type.pop_back();
  return type;
}

absl::StatusOr<json> DecodeObjectBody(const httplib::Request& req) {
  std::string type = MediaType(req);
  if (type == kProtobufContentType) return DecodeProtobufBody(req.body);
  if (type == "application/yaml") {
    auto parsed = kube::YamlToJson(req.body);
    if (!parsed.ok()) return BadRequestError(std::string(parsed.status().message()));
    return *parsed;
  }
  if (!type.empty() && type != kJson) {
    return UnsupportedMediaTypeError(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json, application/yaml, application/vnd.kubernetes.protobuf");
  }
  json body = kube::ParseJsonOrDiscarded(req.body);
  if (body.is_discarded()) {
    return BadRequestError("the request body is not valid JSON");
  }
  return body;
}

absl::StatusOr<WriteOptions> ParseWriteOptions(const httplib::Request& req) {
  WriteOptions options;
  std::string dry_run = Param(req, "dryRun");
  if (!dry_run.empty()) {
    if (dry_run != "All") return BadRequestError("Unsupported dryRun value: " + dry_run);
    options.dry_run = true;
  }
  std::string validation = Param(req, "fieldValidation");
  if (validation == "Strict") {
    options.validation = FieldValidation::kStrict;
  } else if (validation == "Ignore") {
    options.validation = FieldValidation::kIgnore;
  } else if (validation.empty() || validation == "Warn") {
    options.validation = FieldValidation::kWarn;
  } else {
    return BadRequestError("fieldValidation must be one of Strict, Warn, Ignore");
  }
  options.field_manager = Param(req, "fieldManager");
  options.force = ParseBoolParam(Param(req, "force"));
  return options;
}

void WriteObject(int code, const std::string& body, httplib::Response& res) {
  res.status = code;
  res.set_content(body, kJson);
}

void WriteWarnings(const std::vector<std::string>& warnings, httplib::Response& res) {
  for (const auto& w : warnings) {
    json quoted = w;
    res.set_header("Warning", "299 - " + quoted.dump());
  }
}

}  // namespace

void WriteError(const absl::Status& status, httplib::Response& res) {
  RenderedStatus rendered = RenderStatus(status);
  res.status = rendered.http_code;
  res.set_content(rendered.body.dump(), kJson);
}

void ResourceHandler::Handle(const ApiPath& path, const httplib::Request& req,
                             httplib::Response& res) {
  absl::Status status;
  try {
    status = Dispatch(path, req, res);
  } catch (const std::exception& e) {
    // A bug must cost one request, never the process.
    spdlog::error("{} {}: {}", req.method, req.path, e.what());
    status = InternalServerError(e.what());
  }
  if (!status.ok()) WriteError(status, res);
}

absl::Status ResourceHandler::Dispatch(const ApiPath& path, const httplib::Request& req,
                                       httplib::Response& res) {
  auto not_found = [&] { return NotFoundError({path.group, path.resource, path.name}); };
  ResourceTypePtr type = catalog_.Find(path.group, path.version, path.resource);
  if (!type) {
    res.status = 404;
    return absl::Status(absl::StatusCode::kNotFound,
                        "the server could not find the requested resource");
  }
  ObjectScope scope{type, path.ns, path.name, path.subresource};
  if (path.namespaced_path && !type->namespaced) return not_found();
  if (!path.subresource.empty()) {
    bool known = (path.subresource == "status" && type->status_subresource) ||
                 (path.subresource == "finalize" && type->resource == "namespaces");
    if (!known || path.name.empty()) return not_found();
  }
  bool collection = path.name.empty();
  bool all_namespaces = type->namespaced && !path.namespaced_path;
  const std::string& m = req.method;
  if (collection) {
    if (m == "GET") {
      return ParseBoolParam(Param(req, "watch")) ? Watch(scope, req, res) : List(scope, req, res);
    }
    if (all_namespaces) {
      return MethodNotAllowedError(
          "the server does not allow this method on the requested "
          "resource");
    }
    if (m == "POST") return Create(scope, req, res);
    if (m == "DELETE") return DeleteCollection(scope, req, res);
    return MethodNotAllowedError("the server does not allow this method on the requested resource");
  }
  if (all_namespaces) return not_found();
  if (m == "GET") return Get(scope, req, res);
  if (m == "PUT") return Update(scope, req, res);
  if (m == "PATCH") return Patch(scope, req, res);
  if (m == "DELETE" && path.subresource.empty()) return Delete(scope, req, res);
  return MethodNotAllowedError("the server does not allow this method on the requested resource");
}

absl::Status ResourceHandler::List(const ObjectScope& scope, const httplib::Request& req,
                                   httplib::Response& res) {
  auto filter =
      ObjectFilter::Create(*scope.type, Param(req, "labelSelector"), Param(req, "fieldSelector"));
  if (!filter.ok()) return filter.status();
  ListRequest list{scope.ns, 0, Param(req, "continue"), WantsTable(req.get_header_value("Accept"))};
  if (std::string limit = Param(req, "limit"); !limit.empty()) {
    try {
      list.limit = static_cast<size_t>(std::max(0LL, std::stoll(limit)));
    } catch (const std::exception&) {
      return BadRequestError("limit must be an integer");
    }
  }
  auto lister = CollectionLister::Create(registry_.store(), scope.type, std::move(*filter), list);
  if (!lister.ok()) return lister.status();
  auto shared = std::make_shared<CollectionLister>(std::move(*lister));
  res.status = 200;
  res.set_chunked_content_provider(kJson, [shared](size_t, httplib::DataSink& sink) {
    auto s = shared->Write(
        [&](std::string_view piece) { return sink.write(piece.data(), piece.size()); });
    if (!s.ok() && s.code() != absl::StatusCode::kCancelled) {
      spdlog::error("list failed midway: {}", std::string(s.message()));
      return false;
    }
    sink.done();
    return true;
  });
  return absl::OkStatus();
}

absl::Status ResourceHandler::Watch(const ObjectScope& scope, const httplib::Request& req,
                                    httplib::Response& res) {
  auto filter =
      ObjectFilter::Create(*scope.type, Param(req, "labelSelector"), Param(req, "fieldSelector"));
  if (!filter.ok()) return filter.status();
  WatchRequest watch;
  watch.ns = scope.ns;
  watch.resource_version = Param(req, "resourceVersion");
  watch.send_initial_events = ParseBoolParam(Param(req, "sendInitialEvents"));
  watch.allow_bookmarks = ParseBoolParam(Param(req, "allowWatchBookmarks"));
  watch.table = WantsTable(req.get_header_value("Accept"));
  if (std::string timeout = Param(req, "timeoutSeconds"); !timeout.empty()) {
    try {
      watch.timeout = std::chrono::seconds(std::max(0LL, std::stoll(timeout)));
    } catch (const std::exception&) {
      return BadRequestError("timeoutSeconds must be an integer");
    }
  }
  auto stream =
      std::make_shared<WatchStream>(registry_.store(), hub_, scope.type, std::move(*filter), watch);
  if (auto s = stream->Start(); !s.ok()) return s;
  res.status = 200;
  // Not plain "application/json": httplib would gzip the stream and hold events back in its
  // compressor. Clients parse the media type and ignore the parameter.
  res.set_chunked_content_provider(
      "application/json;stream=watch", [stream](size_t, httplib::DataSink& sink) {
        stream->Run([&](std::string_view piece) { return sink.write(piece.data(), piece.size()); },
                    [&] { return !sink.is_writable || sink.is_writable(); });
        sink.done();
        return true;
      });
  return absl::OkStatus();
}

absl::Status ResourceHandler::Get(const ObjectScope& scope, const httplib::Request& req,
                                  httplib::Response& res) {
  auto object = registry_.Get(scope);
  if (!object.ok()) return object.status();
  if (WantsTable(req.get_header_value("Accept"))) {
    json rows = json::array({TableRow(*scope.type, **object, std::chrono::system_clock::now())});
    WriteObject(200,
                MakeTable(*scope.type, std::move(rows),
                          (**object)["metadata"].value("resourceVersion", ""), "")
                    .dump(),
                res);
  } else {
    WriteObject(200, (*object)->dump(), res);
  }
  return absl::OkStatus();
}

absl::Status ResourceHandler::Create(const ObjectScope& scope, const httplib::Request& req,
                                     httplib::Response& res) {
  if (scope.type->terminating) {
    return MethodNotAllowedError(
        "create not allowed while custom resource definition is "
        "terminating");
  }
  auto options = ParseWriteOptions(req);
  if (!options.ok()) return options.status();
  auto body = DecodeObjectBody(req);
  if (!body.ok()) return body.status();
  auto result = registry_.Create(scope, std::move(*body), *options);
  if (!result.ok()) return result.status();
  WriteWarnings(result->warnings, res);
  WriteObject(201, result->body, res);
  return absl::OkStatus();
}

absl::Status ResourceHandler::Update(const ObjectScope& scope, const httplib::Request& req,
                                     httplib::Response& res) {
  auto options = ParseWriteOptions(req);
  if (!options.ok()) return options.status();
  auto body = DecodeObjectBody(req);
  if (!body.ok()) return body.status();
  absl::StatusOr<WriteResult> result;
  if (scope.subresource == "finalize") {
    // Only spec.finalizers changes: what the namespace controller uses to finish deletion.
    json finalizers = body->is_object() && body->contains("spec")
                          ? (*body)["spec"].value("finalizers", json::array())
                          : json::array();
    ObjectScope main = scope;
    main.subresource.clear();
    auto status = registry_.Mutate(main, [&](json& ns) {
      ns["spec"]["finalizers"] = finalizers;
      return true;
    });
    if (!status.ok()) return status;
    auto current = registry_.Get(main);
    if (!current.ok()) {
      if (current.status().code() == absl::StatusCode::kNotFound) {
        WriteObject(200, body->dump(), res);
        return absl::OkStatus();
      }
      return current.status();
    }
    WriteObject(200, (*current)->dump(), res);
    return absl::OkStatus();
  }
  result = registry_.Update(scope, std::move(*body), *options);
  if (!result.ok()) return result.status();
  WriteWarnings(result->warnings, res);
  WriteObject(200, result->body, res);
  return absl::OkStatus();
}

absl::Status ResourceHandler::Patch(const ObjectScope& scope, const httplib::Request& req,
                                    httplib::Response& res) {
  auto options = ParseWriteOptions(req);
  if (!options.ok()) return options.status();
  std::string media = MediaType(req);
  PatchType type;
  if (media == "application/merge-patch+json") {
    type = PatchType::kMerge;
  } else if (media == "application/json-patch+json") {
    type = PatchType::kJson;
  } else if (media == "application/strategic-merge-patch+json") {
    type = PatchType::kStrategic;
  } else if (media == "application/apply-patch+yaml" || media == "application/apply-patch+cbor") {
    type = PatchType::kApply;
  } else {
    return UnsupportedMediaTypeError(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, "
        "application/apply-patch+yaml" +
        std::string(scope.type->custom ? "" : ", application/strategic-merge-patch+json"));
  }
  if (scope.type->terminating && type == PatchType::kApply) {
    return MethodNotAllowedError(
        "create not allowed while custom resource definition is "
        "terminating");
  }
  auto result = registry_.Patch(scope, type, req.body, *options);
  if (!result.ok()) return result.status();
  WriteWarnings(result->warnings, res);
  WriteObject(result->created ? 201 : 200, result->body, res);
  return absl::OkStatus();
}

absl::Status ResourceHandler::Delete(const ObjectScope& scope, const httplib::Request& req,
                                     httplib::Response& res) {
  DeleteOptions options;
  if (!req.body.empty()) {
    json body = kube::ParseJsonOrDiscarded(req.body);
    if (body.is_discarded() || !body.is_object()) {
      return BadRequestError("the DeleteOptions body is not valid JSON");
    }
    options.propagation = body.value("propagationPolicy", "");
    if (body.value("orphanDependents", false)) options.propagation = "Orphan";
    if (body.contains("preconditions") && body["preconditions"].is_object()) {
      options.precondition_uid = body["preconditions"].value("uid", "");
      options.precondition_resource_version = body["preconditions"].value("resourceVersion", "");
    }
    for (const auto& d : body.value("dryRun", json::array())) {
      if (d == "All") options.dry_run = true;
    }
  }
  if (std::string p = Param(req, "propagationPolicy"); !p.empty()) options.propagation = p;
  if (Param(req, "dryRun") == "All") options.dry_run = true;
  if (!options.propagation.empty() && options.propagation != "Background" &&
      options.propagation != "Foreground" && options.propagation != "Orphan") {
    return InvalidError("meta.k8s.io", "DeleteOptions", "",
                        {{"propagationPolicy", "FieldValueNotSupported",
                          "Unsupported value: \"" + options.propagation +
                              "\": supported values: \"Foreground\", \"Background\", "
                              "\"Orphan\", \"nil\""}});
  }
  auto result = registry_.Delete(scope, options);
  if (!result.ok()) return result.status();
  if (!result->gone) {
    WriteObject(202, result->object->dump(), res);
    return absl::OkStatus();
  }
  if (scope.type->custom) {
    WriteObject(200, result->object->dump(), res);
  } else {
    json status = {{"kind", "Status"},
                   {"apiVersion", "v1"},
                   {"metadata", json::object()},
                   {"status", "Success"},
                   {"details",
                    {{"name", scope.name},
                     {"group", scope.type->group},
                     {"kind", scope.type->resource},
                     {"uid", (*result->object)["metadata"].value("uid", "")}}}};
    WriteObject(200, status.dump(), res);
  }
  return absl::OkStatus();
}

absl::Status ResourceHandler::DeleteCollection(const ObjectScope& scope,
                                               const httplib::Request& req,
                                               httplib::Response& res) {
  auto filter =
      ObjectFilter::Create(*scope.type, Param(req, "labelSelector"), Param(req, "fieldSelector"));
  if (!filter.ok()) return filter.status();
  std::vector<std::string> names;
  ListQuery query{scope.type->StorageKey(), scope.ns, "", "", 0};
  auto rev = registry_.store().List(query, [&](ObjectRecord&& record) {
    if (filter->Matches(record)) names.push_back(record.name);
    return true;
  });
  if (!rev.ok()) return rev.status();
  json items = json::array();
  for (const auto& name : names) {
    ObjectScope one = scope;
    one.name = name;
    auto result = registry_.Delete(one, DeleteOptions{});
    if (result.ok()) {
      items.push_back(*result->object);
    } else if (result.status().code() != absl::StatusCode::kNotFound) {
      return result.status();
    }
  }
  json list = {{"kind", scope.type->list_kind},
               {"apiVersion", scope.type->ApiVersion()},
               {"metadata", {{"resourceVersion", std::to_string(registry_.store().revision())}}},
               {"items", items}};
  WriteObject(200, list.dump(), res);
  return absl::OkStatus();
}

}  // namespace certforge::apiserver
