#include "services/local-apiserver/garbage_collector.h"

#include <algorithm>

#include "lib/kube/json_parse.h"
#include "services/local-apiserver/builtin_strategies.h"
#include "services/local-apiserver/crd_strategy.h"
#include "spdlog/spdlog.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

constexpr auto kSweepInterval = std::chrono::seconds(5);

bool HasFinalizer(const json& object, const std::string& finalizer) {
  const json& meta = object["metadata"];
  if (!meta.contains("finalizers")) return false;
  const json& list = meta["finalizers"];
  return std::find(list.begin(), list.end(), finalizer) != list.end();
}

void LogFailure(const absl::Status& s, const std::string& what) {
  if (!s.ok() && s.code() != absl::StatusCode::kNotFound) {
    spdlog::warn("garbage collector: {}: {}", what, std::string(s.message()));
  }
}

}  // namespace

GarbageCollector::GarbageCollector(Registry& registry, ResourceCatalog& catalog,
                                   std::chrono::seconds event_ttl)
    : registry_(registry), catalog_(catalog), event_ttl_(event_ttl) {}

void GarbageCollector::Start() { thread_ = std::thread([this] { Loop(); }); }

void GarbageCollector::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void GarbageCollector::OnCommit(const CommittedChange& change) {
  bool deleted = change.type == ChangeType::kDeleted;
  if (!deleted && !change.object["metadata"].contains("deletionTimestamp")) return;
  {
    std::lock_guard lock(mu_);
    wake_ = true;
    // Bounded: should the collector fall behind, the next full sweep finds them all anyway.
    if (deleted && deleted_uids_.size() < 100000) {
      deleted_uids_.push_back(change.object["metadata"].value("uid", ""));
    }
  }
  cv_.notify_all();
}

void GarbageCollector::Loop() {
  auto next_sweep = std::chrono::steady_clock::now() + kSweepInterval;
  while (true) {
    std::vector<std::string> deleted;
    {
      std::unique_lock lock(mu_);
      cv_.wait_until(lock, next_sweep, [&] { return stop_ || wake_; });
      if (stop_) return;
      wake_ = false;
      deleted.swap(deleted_uids_);
    }
    // However busy the server, the full sweep runs on time.
    if (std::chrono::steady_clock::now() >= next_sweep) {
      Sweep();
      next_sweep = std::chrono::steady_clock::now() + kSweepInterval;
      continue;
    }
    try {
      CollectDependentsOf(deleted);
      ProcessDeleting();
    } catch (const std::exception& e) {
      spdlog::error("garbage collector: {}", e.what());
    }
  }
}

void GarbageCollector::Sweep() {
  try {
    auto missing = registry_.store().MissingOwners();
    if (missing.ok()) {
      CollectDependentsOf(*missing);
    } else {
      LogFailure(missing.status(), "missing owners");
    }
    ProcessDeleting();
    ExpireEvents();
  } catch (const std::exception& e) {
    spdlog::error("garbage collector: {}", e.what());
  }
}

// Owners that no longer exist: their dependents go, or lose the dangling reference.
void GarbageCollector::CollectDependentsOf(const std::vector<std::string>& owner_uids) {
  SqliteStore& store = registry_.store();
  for (const std::string& owner_uid : owner_uids) {
    if (owner_uid.empty()) continue;
    auto dependents = store.Dependents(owner_uid);
    if (!dependents.ok()) continue;
    for (const DependentRef& dep : *dependents) {
      ResourceTypePtr type = catalog_.FindByStorageKey(dep.resource);
      if (!type) continue;
      ObjectScope scope{type, dep.ns, dep.name, ""};
      auto record = store.Get(dep.resource, dep.ns, dep.name);
      if (!record.ok() || !record->has_value()) continue;
      json object = kube::ParseJson((*record)->body);
      bool any_owner_left = false;
      for (const auto& ref : object["metadata"].value("ownerReferences", json::array())) {
        auto exists = store.UidExists(ref.value("uid", ""));
        if (exists.ok() && *exists) any_owner_left = true;
      }
      if (!any_owner_left) {
        auto result = registry_.Delete(scope, DeleteOptions{});
        LogFailure(result.status(), "delete dependent " + dep.name);
        continue;
      }
      // Some owners remain: only the dangling reference goes.
      LogFailure(registry_.Mutate(scope,
                                  [&](json& o) {
                                    json& refs = o["metadata"]["ownerReferences"];
                                    auto before = refs.size();
                                    refs.erase(std::remove_if(refs.begin(), refs.end(),
                                                              [&](const json& r) {
                                                                return r.value("uid", "") ==
                                                                       owner_uid;
                                                              }),
                                               refs.end());
                                    return refs.size() != before;
                                  }),
                 "drop dangling owner reference of " + dep.name);
    }
  }
}

void GarbageCollector::ProcessDeleting() {
  auto deleting = registry_.store().Deleting();
  if (!deleting.ok()) return LogFailure(deleting.status(), "list deleting objects");
  for (const ObjectRecord& record : *deleting) {
    ResourceTypePtr type = catalog_.FindByStorageKey(record.resource);
    if (!type) continue;
    json object = kube::ParseJson(record.body);
    if (record.resource == "namespaces") {
      FinishNamespace(record);
    } else if (record.resource == "customresourcedefinitions.apiextensions.k8s.io" &&
               HasFinalizer(object, kCrdCleanupFinalizer)) {
      FinishCrd(record);
    }
    if (HasFinalizer(object, kOrphanFinalizer)) FinishOrphan(record, *type);
    if (HasFinalizer(object, kForegroundFinalizer)) FinishForeground(record, *type);
  }
}

