#include "services/local-apiserver/resource_catalog.h"

namespace certforge::apiserver {

void ResourceCatalog::Register(ResourceTypePtr type) {
  std::lock_guard lock(mu_);
  types_[{type->group, type->version, type->resource}] = std::move(type);
  ++generation_;
}

void ResourceCatalog::Unregister(const std::string& group, const std::string& resource) {
  Replace(group, resource, {});
}

void ResourceCatalog::Replace(const std::string& group, const std::string& resource,
                              std::vector<ResourceTypePtr> types) {
  std::lock_guard lock(mu_);
  for (auto it = types_.begin(); it != types_.end();) {
    if (std::get<0>(it->first) == group && std::get<2>(it->first) == resource) {
      it = types_.erase(it);
    } else {
      ++it;
    }
  }
  for (auto& type : types) types_[{type->group, type->version, type->resource}] = std::move(type);
  ++generation_;
}

ResourceTypePtr ResourceCatalog::Find(const std::string& group, const std::string& version,
                                      const std::string& resource) const {
  std::lock_guard lock(mu_);
  auto it = types_.find({group, version, resource});
  return it == types_.end() ? nullptr : it->second;
}

ResourceTypePtr ResourceCatalog::FindByStorageKey(const std::string& storage_key) const {
  std::lock_guard lock(mu_);
  ResourceTypePtr any;
  for (const auto& [key, type] : types_) {
    if (type->StorageKey() != storage_key) continue;
    if (type->storage_version) return type;
    any = type;
  }
  return any;
}

std::vector<ResourceTypePtr> ResourceCatalog::All() const {
  std::lock_guard lock(mu_);
  std::vector<ResourceTypePtr> out;
  out.reserve(types_.size());
  for (const auto& [key, type] : types_) out.push_back(type);
  return out;
}

uint64_t ResourceCatalog::generation() const {
  std::lock_guard lock(mu_);
  return generation_;
}

}  // namespace certforge::apiserver
