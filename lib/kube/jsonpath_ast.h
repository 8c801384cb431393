#pragma once
// Parsed form of a Kubernetes JSONPath expression.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace certforge::kube::jsonpath {

struct Filter;

struct Step {
  enum class Kind {
    kFields,     // .name, ['a'], ['a','b']
    kWildcard,   // .*, [*]
    kIndex,      // [n], negative counts from the end
    kSlice,      // [start:end:step]
    kFilter,     // [?(...)]
    kRecursive,  // .. (applies to the step after it)
  };
  Kind kind = Kind::kFields;
  std::vector<std::string> names;
  int64_t index = 0;
  std::optional<int64_t> start;
  std::optional<int64_t> end;
  int64_t step = 1;
  std::shared_ptr<const Filter> filter;
};

struct Operand {
  enum class Kind { kCurrent, kRoot, kLiteral };  // @path, $path, "text" / 12 / true
  Kind kind = Kind::kLiteral;
  std::vector<Step> path;
  nlohmann::json literal;
};

struct Filter {
  Operand left;
  std::string op;  // "==", "!=", "<", ">", "<=", ">="; empty tests that `left` exists
  Operand right;
};

}  // namespace certforge::kube::jsonpath
