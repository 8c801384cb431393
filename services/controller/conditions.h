#pragma once
// Reading and setting status conditions the way cert-manager does: lastTransitionTime changes
// only when the status changes; observedGeneration follows the object.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "lib/core/time_format.h"

namespace certforge::controller {

// The condition of `type` in object.status.conditions, if any.
const nlohmann::json* FindCondition(const nlohmann::json& object, const std::string& type);
bool ConditionIs(const nlohmann::json& object, const std::string& type, const std::string& status);
std::string ConditionReason(const nlohmann::json& object, const std::string& type);

// Sets (or adds) a condition; returns whether anything changed. CertificateRequest conditions
// have no observedGeneration (their schema would prune it).
bool SetCondition(nlohmann::json& object, const std::string& type, const std::string& status,
                  const std::string& reason, const std::string& message, core::TimePoint now,
                  bool with_observed_generation = true);
// Returns whether it was there.
bool RemoveCondition(nlohmann::json& object, const std::string& type);

}  // namespace certforge::controller
