#pragma once
// A compiled CEL expression from a CRD's x-kubernetes-validations, over the subset real CRDs use:
// has(), size(), field selection and indexing, ! && || ?:, == != < <= > >=, + - * / % on ints,
// `in`, string/int/double/bool/null/list literals, startsWith/endsWith/contains/matches,
// int()/double()/string(), and the all/exists/exists_one/map/filter macros.
// Expressions that reference oldSelf (transition rules) are refused as unsupported.

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::kube {

struct CelNode;

class CelExpression {
 public:
  // Parses once; the result is immutable and safe to evaluate from many threads.
  static absl::StatusOr<CelExpression> Parse(std::string_view source);

  // Evaluates a rule with `self` bound to `self`: the rule's verdict, or the runtime error
  // ("no such key: x", "integer overflow", "no such overload", ...).
  absl::StatusOr<bool> Evaluate(const nlohmann::json& self) const;
  // Evaluates to any value (messageExpression, tests).
  absl::StatusOr<nlohmann::json> EvaluateToJson(const nlohmann::json& self) const;

  const std::string& source() const { return source_; }

 private:
  CelExpression() = default;

  std::string source_;
  std::shared_ptr<const CelNode> root_;
  int slot_count_ = 1;
};

}  // namespace certforge::kube
