#pragma once
// The objects most recently written, exactly as committed: reading one of them again (every
// update and delete starts by reading what it changes) skips SQLite. Only committed writes enter,
// in commit order, so an entry is never older than the database; objects never written since
// the process started are not here and are read from SQLite. Bounded: at most two generations of
// `generation` objects.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lib/core/recent_map.h"
#include "services/local-apiserver/sqlite_store.h"

namespace certforge::apiserver {

class RecentObjects {
 public:
  explicit RecentObjects(size_t generation) : objects_(generation) {}

  std::optional<ObjectRecord> Find(const std::string& resource, const std::string& ns,
                                   const std::string& name);

  // The resourceVersion the next commit leaves the object at, if known here: its last staged
  // write, else its last committed one. kGone: that write deletes it. nullopt: ask SQLite.
  static constexpr int64_t kGone = 0;
  std::optional<int64_t> NextVersion(const std::string& resource, const std::string& ns,
                                     const std::string& name);

  // Called by the store's single writer: mutations staged into the open transaction, then the
  // transaction's end. Committed() publishes what was staged; Abandoned() forgets it.
  void Staged(const std::vector<Mutation>& mutations);
  void Committed();
  void Abandoned() { staged_.clear(); }

 private:
  static std::string Key(const std::string& resource, const std::string& ns,
                         const std::string& name);

  std::mutex mu_;
  core::RecentMap<std::shared_ptr<const ObjectRecord>> objects_;  // under mu_
  // Key and record (nullptr: deleted), in staging order; the writer's own.
  std::vector<std::pair<std::string, std::shared_ptr<const ObjectRecord>>> staged_;
};

}  // namespace certforge::apiserver
