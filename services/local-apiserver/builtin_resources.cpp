#include "services/local-apiserver/builtin_resources.h"

#include "lib/core/time_format.h"
#include "lib/kube/json_parse.h"
#include "services/local-apiserver/builtin_strategies.h"
#include "services/local-apiserver/crd_strategy.h"
#include "services/local-apiserver/table_converter.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

// Schemas of the built-in kinds: enough structure for types, pruning and strict validation;
// deep parts the server never interprets are kept as they come.
constexpr char kSecretSchema[] = R"({"type":"object","properties":{
  "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
  "data":{"type":"object","additionalProperties":{"type":"string"}},
  "stringData":{"type":"object","additionalProperties":{"type":"string"}},
  "type":{"type":"string"},"immutable":{"type":"boolean"}}})";

constexpr char kConfigMapSchema[] = R"({"type":"object","properties":{
  "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
  "data":{"type":"object","additionalProperties":{"type":"string"}},
  "binaryData":{"type":"object","additionalProperties":{"type":"string"}},
  "immutable":{"type":"boolean"}}})";

constexpr char kNamespaceSchema[] = R"({"type":"object","properties":{
  "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
  "spec":{"type":"object","properties":{"finalizers":{"type":"array","items":{"type":"string"}}}},
  "status":{"type":"object","properties":{"phase":{"type":"string"},
    "conditions":{"type":"array","items":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}}}})";

constexpr char kEventSchema[] = R"({"type":"object","properties":{
  "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
  "involvedObject":{"type":"object","properties":{"kind":{"type":"string"},
    "namespace":{"type":"string"},"name":{"type":"string"},"uid":{"type":"string"},
    "apiVersion":{"type":"string"},"resourceVersion":{"type":"string"},"fieldPath":{"type":"string"}}},
  "reason":{"type":"string"},"message":{"type":"string"},
  "source":{"type":"object","properties":{"component":{"type":"string"},"host":{"type":"string"}}},
  "firstTimestamp":{"type":"string","format":"date-time","nullable":true},
  "lastTimestamp":{"type":"string","format":"date-time","nullable":true},
  "count":{"type":"integer","format":"int32"},"type":{"type":"string"},
  "eventTime":{"type":"string","nullable":true},
  "series":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
  "action":{"type":"string"},
  "related":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
  "reportingComponent":{"type":"string"},"reportingInstance":{"type":"string"}},
  "required":["involvedObject"]})";

constexpr char kLeaseSchema[] = R"({"type":"object","properties":{
  "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
  "spec":{"type":"object","properties":{"holderIdentity":{"type":"string","nullable":true},
    "leaseDurationSeconds":{"type":"integer","format":"int32","nullable":true},
    "acquireTime":{"type":"string","nullable":true},"renewTime":{"type":"string","nullable":true},
    "leaseTransitions":{"type":"integer","format":"int32","nullable":true},
    "strategy":{"type":"string"},"preferredHolder":{"type":"string"}}}}})";

constexpr char kIngressSchema[] = R"({"type":"object","properties":{
  "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
  "spec":{"type":"object","properties":{
    "ingressClassName":{"type":"string","nullable":true},
    "defaultBackend":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
    "tls":{"type":"array","items":{"type":"object","properties":{
      "hosts":{"type":"array","items":{"type":"string"}},"secretName":{"type":"string"}}}},
    "rules":{"type":"array","items":{"type":"object","properties":{
      "host":{"type":"string"},
      "http":{"type":"object","properties":{"paths":{"type":"array","items":{"type":"object",
        "properties":{"path":{"type":"string"},"pathType":{"type":"string"},
          "backend":{"type":"object","x-kubernetes-preserve-unknown-fields":true}},
        "required":["pathType","backend"]}}},"required":["paths"]}}}}}},
  "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}})";

