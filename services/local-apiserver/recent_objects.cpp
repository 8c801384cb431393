#include "services/local-apiserver/recent_objects.h"

namespace certforge::apiserver {

std::string RecentObjects::Key(const std::string& resource, const std::string& ns,
                               const std::string& name) {
  // '\n' appears in no resource, namespace or object name.
  return resource + '\n' + ns + '\n' + name;
}

std::optional<ObjectRecord> RecentObjects::Find(const std::string& resource, const std::string& ns,
                                                const std::string& name) {
  std::lock_guard lock(mu_);
  const auto* found = objects_.Find(Key(resource, ns, name));
  if (found == nullptr) return std::nullopt;
  return **found;
}

std::optional<int64_t> RecentObjects::NextVersion(const std::string& resource,
                                                  const std::string& ns, const std::string& name) {
  std::string key = Key(resource, ns, name);
  for (auto it = staged_.rbegin(); it != staged_.rend(); ++it) {
    if (it->first == key) return it->second ? it->second->rv : kGone;
  }
  std::lock_guard lock(mu_);
  const auto* found = objects_.Find(key);
  if (found == nullptr) return std::nullopt;
  return (*found)->rv;
}

void RecentObjects::Staged(const std::vector<Mutation>& mutations) {
  for (const Mutation& m : mutations) {
    const ObjectRecord& o = m.object;
    staged_.emplace_back(
        Key(o.resource, o.ns, o.name),
        m.type == ChangeType::kDeleted ? nullptr : std::make_shared<const ObjectRecord>(o));
  }
}

void RecentObjects::Committed() {
  std::lock_guard lock(mu_);
  for (auto& [key, record] : staged_) {
    if (record) {
      objects_.Put(std::move(key), std::move(record));
    } else {
      objects_.Erase(key);
    }
  }
  staged_.clear();
}

}  // namespace certforge::apiserver
