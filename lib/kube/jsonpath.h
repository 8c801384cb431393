#pragma once
// Kubernetes JSONPath as used by CRD additionalPrinterColumns and `kubectl -o jsonpath`:
// .field, ['field.with.dots'], ["x"], [n] (negative from the end), [start:end[:step]], [*], .*,
// ..field, filters [?(@.a.b=="x")] with == != < > <= >= against string, number or boolean
// literals (or another @/$ path), and existence filters [?(@.a)].

#include <nlohmann/json.hpp>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/kube/jsonpath_ast.h"

namespace certforge::kube {

class JsonPath {
 public:
  // One expression, with or without surrounding {...}, optionally starting with $. "." alone is
  // the root. Templates with text, several expressions or range/end are InvalidArgumentError, as
  // are malformed expressions.
  static absl::StatusOr<JsonPath> Parse(std::string_view expression);

  // Every match, in document order for each step (object members in key order). Missing fields,
  // out-of-range indexes and incomparable filter operands match nothing rather than fail.
  std::vector<nlohmann::json> Evaluate(const nlohmann::json& root) const;

 private:
  explicit JsonPath(std::vector<jsonpath::Step> steps) : steps_(std::move(steps)) {}

  std::vector<jsonpath::Step> steps_;
};

}  // namespace certforge::kube
