#include "tests/unit/local_apiserver/test_env.h"

#include <gtest/gtest.h>

#include "services/local-apiserver/api_error.h"
#include "services/local-apiserver/builtin_resources.h"
#include "services/local-apiserver/crd_strategy.h"

namespace certforge::apiserver {

using nlohmann::json;

TestEnv::TestEnv(Options options) : dir_("local-apiserver-unit") {
  auto store = SqliteStore::Open({dir_.File("state.db"), options.watch_history, false});
  if (!store.ok()) throw std::runtime_error(std::string(store.status().message()));
  store_ = std::move(*store);
  auto builtins = RegisterBuiltinResources(catalog_);
  if (!builtins.ok()) throw std::runtime_error(std::string(builtins.message()));
  hub_ = std::make_unique<WatchHub>(options.hub_queue);
  hub_->SetPublishedRevision(store_->revision());
  registry_ = std::make_unique<Registry>(*store_, *hub_, catalog_);
  crds_ = std::make_unique<CrdRegistrar>(catalog_);
  registry_->AddObserver([this](const CommittedChange& c) { crds_->OnCommit(c); });
  CreateNamespace("default");
}

TestEnv::~TestEnv() = default;

ResourceTypePtr TestEnv::Type(const std::string& group, const std::string& version,
                              const std::string& resource) const {
  ResourceTypePtr type = catalog_.Find(group, version, resource);
  EXPECT_NE(type, nullptr) << group << "/" << version << "/" << resource << " is not served";
  return type;
}

ObjectScope TestEnv::Scope(const std::string& group, const std::string& resource,
                           const std::string& ns, const std::string& name,
                           const std::string& subresource) const {
  // Every kind the tests use is served at v1.
  return ObjectScope{Type(group, "v1", resource), ns, name, subresource};
}

ObjectScope TestEnv::Widget(const std::string& ns, const std::string& name,
                            const std::string& subresource) const {
  return Scope("example.com", "widgets", ns, name, subresource);
}

json TestEnv::MustCreate(const ObjectScope& scope, const json& body) {
  auto result = registry_->Create(scope, body, WriteOptions{});
  EXPECT_TRUE(result.ok()) << result.status();
  return result.ok() ? *result->object : json();
}

json TestEnv::MustGet(const ObjectScope& scope) {
  auto object = registry_->Get(scope);
  EXPECT_TRUE(object.ok()) << object.status();
  return object.ok() ? **object : json();
}

void TestEnv::CreateNamespace(const std::string& name) {
  MustCreate(Core("namespaces", ""),
             {{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", {{"name", name}}}});
}

void TestEnv::RegisterWidgetCrd() {
  MustCreate(Scope("apiextensions.k8s.io", "customresourcedefinitions", ""), WidgetCrd());
}

absl::Status RegisterBuiltinsAndWidgets(ResourceCatalog& catalog) {
  if (auto s = RegisterBuiltinResources(catalog); !s.ok()) return s;
  auto widgets = ResourceTypesFromCrd(WidgetCrd());
  if (!widgets.ok()) return widgets.status();
  for (auto& t : *widgets) catalog.Register(std::make_shared<const ResourceType>(std::move(t)));
  return absl::OkStatus();
}

json WidgetCrd() {
  json schema = json::parse(R"({"type":"object","properties":{
    "spec":{"type":"object","properties":{
      "size":{"type":"integer","minimum":0},
      "color":{"type":"string","default":"blue"},
      "tags":{"type":"array","items":{"type":"string"}}}},
    "status":{"type":"object","properties":{
      "ready":{"type":"boolean"},"observedSize":{"type":"integer"}}}}})");
  json columns = json::parse(R"([
    {"name":"Size","type":"integer","jsonPath":".spec.size"},
    {"name":"Color","type":"string","jsonPath":".spec.color","priority":1},
    {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}])");
  json v1 = {{"name", "v1"},
             {"served", true},
             {"storage", true},
             {"subresources", {{"status", json::object()}}},
             {"additionalPrinterColumns", columns},
             {"selectableFields", json::array({{{"jsonPath", ".spec.color"}}})},
             {"schema", {{"openAPIV3Schema", schema}}}};
  json v1beta1 = {{"name", "v1beta1"},
                  {"served", true},
                  {"storage", false},
                  {"schema", {{"openAPIV3Schema", schema}}}};
  return {{"apiVersion", "apiextensions.k8s.io/v1"},
          {"kind", "CustomResourceDefinition"},
          {"metadata", {{"name", "widgets.example.com"}}},
          {"spec",
           {{"group", "example.com"},
            {"scope", "Namespaced"},
            {"names",
             {{"plural", "widgets"},
              {"singular", "widget"},
              {"kind", "Widget"},
              {"shortNames", {"wd"}},
              {"categories", {"all"}}}},
            {"versions", {v1beta1, v1}}}}};
}

json SecretBody(const std::string& name, const json& string_data) {
  json body = {{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", name}}}};
  if (!string_data.is_null()) body["stringData"] = string_data;
  return body;
}

json ConfigMapBody(const std::string& name, const json& data) {
  json body = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", name}}}};
  if (!data.is_null()) body["data"] = data;
  return body;
}

json WidgetBody(const std::string& name, int size) {
  return {{"apiVersion", "example.com/v1"},
          {"kind", "Widget"},
          {"metadata", {{"name", name}}},
          {"spec", {{"size", size}}}};
}

int HttpCode(const absl::Status& status) { return RenderStatus(status).http_code; }

std::string Reason(const absl::Status& status) {
  return RenderStatus(status).body.value("reason", "");
}

json StatusBody(const absl::Status& status) { return RenderStatus(status).body; }

}  // namespace certforge::apiserver
