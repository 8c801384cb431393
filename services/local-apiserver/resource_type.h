#pragma once
// What the server knows about one served resource (a group/version/resource): names for
// discovery, how to print it as a Table, how to validate it, and how it is stored.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/kube/jsonpath.h"
#include "lib/kube/structural_schema.h"

namespace certforge::apiserver {

class ResourceStrategy;

struct PrinterColumn {
  std::string name;
  std::string type;  // string, integer, number, boolean, date
  std::string format;
  std::string description;
  int priority = 0;
  std::optional<kube::JsonPath> json_path;
  // For built-in kinds whose cells are computed (e.g. a Secret's DATA count).
  std::function<nlohmann::json(const nlohmann::json& object)> compute;
};

struct ResourceType {
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // plural
  std::string singular;
  std::string kind;
  std::string list_kind;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  bool status_subresource = false;
  // generation is kept for CRD-backed kinds and built-ins with a spec (Ingress, CRDs).
  bool tracks_generation = false;
  // Served from a CRD: strategic merge patch is refused (415), as a real server does.
  bool custom = false;
  // Of a CRD's versions, the one objects are stored at (FindByStorageKey returns it).
  bool storage_version = true;
  // The CRD is being deleted: no new objects.
  bool terminating = false;
  std::vector<PrinterColumn> columns;  // besides Name and Age
  std::vector<std::string> selectable_fields;  // dotted paths, e.g. "spec.issuerRef.name"
  std::shared_ptr<const kube::StructuralSchema> schema;  // validation, pruning, defaults
  std::shared_ptr<const ResourceStrategy> strategy;      // kind-specific rules

  std::string ApiVersion() const { return group.empty() ? version : group + "/" + version; }
  // The storage key shared by every version of the resource: "certificates.cert-manager.io".
  std::string StorageKey() const { return group.empty() ? resource : resource + "." + group; }
};

using ResourceTypePtr = std::shared_ptr<const ResourceType>;

}  // namespace certforge::apiserver
