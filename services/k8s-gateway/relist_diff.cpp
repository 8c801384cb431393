#include "services/k8s-gateway/relist_diff.h"

#include <algorithm>

#include "services/k8s-gateway/json_members.h"

namespace certforge::k8sgw {
namespace {

std::string MetadataString(const nlohmann::json& object, const char* field) {
  auto metadata = object.find("metadata");
  if (metadata == object.end() || !metadata->is_object()) return "";
  auto value = metadata->find(field);
  return value != metadata->end() && value->is_string() ? value->get<std::string>() : "";
}

kube::v1::WatchEvent MakeEvent(kube::v1::WatchEvent::Type type, std::string object_json,
                               const std::string& rv) {
  kube::v1::WatchEvent event;
  event.set_type(type);
  event.set_object_json(std::move(object_json));
  event.set_resource_version(rv);
  return event;
}

}  // namespace

std::string IndexKey(const nlohmann::json& object) {
  return MetadataString(object, "namespace") + "/" + MetadataString(object, "name");
}

std::string ResourceVersionOf(const nlohmann::json& object) {
  return MetadataString(object, "resourceVersion");
}

std::vector<kube::v1::WatchEvent> RelistDiff(const DeliveredIndex& delivered,
                                             const std::vector<std::string>& listed,
                                             const std::string& list_rv,
                                             const std::string& api_version,
                                             const std::string& kind, DeliveredIndex* next) {
  std::vector<kube::v1::WatchEvent> events;
  DeliveredIndex now;
  now.reserve(listed.size());
  for (const std::string& text : listed) {
    nlohmann::json head = ObjectHead(text);
    if (!head.is_object()) continue;
    std::string key = IndexKey(head);
    std::string rv = ResourceVersionOf(head);
    auto old = delivered.find(key);
    if (old == delivered.end()) {
      events.push_back(MakeEvent(kube::v1::WatchEvent::ADDED, text, rv));
    } else if (old->second != rv) {
      events.push_back(MakeEvent(kube::v1::WatchEvent::MODIFIED, text, rv));
    }
    now[key] = rv;
  }
  std::vector<std::string> gone;
  for (const auto& [key, rv] : delivered) {
    if (!now.contains(key)) gone.push_back(key);
  }
  std::sort(gone.begin(), gone.end());
  for (const std::string& key : gone) {
    size_t slash = key.find('/');
    nlohmann::json metadata = {{"name", key.substr(slash + 1)}, {"resourceVersion", list_rv}};
    if (slash > 0) metadata["namespace"] = key.substr(0, slash);
    nlohmann::json object = {{"apiVersion", api_version}, {"kind", kind}, {"metadata", metadata}};
    events.push_back(MakeEvent(kube::v1::WatchEvent::DELETED, object.dump(), list_rv));
  }
  if (next) *next = std::move(now);
  return events;
}

}  // namespace certforge::k8sgw
