#include "services/controller/status_writer.h"

namespace certforge::controller {

void StatusWriter::UseCache(const kube::GroupVersionResource& gvr, const kube::Informer* informer) {
  caches_[gvr.resource] = informer;
}

absl::StatusOr<nlohmann::json> StatusWriter::Read(const kube::GroupVersionResource& gvr,
                                                  const std::string& ns, const std::string& name,
                                                  bool live) const {
  if (!live) {
    auto cache = caches_.find(gvr.resource);
    if (cache != caches_.end()) {
      if (auto cached = cache->second->Get(ns.empty() ? name : ns + "/" + name)) return *cached;
    }
  }
  return client_.Get(gvr, ns, name);
}

absl::StatusOr<nlohmann::json> StatusWriter::Update(
    const kube::GroupVersionResource& gvr, const std::string& ns, const std::string& name,
    const std::function<bool(nlohmann::json&)>& mutate) {
  constexpr int kAttempts = 8;
  absl::Status last;
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    auto object = Read(gvr, ns, name, /*live=*/attempt > 0);
    if (!object.ok()) return object.status();
    if (!mutate(*object)) return object;
    auto updated = client_.UpdateStatus(gvr, *object);
    if (updated.ok() || updated.status().code() != absl::StatusCode::kAborted) return updated;
    last = updated.status();  // someone else wrote in between: read again
  }
  return last;
}

}  // namespace certforge::controller
