#pragma once
// JSON merge patch (RFC 7386), as served for application/merge-patch+json.

#include <nlohmann/json.hpp>

namespace certforge::kube {

// Applies `patch` to `target`: null deletes a member, objects merge recursively, anything else
// (arrays, scalars, a non-object patch) replaces.
nlohmann::json ApplyMergePatch(const nlohmann::json& target, const nlohmann::json& patch);

// The smallest merge patch that turns `from` into `to`. RFC 7386 cannot express "set a member to
// null", so null members of `to` come out as deletions.
nlohmann::json CreateMergePatch(const nlohmann::json& from, const nlohmann::json& to);

}  // namespace certforge::kube
