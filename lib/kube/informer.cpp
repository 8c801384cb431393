#include "lib/kube/informer.h"

#include "lib/kube/json_parse.h"
#include "spdlog/spdlog.h"

namespace certforge::kube {
namespace {

using nlohmann::json;

json MetadataOnly(const json& object) {
  json out = {{"apiVersion", object.value("apiVersion", "")},
              {"kind", object.value("kind", "")},
              {"metadata", object.value("metadata", json::object())}};
  out["metadata"].erase("managedFields");
  return out;
}

}  // namespace

Informer::Informer(GatewayClient& client, Options options)
    : client_(client), options_(std::move(options)) {}

Informer::~Informer() { Stop(); }

void Informer::AddHandler(Handler handler) { handlers_.push_back(std::move(handler)); }

void Informer::AddIndex(const std::string& name, IndexFunc index) {
  indexers_[name] = std::move(index);
}

void Informer::Start() {
  thread_ = std::thread([this] { Run(); });
}

void Informer::Stop() {
  stop_ = true;
  canceller_.Cancel();
  if (thread_.joinable()) thread_.join();
}

bool Informer::WaitForSync(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mu_);
  return synced_cv_.wait_for(lock, timeout, [&] { return synced_.load(); });
}

std::string Informer::KeyOf(const json& object) {
  const json& meta = object.at("metadata");
  std::string ns = meta.value("namespace", "");
  std::string name = meta.value("name", "");
  return ns.empty() ? name : ns + "/" + name;
}

void Informer::Run() {
  auto delay = options_.retry_min;
  while (!stop_) {
    GatewayClient::WatchOptions watch;
    watch.label_selector = options_.label_selector;
    watch.field_selector = options_.field_selector;
    watch.list_first = true;
    std::set<std::string> listed;
    bool listing = true;
    auto status = client_.Watch(
        options_.gvr, options_.ns, watch,
        [&](GatewayWatchEvent& event) {
          if (event.initial_events_end) {
            // The (re)list is complete: whatever it did not mention is gone.
            std::vector<std::string> vanished;
            {
              std::lock_guard lock(mu_);
              for (const auto& [key, entry] : items_) {
                if (!listed.count(key)) vanished.push_back(key);
              }
            }
            for (const auto& key : vanished) {
              std::shared_ptr<const json> last = Get(key);
              {
                std::lock_guard lock(mu_);
                RemoveLocked(key);
              }
              if (last) Notify({InformerEvent::Type::kDeleted, key, last});
            }
            listing = false;
            {
              std::lock_guard lock(mu_);
              synced_ = true;
            }
            synced_cv_.notify_all();
            delay = options_.retry_min;
            return !stop_;
          }
          Apply(event, listing ? &listed : nullptr);
          return !stop_;
        },
        &canceller_);
    if (stop_) return;
    spdlog::warn("watch of {} ended ({}); retrying in {} ms", options_.gvr.resource,
                 std::string(status.message()), delay.count());
    std::this_thread::sleep_for(delay);
    delay = std::min(delay * 2, options_.retry_max);
  }
}

void Informer::Apply(GatewayWatchEvent& event, std::set<std::string>* listed) {
  if (event.type == v1::WatchEvent::BOOKMARK || !event.object.is_object()) return;
  std::string key = KeyOf(event.object);
  if (listed) listed->insert(key);
  // Kept as the gateway relayed it unless trimmed: encoding it again costs as much as parsing.
  std::string text;
  std::shared_ptr<const json> object;
  if (options_.cache == Cache::kMetadata) {
    object = std::make_shared<const json>(MetadataOnly(event.object));
  } else {
    object = std::make_shared<const json>(std::move(event.object));
    text = std::move(event.object_json);
  }
  if (event.type == v1::WatchEvent::DELETED) {
    bool known;
    {
      std::lock_guard lock(mu_);
      known = items_.count(key) > 0;
      RemoveLocked(key);
    }
    if (known) Notify({InformerEvent::Type::kDeleted, key, object});
    return;
  }
  std::string rv = (*object)["metadata"].value("resourceVersion", "");
  InformerEvent::Type type = InformerEvent::Type::kAdded;
  {
    std::lock_guard lock(mu_);
    auto it = items_.find(key);
    if (it != items_.end()) {
      if (it->second.rv == rv) return;  // a relist repeating what we have
      type = InformerEvent::Type::kUpdated;
    }
  }
  Put(key, object, std::move(text));
  Notify({type, key, object});
}

