#pragma once
// The set of resources the server serves: built-ins from the start, custom resources as their
// CRDs come and go. Thread-safe; readers get immutable snapshots of each ResourceType.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <vector>

#include "services/local-apiserver/resource_type.h"

namespace certforge::apiserver {

class ResourceCatalog {
 public:
  // Adds or replaces the group/version/resource.
  void Register(ResourceTypePtr type);
  // Removes every version of group/resource (a CRD went away).
  void Unregister(const std::string& group, const std::string& resource);
  // Swaps every version of group/resource for `types` at once (a CRD changed).
  void Replace(const std::string& group, const std::string& resource,
               std::vector<ResourceTypePtr> types);

  ResourceTypePtr Find(const std::string& group, const std::string& version,
                       const std::string& resource) const;
  // Any served version of a group/resource (for storage-level work such as garbage collection).
  ResourceTypePtr FindByStorageKey(const std::string& storage_key) const;
  std::vector<ResourceTypePtr> All() const;
  // Changes whenever the set changes: clients' OpenAPI documents carry it as their hash.
  uint64_t generation() const;

 private:
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, std::string>, ResourceTypePtr> types_;
  uint64_t generation_ = 1;
};

}  // namespace certforge::apiserver
