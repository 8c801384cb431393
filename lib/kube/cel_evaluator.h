#pragma once
// Evaluates a parsed CEL expression with CEL's semantics for the subset: int64 overflow and
// division errors, heterogeneous numeric equality, and error absorption in &&, || and the
// all()/exists() macros.

#include <vector>

#include "absl/status/statusor.h"
#include "lib/kube/cel_ast.h"
#include "lib/kube/cel_value.h"

namespace certforge::kube {

class CelEvaluator {
 public:
  // `slots` holds the variables: [0] is self, the rest is used by comprehensions.
  explicit CelEvaluator(std::vector<CelValue>& slots) : slots_(slots) {}

  absl::StatusOr<CelValue> Evaluate(const CelNode& node);

 private:
  absl::StatusOr<CelValue> Select(const CelNode& node);
  absl::StatusOr<CelValue> Index(const CelNode& node);
  absl::StatusOr<CelValue> Has(const CelNode& node);
  absl::StatusOr<CelValue> Unary(const CelNode& node);
  absl::StatusOr<CelValue> Binary(const CelNode& node);
  absl::StatusOr<CelValue> Logical(const CelNode& node, bool is_and);
  absl::StatusOr<CelValue> Conditional(const CelNode& node);
  absl::StatusOr<CelValue> List(const CelNode& node);
  absl::StatusOr<CelValue> Call(const CelNode& node);
  absl::StatusOr<CelValue> Comprehension(const CelNode& node);

  std::vector<CelValue>& slots_;
};

}  // namespace certforge::kube
