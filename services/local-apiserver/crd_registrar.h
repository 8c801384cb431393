#pragma once
// Keeps the catalog in step with the stored CRDs: a CRD written is served at once (before the
// write returns), a deleted one stops being served.

#include "absl/status/status.h"
#include "services/local-apiserver/registry.h"
#include "services/local-apiserver/resource_catalog.h"

namespace certforge::apiserver {

class CrdRegistrar {
 public:
  explicit CrdRegistrar(ResourceCatalog& catalog) : catalog_(catalog) {}

  // Serves every CRD in the store (at startup).
  absl::Status LoadAll(const SqliteStore& store);
  // Registry observer.
  void OnCommit(const CommittedChange& change);

 private:
  void Apply(const nlohmann::json& crd, bool deleted);

  ResourceCatalog& catalog_;
};

}  // namespace certforge::apiserver
