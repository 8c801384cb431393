#pragma once
// A watched, cached view of one collection through the KubeGateway, as controllers need it:
// list-then-watch, reconnects by itself (relisting, with deletions for what vanished), event
// handlers, and secondary indexes. The cache keeps each object as its compact JSON text (or only
// its metadata), not as a parsed tree: memory stays close to the size of the data itself.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "lib/kube/gateway_client.h"

namespace certforge::kube {

struct InformerEvent {
  enum class Type { kAdded, kUpdated, kDeleted };
  Type type;
  std::string key;  // "namespace/name", or "name" for cluster-scoped objects
  std::shared_ptr<const nlohmann::json> object;
};

class Informer {
 public:
  enum class Cache {
    kFull,      // whole objects
    kMetadata,  // apiVersion, kind and metadata only (e.g. Secrets: fetch data live when needed)
  };
  struct Options {
    GroupVersionResource gvr;
    std::string ns;  // "" = all namespaces
    std::string label_selector;
    std::string field_selector;
    Cache cache = Cache::kFull;
    std::chrono::milliseconds retry_min{200};
    std::chrono::milliseconds retry_max{10000};
    // How many objects also stay parsed, the most recently changed or read: reconcilers read
    // the same few objects over and over while they work on them.
    size_t keep_parsed = 1024;
  };
  using Handler = std::function<void(const InformerEvent&)>;
  using IndexFunc = std::function<std::vector<std::string>(const nlohmann::json& object)>;

  Informer(GatewayClient& client, Options options);
  ~Informer();

  // Both before Start.
  void AddHandler(Handler handler);
  void AddIndex(const std::string& name, IndexFunc index);

  void Start();
  void Stop();
  bool WaitForSync(std::chrono::milliseconds timeout);
  bool synced() const { return synced_; }

  static std::string KeyOf(const nlohmann::json& object);
  // Immutable and possibly shared with other callers (see Options::keep_parsed).
  std::shared_ptr<const nlohmann::json> Get(const std::string& key) const;
  std::vector<std::shared_ptr<const nlohmann::json>> List() const;
  std::vector<std::string> Keys() const;
  std::vector<std::string> KeysByIndex(const std::string& index, const std::string& value) const;
  std::vector<std::shared_ptr<const nlohmann::json>> ByIndex(const std::string& index,
                                                             const std::string& value) const;
  size_t size() const;

 private:
  struct Entry {
    std::string rv;
    std::string text;  // compact JSON
    // Kept while among the keep_parsed most recent; a cache, so Get (const) may set it.
    mutable std::shared_ptr<const nlohmann::json> parsed;
    mutable uint64_t parsed_seq = 0;  // which slot of parsed_order_ gave it
    std::map<std::string, std::vector<std::string>> index_values;
  };
  void Run();
  void Apply(GatewayWatchEvent& event, std::set<std::string>* listed);
  void Put(const std::string& key, std::shared_ptr<const nlohmann::json> object, std::string text);
  void RemoveLocked(const std::string& key);
  void KeepParsedLocked(const std::string& key, const Entry& entry,
                        std::shared_ptr<const nlohmann::json> parsed) const;
  void Notify(const InformerEvent& event);

  GatewayClient& client_;
  Options options_;
  std::vector<Handler> handlers_;
  std::map<std::string, IndexFunc> indexers_;
  mutable std::mutex mu_;
  std::condition_variable synced_cv_;
  std::map<std::string, Entry> items_;
  // Keys given a parsed copy, oldest first, with the copy's sequence number: a key parsed again
  // since has a stale slot here, which evicts nothing.
  mutable std::deque<std::pair<std::string, uint64_t>> parsed_order_;
  mutable uint64_t parsed_seq_ = 0;
  mutable size_t parsed_count_ = 0;  // entries holding a parsed copy
  std::map<std::string, std::map<std::string, std::set<std::string>>> indexes_;  // name→value→keys
  std::atomic<bool> synced_{false};
  std::atomic<bool> stop_{false};
  GatewayClient::WatchCanceller canceller_;
  std::thread thread_;
};

}  // namespace certforge::kube
