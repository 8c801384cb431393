#include "services/controller/secret_reader.h"

#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

constexpr size_t kGeneration = 2048;

std::string ResourceVersion(const json& object) {
  return object.value("metadata", json::object()).value("resourceVersion", "");
}

}  // namespace

absl::StatusOr<json> SecretReader::Get(const std::string& ns, const std::string& name) {
  const std::string key = ns + "/" + name;
  if (auto meta = metadata_.Get(key)) {
    std::string current = ResourceVersion(*meta);
    std::lock_guard lock(mu_);
    for (auto* generation : {&young_, &old_}) {
      auto it = generation->find(key);
      if (it == generation->end() || ResourceVersion(it->second) != current) continue;
      json secret = it->second;
      if (generation == &old_) Remember(key, secret);
      return secret;
    }
  }
  // Unknown to the informer yet (perhaps just written) or changed since: read it live.
  auto secret = client_.Get(kSecrets, ns, name);
  if (secret.ok()) {
    std::lock_guard lock(mu_);
    Remember(key, *secret);
  }
  return secret;
}

void SecretReader::Remember(const std::string& key, const json& secret) {
  if (young_.size() >= kGeneration && !young_.contains(key)) {
    old_ = std::move(young_);
    young_.clear();
  }
  young_.insert_or_assign(key, secret);
}

}  // namespace certforge::controller
