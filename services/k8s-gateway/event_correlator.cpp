#include "services/k8s-gateway/event_correlator.h"

#include "absl/strings/str_cat.h"

namespace certforge::k8sgw {

std::string EventCorrelationKey(const kube::v1::EventRequest& request) {
  const auto& object = request.involved_object();
  std::string key;
  // Length-prefixed so that no choice of field contents can make two keys collide.
  for (const std::string* field :
       {&object.uid(), &object.kind(), &object.namespace_(), &object.name(), &request.type(),
        &request.reason(), &request.message(), &request.component()}) {
    absl::StrAppend(&key, field->size(), ":", *field, ";");
  }
  return key;
}

EventCorrelator::EventCorrelator(size_t capacity, std::chrono::seconds window)
    : capacity_(capacity > 0 ? capacity : 1), window_(window) {}

std::optional<EventCorrelator::Entry> EventCorrelator::Find(const std::string& key, TimePoint now) {
  auto it = index_.find(key);
  if (it == index_.end()) return std::nullopt;
  if (now - it->second->second.last_seen > window_) {
    Forget(key);
    return std::nullopt;
  }
  return it->second->second;
}

void EventCorrelator::Remember(const std::string& key, Entry entry) {
  auto it = index_.find(key);
  if (it != index_.end()) lru_.erase(it->second);
  lru_.emplace_front(key, std::move(entry));
  index_[key] = lru_.begin();
  while (index_.size() > capacity_) {
    index_.erase(lru_.back().first);
    lru_.pop_back();
  }
}

void EventCorrelator::Forget(const std::string& key) {
  auto it = index_.find(key);
  if (it == index_.end()) return;
  lru_.erase(it->second);
  index_.erase(it);
}

}  // namespace certforge::k8sgw
