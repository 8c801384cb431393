#include "services/controller/secret_reader.h"

#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

constexpr size_t kGeneration = 2048;

std::string ResourceVersion(const json& object) {
  return object.value("metadata", json::object()).value("resourceVersion", "");
}

std::string KeyOf(const json& secret) {
  const json meta = secret.value("metadata", json::object());
  return meta.value("namespace", "") + "/" + meta.value("name", "");
}

}  // namespace

absl::StatusOr<json> SecretReader::Get(const std::string& ns, const std::string& name) {
  const std::string key = ns + "/" + name;
  auto meta = metadata_.Get(key);
  {
    std::lock_guard lock(mu_);
    const json* cached = Find(key);
    if (cached && (!meta || ResourceVersion(*meta) == ResourceVersion(*cached))) return *cached;
    if (!meta) return absl::NotFoundError("secrets \"" + name + "\" not found");
  }
  // Changed since it was last read: read it live.
  auto secret = client_.Get(kSecrets, ns, name);
  if (secret.ok()) {
    std::lock_guard lock(mu_);
    Remember(key, *secret);
  }
  return secret;
}

void SecretReader::Written(const json& secret) {
  std::lock_guard lock(mu_);
  Remember(KeyOf(secret), secret);
}

void SecretReader::Deleted(const std::string& ns, const std::string& name) {
  const std::string key = ns + "/" + name;
  std::lock_guard lock(mu_);
  young_.erase(key);
  old_.erase(key);
}

const json* SecretReader::Find(const std::string& key) {
  if (auto it = young_.find(key); it != young_.end()) return &it->second;
  auto it = old_.find(key);
  if (it == old_.end()) return nullptr;
  json value = it->second;  // Remember may drop the old generation
  Remember(key, value);     // promoted: still in use
  return &young_.at(key);
}

void SecretReader::Remember(const std::string& key, const json& secret) {
  if (young_.size() >= kGeneration && !young_.contains(key)) {
    old_ = std::move(young_);
    young_.clear();
  }
  young_.insert_or_assign(key, secret);
}

}  // namespace certforge::controller
