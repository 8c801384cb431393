#pragma once
// A map that keeps only the most recently used entries, by string key.
//
// Two generations: a lookup that finds an entry in the old one moves it to the young one, and
// when the young one is full it becomes the old one (the previous old one is dropped). So at
// most 2 * generation entries are kept, with no per-entry bookkeeping. Not synchronized: callers
// lock.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace certforge::core {

template <typename V>
class RecentMap {
 public:
  explicit RecentMap(size_t generation) : generation_(generation) {}

  // The entry for `key`, or nullptr; valid until the next Put or Erase.
  const V* Find(std::string_view key) {
    absl::string_view k(key.data(), key.size());
    if (auto it = young_.find(k); it != young_.end()) return &it->second;
    auto it = old_.find(k);
    if (it == old_.end()) return nullptr;
    V value = std::move(it->second);  // Put may drop the old generation
    old_.erase(it);
    return &Put(std::string(key), std::move(value));
  }

  const V& Put(std::string key, V value) {
    if (young_.size() >= generation_ && !young_.contains(key)) {
      old_ = std::move(young_);
      young_.clear();
    }
    return young_.insert_or_assign(std::move(key), std::move(value)).first->second;
  }

  void Erase(const std::string& key) {
    young_.erase(key);
    old_.erase(key);
  }

 private:
  size_t generation_;
  absl::flat_hash_map<std::string, V> young_, old_;
};

}  // namespace certforge::core