constexpr char kCrdSchema[] = R"({"type":"object","properties":{
  "apiVersion":{"type":"string"},"kind":{"type":"string"},"metadata":{"type":"object"},
  "spec":{"type":"object","required":["group","names","scope","versions"],"properties":{
    "group":{"type":"string"},
    "names":{"type":"object","required":["plural","kind"],"properties":{
      "plural":{"type":"string"},"singular":{"type":"string"},"kind":{"type":"string"},
      "listKind":{"type":"string"},
      "shortNames":{"type":"array","items":{"type":"string"}},
      "categories":{"type":"array","items":{"type":"string"}}}},
    "scope":{"type":"string"},
    "preserveUnknownFields":{"type":"boolean"},
    "conversion":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
    "versions":{"type":"array","items":{"type":"object","required":["name","served","storage"],
      "properties":{"name":{"type":"string"},"served":{"type":"boolean"},
        "storage":{"type":"boolean"},"deprecated":{"type":"boolean"},
        "deprecationWarning":{"type":"string","nullable":true},
        "schema":{"type":"object","properties":{"openAPIV3Schema":{"type":"object",
          "x-kubernetes-preserve-unknown-fields":true}}},
        "subresources":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
        "additionalPrinterColumns":{"type":"array","items":{"type":"object",
          "required":["name","type","jsonPath"],"properties":{"name":{"type":"string"},
          "type":{"type":"string"},"format":{"type":"string"},"description":{"type":"string"},
          "priority":{"type":"integer","format":"int32"},"jsonPath":{"type":"string"}}}},
        "selectableFields":{"type":"array","items":{"type":"object","required":["jsonPath"],
          "properties":{"jsonPath":{"type":"string"}}}}}}}}},
  "status":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}})";

absl::StatusOr<std::shared_ptr<const kube::StructuralSchema>> Compile(const char* text) {
  auto schema = kube::StructuralSchema::Compile(kube::ParseJson(text));
  if (!schema.ok()) return schema.status();
  return std::make_shared<const kube::StructuralSchema>(std::move(*schema));
}

PrinterColumn PathColumn(std::string name, std::string type, const char* path,
                         int priority = 0) {
  PrinterColumn c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.priority = priority;
  c.json_path = *kube::JsonPath::Parse(path);
  return c;
}

PrinterColumn ComputedColumn(std::string name, std::string type,
                             std::function<json(const json&)> compute) {
  PrinterColumn c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.compute = std::move(compute);
  return c;
}

size_t CountKeys(const json& object, const char* field) {
  auto it = object.find(field);
  return it != object.end() && it->is_object() ? it->size() : 0;
}

std::string IngressHosts(const json& ingress) {
  std::string hosts;
  if (ingress.contains("spec") && ingress["spec"].contains("rules")) {
    for (const auto& rule : ingress["spec"]["rules"]) {
      std::string host = rule.value("host", "*");
      hosts += (hosts.empty() ? "" : ",") + (host.empty() ? std::string("*") : host);
    }
  }
  return hosts.empty() ? "*" : hosts;
}

std::string IngressAddress(const json& ingress) {
  std::string out;
  const auto status = ingress.value("status", json::object());
  const auto lb = status.value("loadBalancer", json::object());
  for (const auto& entry : lb.value("ingress", json::array())) {
    std::string a = entry.value("ip", entry.value("hostname", ""));
    if (!a.empty()) out += (out.empty() ? "" : ",") + a;
  }
  return out;
}

std::string EventObject(const json& event) {
  const auto obj = event.value("involvedObject", json::object());
  std::string kind = obj.value("kind", "");
  for (auto& ch : kind) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return kind + "/" + obj.value("name", "");
}

json EventLastSeen(const json& event) {
  std::string last = event.value("lastTimestamp", json()).is_string()
                         ? event["lastTimestamp"].get<std::string>()
                         : (event.value("eventTime", json()).is_string()
                                ? event["eventTime"].get<std::string>()
                                : event["metadata"].value("creationTimestamp", ""));
  return CellValue("date", last, std::chrono::system_clock::now());
}

ResourceType Base(std::string group, std::string resource, std::string singular, std::string kind,
                  bool namespaced) {
  ResourceType t;
  t.group = std::move(group);
  t.version = "v1";
  t.resource = std::move(resource);
  t.singular = std::move(singular);
  t.kind = kind;
  t.list_kind = kind + "List";
  t.namespaced = namespaced;
  return t;
}

}  // namespace

PrinterColumn AgeColumn() {
  PrinterColumn age = PathColumn("Age", "date", ".metadata.creationTimestamp");
  age.description =
      "CreationTimestamp is a timestamp representing the server time when this object was "
      "created.";
  return age;
}