void Informer::Put(const std::string& key, std::shared_ptr<const json> object, std::string text) {
  if (text.empty()) text = object->dump();
  Entry entry{(*object)["metadata"].value("resourceVersion", ""), std::move(text), nullptr, {}};
  for (const auto& [name, fn] : indexers_) entry.index_values[name] = fn(*object);
  std::lock_guard lock(mu_);
  RemoveLocked(key);
  for (const auto& [name, values] : entry.index_values) {
    for (const auto& v : values) indexes_[name][v].insert(key);
  }
  Entry& stored = items_[key] = std::move(entry);
  KeepParsedLocked(key, stored, std::move(object));
}

void Informer::KeepParsedLocked(const std::string& key, const Entry& entry,
                                std::shared_ptr<const json> parsed) const {
  if (options_.keep_parsed == 0) return;
  if (!entry.parsed) ++parsed_count_;
  entry.parsed = std::move(parsed);
  entry.parsed_seq = ++parsed_seq_;
  parsed_order_.emplace_back(key, entry.parsed_seq);
  // Every parsed copy has one live slot, so this stops; stale slots are bounded too.
  while (parsed_count_ > options_.keep_parsed || parsed_order_.size() > 4 * options_.keep_parsed) {
    const auto& [oldest_key, seq] = parsed_order_.front();
    auto oldest = items_.find(oldest_key);
    if (oldest != items_.end() && oldest->second.parsed && oldest->second.parsed_seq == seq) {
      oldest->second.parsed.reset();
      --parsed_count_;
    }
    parsed_order_.pop_front();
  }
}

void Informer::RemoveLocked(const std::string& key) {
  auto it = items_.find(key);
  if (it == items_.end()) return;
  if (it->second.parsed) --parsed_count_;
  for (const auto& [name, values] : it->second.index_values) {
    for (const auto& v : values) {
      auto& keys = indexes_[name][v];
      keys.erase(key);
      if (keys.empty()) indexes_[name].erase(v);
    }
  }
  items_.erase(it);
}

void Informer::Notify(const InformerEvent& event) {
  for (const auto& handler : handlers_) handler(event);
}

std::shared_ptr<const json> Informer::Get(const std::string& key) const {
  std::string text, rv;
  {
    std::lock_guard lock(mu_);
    auto it = items_.find(key);
    if (it == items_.end()) return nullptr;
    if (it->second.parsed) return it->second.parsed;
    text = it->second.text;
    rv = it->second.rv;
  }
  auto parsed = std::make_shared<const json>(kube::ParseJson(text));
  std::lock_guard lock(mu_);
  auto it = items_.find(key);
  if (it != items_.end() && it->second.rv == rv && !it->second.parsed) {
    KeepParsedLocked(key, it->second, parsed);
  }
  return parsed;
}

std::vector<std::shared_ptr<const json>> Informer::List() const {
  std::vector<std::string> texts;
  {
    std::lock_guard lock(mu_);
    for (const auto& [key, entry] : items_) texts.push_back(entry.text);
  }
  std::vector<std::shared_ptr<const json>> out;
  for (const auto& t : texts) out.push_back(std::make_shared<const json>(kube::ParseJson(t)));
  return out;
}

std::vector<std::string> Informer::Keys() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [key, entry] : items_) out.push_back(key);
  return out;
}

std::vector<std::string> Informer::KeysByIndex(const std::string& index,
                                               const std::string& value) const {
  std::lock_guard lock(mu_);
  auto by_name = indexes_.find(index);
  if (by_name == indexes_.end()) return {};
  auto keys = by_name->second.find(value);
  if (keys == by_name->second.end()) return {};
  return {keys->second.begin(), keys->second.end()};
}

std::vector<std::shared_ptr<const json>> Informer::ByIndex(const std::string& index,
                                                           const std::string& value) const {
  std::vector<std::shared_ptr<const json>> out;
  for (const auto& key : KeysByIndex(index, value)) {
    if (auto object = Get(key)) out.push_back(std::move(object));
  }
  return out;
}

size_t Informer::size() const {
  std::lock_guard lock(mu_);
  return items_.size();
}

}  // namespace certforge::kube
