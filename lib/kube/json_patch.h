#pragma once
// JSON patch (RFC 6902) with RFC 6901 pointers, as served for application/json-patch+json.

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"

namespace certforge::kube {

// Applies the operations in order to a copy of `doc`; either all apply or none.
// A malformed patch document (not an array, an unknown op, a missing or mistyped path, from or
// value, a pointer without its leading "/" or with a bad "~" escape) is InvalidArgumentError; an
// operation that cannot apply (missing target, failed test, index out of range) is
// FailedPreconditionError naming the operation's index, op and path.
absl::StatusOr<nlohmann::json> ApplyJsonPatch(const nlohmann::json& doc, const nlohmann::json& ops);

}  // namespace certforge::kube