size_t GarbageCollector::DeleteAll(const ResourceTypePtr& type, const std::string& ns) {
  std::vector<std::pair<std::string, std::string>> keys;
  ListQuery query{type->StorageKey(), ns, "", "", 0};
  auto rev = registry_.store().List(query, [&](ObjectRecord&& r) {
    if (!r.deleting) keys.emplace_back(r.ns, r.name);
    return true;
  });
  size_t remaining = 0;
  registry_.store().List(query, [&](ObjectRecord&&) {
    ++remaining;
    return true;
  }).IgnoreError();
  for (const auto& [object_ns, name] : keys) {
    auto result = registry_.Delete({type, object_ns, name, ""}, DeleteOptions{});
    LogFailure(result.status(), "delete " + name);
    if (result.ok() && result->gone) --remaining;
  }
  return remaining;
}

void GarbageCollector::FinishNamespace(const ObjectRecord& ns) {
  json object = kube::ParseJson(ns.body);
  json spec_finalizers = object.value("spec", json::object()).value("finalizers", json::array());
  if (std::find(spec_finalizers.begin(), spec_finalizers.end(), kNamespaceFinalizer) ==
      spec_finalizers.end()) {
    return;
  }
  auto resources = registry_.store().ResourcesInNamespace(ns.name);
  if (!resources.ok()) return LogFailure(resources.status(), "contents of " + ns.name);
  size_t remaining = 0;
  for (const std::string& resource : *resources) {
    ResourceTypePtr type = catalog_.FindByStorageKey(resource);
    if (type) remaining += DeleteAll(type, ns.name);
  }
  if (remaining > 0) return;  // finalizers of the contents are still pending
  ResourceTypePtr ns_type = catalog_.Find("", "v1", "namespaces");
  LogFailure(registry_.Mutate({ns_type, "", ns.name, ""},
                              [](json& o) {
                                json& list = o["spec"]["finalizers"];
                                list.erase(std::remove(list.begin(), list.end(),
                                                       kNamespaceFinalizer),
                                           list.end());
                                return true;
                              }),
             "finalize namespace " + ns.name);
}

void GarbageCollector::FinishCrd(const ObjectRecord& crd) {
  json object = kube::ParseJson(crd.body);
  const json& spec = object["spec"];
  std::string group = spec.value("group", "");
  std::string plural = spec["names"].value("plural", "");
  ResourceTypePtr type = catalog_.FindByStorageKey(plural + "." + group);
  size_t remaining = type ? DeleteAll(type, "") : 0;
  if (remaining > 0) return;
  RemoveFinalizer(catalog_.Find("apiextensions.k8s.io", "v1", "customresourcedefinitions"), crd,
                  kCrdCleanupFinalizer);
}

void GarbageCollector::FinishOrphan(const ObjectRecord& owner, const ResourceType& type) {
  auto dependents = registry_.store().Dependents(owner.uid);
  if (!dependents.ok()) return;
  for (const DependentRef& dep : *dependents) {
    ResourceTypePtr dep_type = catalog_.FindByStorageKey(dep.resource);
    if (!dep_type) continue;
    LogFailure(registry_.Mutate({dep_type, dep.ns, dep.name, ""},
                                [&](json& o) {
                                  json& refs = o["metadata"]["ownerReferences"];
                                  refs.erase(std::remove_if(refs.begin(), refs.end(),
                                                            [&](const json& r) {
                                                              return r.value("uid", "") ==
                                                                     owner.uid;
                                                            }),
                                             refs.end());
                                  return true;
                                }),
               "orphan " + dep.name);
  }
  RemoveFinalizer(catalog_.FindByStorageKey(type.StorageKey()), owner, kOrphanFinalizer);
}

void GarbageCollector::FinishForeground(const ObjectRecord& owner, const ResourceType& type) {
  auto dependents = registry_.store().Dependents(owner.uid);
  if (!dependents.ok()) return;
  for (const DependentRef& dep : *dependents) {
    ResourceTypePtr dep_type = catalog_.FindByStorageKey(dep.resource);
    if (!dep_type) continue;
    DeleteOptions options;
    options.propagation = "Foreground";
    LogFailure(registry_.Delete({dep_type, dep.ns, dep.name, ""}, options).status(),
               "delete dependent " + dep.name);
  }
  auto left = registry_.store().Dependents(owner.uid);
  if (left.ok() && left->empty()) {
    RemoveFinalizer(catalog_.FindByStorageKey(type.StorageKey()), owner, kForegroundFinalizer);
  }
}

void GarbageCollector::RemoveFinalizer(const ResourceTypePtr& type, const ObjectRecord& record,
                                       const std::string& finalizer) {
  if (!type) return;
  LogFailure(registry_.Mutate({type, record.ns, record.name, ""},
                              [&](json& o) {
                                json& list = o["metadata"]["finalizers"];
                                auto before = list.size();
                                list.erase(std::remove(list.begin(), list.end(), finalizer),
                                           list.end());
                                return list.size() != before;
                              }),
             "remove finalizer " + finalizer + " of " + record.name);
}

void GarbageCollector::ExpireEvents() {
  ResourceTypePtr events = catalog_.Find("", "v1", "events");
  if (!events) return;
  auto cutoff = std::chrono::duration_cast<std::chrono::seconds>(
                    (std::chrono::system_clock::now() - event_ttl_).time_since_epoch())
                    .count();
  auto expired = registry_.store().CreatedBefore("events", cutoff);
  if (!expired.ok()) return;
  for (const DependentRef& e : *expired) {
    LogFailure(registry_.Delete({events, e.ns, e.name, ""}, DeleteOptions{}).status(),
               "expire event " + e.name);
  }
}

}  // namespace certforge::apiserver
