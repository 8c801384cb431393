#include "services/controller/secret_reader.h"

#include "absl/algorithm/container.h"
#include "lib/kube/json_fields.h"
#include "services/controller/resources.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

std::string ResourceVersion(const json& object) {
  return kube::ObjectAt(object, "metadata").value("resourceVersion", "");
}

std::string KeyOf(const json& secret) {
  const json& meta = kube::ObjectAt(secret, "metadata");
  return meta.value("namespace", "") + "/" + meta.value("name", "");
}

}  // namespace

SecretReader::WriteInFlight::WriteInFlight(SecretReader& reader, std::string key)
    : reader_(reader), key_(std::move(key)) {
  std::lock_guard lock(reader_.mu_);
  ++reader_.writing_[key_];
}

SecretReader::WriteInFlight::~WriteInFlight() {
  {
    std::lock_guard lock(reader_.mu_);
    if (--reader_.writing_[key_] == 0) reader_.writing_.erase(key_);
  }
  reader_.write_done_.notify_all();
}

absl::StatusOr<std::shared_ptr<const json>> SecretReader::Get(const std::string& ns,
                                                              const std::string& name) {
  const std::string key = ns + "/" + name;
  {
    // The writer's result is the newest copy; a write that hangs is not waited for long.
    std::unique_lock lock(mu_);
    write_done_.wait_for(lock, std::chrono::seconds(5), [&] { return !writing_.contains(key); });
  }
  auto meta = metadata_.Get(key);
  {
    std::lock_guard lock(mu_);
    if (const auto* gone = deleted_.Find(key)) {
      if (!meta || absl::c_linear_search(*gone, ResourceVersion(*meta))) {
        return absl::NotFoundError("secrets \"" + name + "\" not found");
      }
      deleted_.Erase(key);  // created again since
    }
    const auto* cached = secrets_.Find(key);
    if (cached && (!meta || ResourceVersion(*meta) == ResourceVersion(**cached))) return *cached;
    if (!meta) return absl::NotFoundError("secrets \"" + name + "\" not found");
  }
  // Changed since it was last read: read it live.
  auto secret = client_.Get(kSecrets, ns, name);
  if (!secret.ok()) return secret.status();
  auto shared = std::make_shared<const json>(std::move(*secret));
  std::lock_guard lock(mu_);
  secrets_.Put(key, shared);
  return shared;
}

void SecretReader::Written(const json& secret) {
  std::string key = KeyOf(secret);
  std::lock_guard lock(mu_);
  deleted_.Erase(key);
  secrets_.Put(std::move(key), std::make_shared<const json>(secret));
}

void SecretReader::Deleted(const std::string& ns, const std::string& name) {
  const std::string key = ns + "/" + name;
  std::vector<std::string> versions;
  if (auto meta = metadata_.Get(key)) versions.push_back(ResourceVersion(*meta));
  std::lock_guard lock(mu_);
  if (const auto* cached = secrets_.Find(key)) versions.push_back(ResourceVersion(**cached));
  secrets_.Erase(key);
  deleted_.Put(key, std::move(versions));
}

}  // namespace certforge::controller
