#include "services/controller/status_writer.h"

#include "lib/kube/json_parse.h"

namespace certforge::controller {
namespace {

std::string ResourceVersion(const nlohmann::json& object) {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return "";
  return meta->value("resourceVersion", "");
}

}  // namespace

void StatusWriter::UseCache(const kube::GroupVersionResource& gvr, const kube::Informer* informer) {
  caches_[gvr.resource] = informer;
}

std::mutex& StatusWriter::KeyLock(const std::string& key) {
  return key_locks_[std::hash<std::string>{}(key) % key_locks_.size()];
}

std::shared_ptr<const nlohmann::json> StatusWriter::Latest(const kube::GroupVersionResource& gvr,
                                                           const std::string& key) {
  auto cache = caches_.find(gvr.resource);
  if (cache == caches_.end()) return nullptr;
  // Not in the informer: not created yet as far as we know, or deleted.
  std::shared_ptr<const nlohmann::json> informed = cache->second->Get(key);
  if (!informed) return nullptr;
  const std::string own_key = gvr.resource + "/" + key;
  std::string text;  // of our own newer write, to parse outside the lock
  std::string base_version;
  {
    std::lock_guard lock(own_writes_mu_);
    const OwnWrite* own = own_writes_.Find(own_key);
    if (!own) return informed;
    // The informer still shows the version our write replaced: ours is newer. Any other version
    // is ours or a later one.
    if (ResourceVersion(*informed) != own->base_version) {
      own_writes_.Erase(own_key);
      return informed;
    }
    if (own->object) return own->object;
    text = own->text;
    base_version = own->base_version;
  }
  auto parsed = kube::ParseJsonOrDiscarded(text);
  if (parsed.is_discarded()) return informed;  // the gateway relays what the server stored
  auto object = std::make_shared<const nlohmann::json>(std::move(parsed));
  std::lock_guard lock(own_writes_mu_);
  if (const OwnWrite* own = own_writes_.Find(own_key); own && own->base_version == base_version) {
    own_writes_.Put(own_key, OwnWrite{std::move(base_version), "", object});
  }
  return object;
}

absl::Status StatusWriter::Update(const kube::GroupVersionResource& gvr, const std::string& ns,
                                  const std::string& name,
                                  const std::function<bool(nlohmann::json&)>& mutate) {
  constexpr int kAttempts = 8;
  const std::string key = ns.empty() ? name : ns + "/" + name;
  std::lock_guard key_lock(KeyLock(key));
  absl::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    std::shared_ptr<const nlohmann::json> known;
    if (attempt == 0) known = Latest(gvr, key);
    absl::StatusOr<nlohmann::json> object =
        known ? absl::StatusOr<nlohmann::json>(*known) : client_.Get(gvr, ns, name);
    if (!object.ok()) return object.status();
    if (!mutate(*object)) return absl::OkStatus();
    std::string base_version = ResourceVersion(*object);
    auto updated = client_.UpdateStatusText(gvr, *object);
    if (updated.ok()) {
      std::lock_guard lock(own_writes_mu_);
      own_writes_.Put(gvr.resource + "/" + key,
                      OwnWrite{std::move(base_version), std::move(*updated), nullptr});
      return absl::OkStatus();
    }
    if (updated.status().code() != absl::StatusCode::kAborted) return updated.status();
    last = updated.status();  // someone else wrote in between: read again
  }
  return last;
}

}  // namespace certforge::controller