absl::Status RegisterBuiltinResources(ResourceCatalog& catalog) {
  std::vector<ResourceType> types;

  ResourceType ns = Base("", "namespaces", "namespace", "Namespace", false);
  ns.short_names = {"ns"};
  ns.status_subresource = true;
  ns.selectable_fields = {"status.phase"};
  ns.columns = {PathColumn("Status", "string", ".status.phase"), AgeColumn()};
  ns.strategy = std::make_shared<NamespaceStrategy>();
  types.push_back(ns);

  ResourceType secret = Base("", "secrets", "secret", "Secret", true);
  secret.selectable_fields = {"type"};
  secret.columns = {PathColumn("Type", "string", ".type"),
                    ComputedColumn("Data", "string",
                                   [](const json& o) { return CountKeys(o, "data"); }),
                    AgeColumn()};
  secret.strategy = std::make_shared<SecretStrategy>();
  types.push_back(secret);

  ResourceType cm = Base("", "configmaps", "configmap", "ConfigMap", true);
  cm.short_names = {"cm"};
  cm.columns = {ComputedColumn("Data", "string",
                               [](const json& o) {
                                 return CountKeys(o, "data") + CountKeys(o, "binaryData");
                               }),
                AgeColumn()};
  cm.strategy = std::make_shared<ConfigMapStrategy>();
  types.push_back(cm);

  ResourceType event = Base("", "events", "event", "Event", true);
  event.short_names = {"ev"};
  event.selectable_fields = {"involvedObject.kind",       "involvedObject.namespace",
                             "involvedObject.name",       "involvedObject.uid",
                             "involvedObject.apiVersion", "involvedObject.resourceVersion",
                             "involvedObject.fieldPath",  "reason",
                             "reportingComponent",        "source",
                             "type"};
  event.columns = {ComputedColumn("Last Seen", "string", EventLastSeen),
                   PathColumn("Type", "string", ".type"),
                   PathColumn("Reason", "string", ".reason"),
                   ComputedColumn("Object", "string", EventObject),
                   PathColumn("Message", "string", ".message")};
  types.push_back(event);

  ResourceType lease = Base("coordination.k8s.io", "leases", "lease", "Lease", true);
  lease.columns = {PathColumn("Holder", "string", ".spec.holderIdentity"), AgeColumn()};
  types.push_back(lease);

  ResourceType ing = Base("networking.k8s.io", "ingresses", "ingress", "Ingress", true);
  ing.short_names = {"ing"};
  ing.status_subresource = true;
  ing.tracks_generation = true;
  ing.columns = {
      ComputedColumn("Class", "string",
                     [](const json& o) {
                       auto spec = o.value("spec", json::object());
                       auto cls = spec.value("ingressClassName", json());
                       return cls.is_string() ? cls : json("<none>");
                     }),
      ComputedColumn("Hosts", "string", [](const json& o) { return IngressHosts(o); }),
      ComputedColumn("Address", "string", [](const json& o) { return IngressAddress(o); }),
      ComputedColumn("Ports", "string",
                     [](const json& o) {
                       auto spec = o.value("spec", json::object());
                       auto tls = spec.value("tls", json::array());
                       return json(tls.empty() ? "80" : "80, 443");
                     }),
      AgeColumn()};
  types.push_back(ing);

  ResourceType crd = Base("apiextensions.k8s.io", "customresourcedefinitions",
                          "customresourcedefinition", "CustomResourceDefinition", false);
  crd.short_names = {"crd", "crds"};
  crd.categories = {"api-extensions"};
  crd.status_subresource = true;
  crd.tracks_generation = true;
  crd.columns = {ComputedColumn("Created At", "date", [](const json& o) {
    return o["metadata"].value("creationTimestamp", "");
  })};
  crd.strategy = std::make_shared<CrdStrategy>();
  types.push_back(crd);

  const std::map<std::string, const char*> schemas = {
      {"namespaces", kNamespaceSchema}, {"secrets", kSecretSchema},
      {"configmaps", kConfigMapSchema}, {"events", kEventSchema},
      {"leases", kLeaseSchema},         {"ingresses", kIngressSchema},
      {"customresourcedefinitions", kCrdSchema}};
  for (auto& type : types) {
    auto schema = Compile(schemas.at(type.resource));
    if (!schema.ok()) return schema.status();
    type.schema = std::move(*schema);
    catalog.Register(std::make_shared<const ResourceType>(std::move(type)));
  }
  return absl::OkStatus();
}

}  // namespace certforge::apiserver
