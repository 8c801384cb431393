#pragma once
// The server's own controllers for deletion: owner-reference garbage collection (background,
// foreground and orphan propagation), namespace termination, CRD cleanup, and event expiry.
// Level-triggered: each sweep derives its work from the store, so a crash loses nothing. Between
// the periodic full sweeps, a deletion only has the deleted object's dependents looked at: a full
// scan for missing owners after every deletion cost a busy server more than the deletions.

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "services/local-apiserver/registry.h"

namespace certforge::apiserver {

class GarbageCollector {
 public:
  GarbageCollector(Registry& registry, ResourceCatalog& catalog, std::chrono::seconds event_ttl);
  ~GarbageCollector() { Stop(); }

  void Start();
  void Stop();
  // Registry observer: a deletion (or a deletion started) wakes the collector.
  void OnCommit(const CommittedChange& change);
  // One full pass (also what the background thread runs).
  void Sweep();

 private:
  void Loop();
  void CollectDependentsOf(const std::vector<std::string>& owner_uids);
  void ProcessDeleting();
  void FinishNamespace(const ObjectRecord& ns);
  void FinishCrd(const ObjectRecord& crd);
  void FinishOrphan(const ObjectRecord& owner, const ResourceType& type);
  void FinishForeground(const ObjectRecord& owner, const ResourceType& type);
  void ExpireEvents();
  // Deletes every object of `type` (in `ns`, or all when empty); returns how many remain.
  size_t DeleteAll(const ResourceTypePtr& type, const std::string& ns);
  void RemoveFinalizer(const ResourceTypePtr& type, const ObjectRecord& record,
                       const std::string& finalizer);

  Registry& registry_;
  ResourceCatalog& catalog_;
  std::chrono::seconds event_ttl_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool wake_ = false;
  std::vector<std::string> deleted_uids_;  // owners deleted since the last pass
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace certforge::apiserver
