#pragma once
// The CEL subset's operators and functions on runtime values, with cel-go's error texts
// ("no such overload", "integer overflow", "division by zero", ...).

#include <cstdint>
#include <regex>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/kube/cel_ast.h"
#include "lib/kube/cel_value.h"

namespace certforge::kube::cel {

absl::Status NoSuchOverload();
absl::Status Overflow();

// + - * / % on two ints (checked) or two doubles.
absl::StatusOr<CelValue> IntArithmetic(CelOp op, int64_t a, int64_t b);
absl::StatusOr<CelValue> DoubleArithmetic(CelOp op, double a, double b);
// -1, 0 or 1 for ordered kinds (numbers across int and double, strings, bools).
absl::StatusOr<int> Compare(const CelValue& a, const CelValue& b);
// `element in container` for lists (equality) and maps (keys).
absl::StatusOr<CelValue> Contains(const CelValue& container, const CelValue& element);
absl::StatusOr<CelValue> ConvertToInt(const CelValue& value);
absl::StatusOr<CelValue> ConvertToDouble(const CelValue& value);
absl::StatusOr<CelValue> ConvertToString(const CelValue& value);
// RE2-style partial match; `compiled` is the pattern compiled at parse time, when it was literal.
absl::StatusOr<bool> RegexSearch(const std::regex* compiled, std::string_view text,
                                 std::string_view pattern);

}  // namespace certforge::kube::cel
