#include "services/controller/conditions.h"

namespace certforge::controller {

using nlohmann::json;

const json* FindCondition(const json& object, const std::string& type) {
  auto status = object.find("status");
  if (status == object.end() || !status->is_object()) return nullptr;
  auto conditions = status->find("conditions");
  if (conditions == status->end() || !conditions->is_array()) return nullptr;
  for (const auto& c : *conditions) {
    if (c.is_object() && c.value("type", "") == type) return &c;
  }
  return nullptr;
}

bool ConditionIs(const json& object, const std::string& type, const std::string& status) {
  const json* c = FindCondition(object, type);
  return c != nullptr && c->value("status", "") == status;
}

std::string ConditionReason(const json& object, const std::string& type) {
  const json* c = FindCondition(object, type);
  return c ? c->value("reason", "") : "";
}

bool SetCondition(json& object, const std::string& type, const std::string& status,
                  const std::string& reason, const std::string& message, core::TimePoint now,
                  bool with_observed_generation) {
  json& conditions = object["status"]["conditions"];
  if (!conditions.is_array()) conditions = json::array();
  const json* metadata = object.contains("metadata") ? &object["metadata"] : nullptr;
  int64_t generation =
      metadata && metadata->is_object() ? metadata->value("generation", int64_t{0}) : 0;
  json updated = {{"type", type},
                  {"status", status},
                  {"reason", reason},
                  {"message", message},
                  {"lastTransitionTime", core::FormatRfc3339(now)}};
  if (with_observed_generation && generation > 0) updated["observedGeneration"] = generation;
  for (auto& c : conditions) {
    if (!c.is_object() || c.value("type", "") != type) continue;
    if (c.value("status", "") == status) {
      // Same status: keep when it last changed.
      updated["lastTransitionTime"] = c.value("lastTransitionTime", updated["lastTransitionTime"]);
    }
    if (c == updated) return false;
    c = std::move(updated);
    return true;
  }
  conditions.push_back(std::move(updated));
  return true;
}

bool RemoveCondition(json& object, const std::string& type) {
  auto status = object.find("status");
  if (status == object.end() || !status->is_object()) return false;
  auto conditions = status->find("conditions");
  if (conditions == status->end() || !conditions->is_array()) return false;
  for (auto it = conditions->begin(); it != conditions->end(); ++it) {
    if (it->is_object() && it->value("type", "") == type) {
      conditions->erase(it);
      return true;
    }
  }
  return false;
}

}  // namespace certforge::controller
