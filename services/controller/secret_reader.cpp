#include "services/controller/secret_reader.h"

#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

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
    const json* cached = secrets_.Find(key);
    if (cached && (!meta || ResourceVersion(*meta) == ResourceVersion(*cached))) return *cached;
    if (!meta) return absl::NotFoundError("secrets \"" + name + "\" not found");
  }
  // Changed since it was last read: read it live.
  auto secret = client_.Get(kSecrets, ns, name);
  if (secret.ok()) {
    std::lock_guard lock(mu_);
    secrets_.Put(key, *secret);
  }
  return secret;
}

void SecretReader::Written(const json& secret) {
  std::lock_guard lock(mu_);
  secrets_.Put(KeyOf(secret), secret);
}

void SecretReader::Deleted(const std::string& ns, const std::string& name) {
  const std::string key = ns + "/" + name;
  std::lock_guard lock(mu_);
  secrets_.Erase(key);
}

}  // namespace certforge::controller
