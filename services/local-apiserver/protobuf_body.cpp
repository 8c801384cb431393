#include "services/local-apiserver/protobuf_body.h"

#include "certforge/k8s/wire.pb.h"
#include "lib/core/base64.h"
#include "lib/core/time_format.h"
#include "services/local-apiserver/api_error.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;
namespace wire = certforge::k8s::wire;

template <typename Map>
json StringMap(const Map& map) {
  json out = json::object();
  for (const auto& [k, v] : map) out[k] = v;
  return out;
}

template <typename Map>
json BytesMap(const Map& map) {
  json out = json::object();
  for (const auto& [k, v] : map) out[k] = core::Base64Encode(v);
  return out;
}

json MetaToJson(const wire::ObjectMeta& m) {
  json meta = json::object();
  if (!m.name().empty()) meta["name"] = m.name();
  if (!m.generatename().empty()) meta["generateName"] = m.generatename();
  if (!m.namespace_().empty()) meta["namespace"] = m.namespace_();
  if (m.labels_size() > 0) meta["labels"] = StringMap(m.labels());
  if (m.annotations_size() > 0) meta["annotations"] = StringMap(m.annotations());
  if (m.finalizers_size() > 0) {
    meta["finalizers"] = std::vector<std::string>(m.finalizers().begin(), m.finalizers().end());
  }
  for (const auto& ref : m.ownerreferences()) {
    json r = {{"apiVersion", ref.apiversion()}, {"kind", ref.kind()}, {"name", ref.name()},
              {"uid", ref.uid()}};
    if (ref.has_controller()) r["controller"] = ref.controller();
    if (ref.has_blockownerdeletion()) r["blockOwnerDeletion"] = ref.blockownerdeletion();
    meta["ownerReferences"].push_back(r);
  }
  return meta;
}

absl::Status Unsupported() {
  return UnsupportedMediaTypeError(
      "the body of the request was in an unknown format - accepted media types include: "
      "application/json, application/yaml");
}

}  // namespace

absl::StatusOr<json> DecodeProtobufBody(std::string_view body) {
  static constexpr std::string_view kMagic("k8s\0", 4);
  if (body.substr(0, 4) != kMagic) return Unsupported();
  wire::Unknown envelope;
  if (!envelope.ParseFromArray(body.data() + 4, static_cast<int>(body.size() - 4))) {
    return BadRequestError("the protobuf request body could not be decoded");
  }
  const std::string& kind = envelope.typemeta().kind();
  const std::string& raw = envelope.raw();
  json object = {{"apiVersion", envelope.typemeta().apiversion()}, {"kind", kind}};
  if (kind == "Secret") {
    wire::Secret s;
    if (!s.ParseFromString(raw)) return BadRequestError("malformed Secret");
    object["metadata"] = MetaToJson(s.metadata());
    if (s.data_size() > 0) object["data"] = BytesMap(s.data());
    if (s.stringdata_size() > 0) object["stringData"] = StringMap(s.stringdata());
    if (!s.type().empty()) object["type"] = s.type();
    if (s.has_immutable()) object["immutable"] = s.immutable();
  } else if (kind == "ConfigMap") {
    wire::ConfigMap c;
    if (!c.ParseFromString(raw)) return BadRequestError("malformed ConfigMap");
    object["metadata"] = MetaToJson(c.metadata());
    if (c.data_size() > 0) object["data"] = StringMap(c.data());
    if (c.binarydata_size() > 0) object["binaryData"] = BytesMap(c.binarydata());
    if (c.has_immutable()) object["immutable"] = c.immutable();
  } else if (kind == "Namespace") {
    wire::Namespace n;
    if (!n.ParseFromString(raw)) return BadRequestError("malformed Namespace");
    object["metadata"] = MetaToJson(n.metadata());
  } else {
    return Unsupported();
  }
  return object;
}

}  // namespace certforge::apiserver
