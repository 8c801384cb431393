#pragma once
// local-apiserver's classes wired the way api_server.cpp wires them, minus HTTP: a store on a
// temp file, a watch hub, the built-in catalog, a registry with the CRD registrar as observer,
// and a "default" namespace. Plus small builders for objects the tests write.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/status.h"
#include "services/local-apiserver/crd_registrar.h"
#include "services/local-apiserver/registry.h"
#include "services/local-apiserver/resource_catalog.h"
#include "services/local-apiserver/sqlite_store.h"
#include "services/local-apiserver/watch_hub.h"
#include "tests/support/temp_dir.h"

namespace certforge::apiserver {

class TestEnv {
 public:
  struct Options {
    int64_t watch_history = 100000;
    size_t hub_queue = 20000;
  };
  TestEnv() : TestEnv(Options{}) {}
  explicit TestEnv(Options options);
  ~TestEnv();

  SqliteStore& store() { return *store_; }
  WatchHub& hub() { return *hub_; }
  ResourceCatalog& catalog() { return catalog_; }
  Registry& registry() { return *registry_; }
  const std::string& dir() const { return dir_.path(); }

  // The served type; fails the test (and returns null) when it is not served.
  ResourceTypePtr Type(const std::string& group, const std::string& version,
                       const std::string& resource) const;
  ObjectScope Scope(const std::string& group, const std::string& resource, const std::string& ns,
                    const std::string& name = "", const std::string& subresource = "") const;
  ObjectScope Core(const std::string& resource, const std::string& ns, const std::string& name = "",
                   const std::string& subresource = "") const {
    return Scope("", resource, ns, name, subresource);
  }
  // widgets.example.com/v1 (see WidgetCrd).
  ObjectScope Widget(const std::string& ns, const std::string& name = "",
                     const std::string& subresource = "") const;

  // Creates through the registry; fails the test on error.
  nlohmann::json MustCreate(const ObjectScope& scope, const nlohmann::json& body);
  nlohmann::json MustGet(const ObjectScope& scope);
  void CreateNamespace(const std::string& name);
  // Creates the widgets CRD through the registry, so the registrar starts serving it.
  void RegisterWidgetCrd();

 private:
  certforge::testing::TempDir dir_;
  std::unique_ptr<SqliteStore> store_;
  ResourceCatalog catalog_;
  std::unique_ptr<WatchHub> hub_;
  std::unique_ptr<Registry> registry_;
  std::unique_ptr<CrdRegistrar> crds_;
};

// A namespaced, two-version CRD (v1 storage with a status subresource, v1beta1 served) whose
// schema has spec.size (integer >= 0), spec.color (defaulted "blue"), spec.tags and status.
nlohmann::json WidgetCrd();
// The built-in kinds plus WidgetCrd's types, registered in `catalog` as the server has them once
// the CRD is applied.
absl::Status RegisterBuiltinsAndWidgets(ResourceCatalog& catalog);
nlohmann::json SecretBody(const std::string& name, const nlohmann::json& string_data = {});
nlohmann::json ConfigMapBody(const std::string& name, const nlohmann::json& data = {});
nlohmann::json WidgetBody(const std::string& name, int size);

// The HTTP side of an error, as a client would see it.
int HttpCode(const absl::Status& status);
std::string Reason(const absl::Status& status);
nlohmann::json StatusBody(const absl::Status& status);

}  // namespace certforge::apiserver
