#include "lib/kube/cel_builtins.h"

#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "absl/strings/str_cat.h"
#include "lib/kube/go_format.h"
#include "lib/kube/text_util.h"

namespace certforge::kube::cel {

using Kind = CelValue::Kind;

absl::Status NoSuchOverload() { return absl::InvalidArgumentError("no such overload"); }
absl::Status Overflow() { return absl::InvalidArgumentError("integer overflow"); }

absl::StatusOr<CelValue> IntArithmetic(CelOp op, int64_t a, int64_t b) {
  int64_t result = 0;
  switch (op) {
    case CelOp::kAdd:
      if (__builtin_add_overflow(a, b, &result)) return Overflow();
      return CelValue::Int(result);
    case CelOp::kSubtract:
      if (__builtin_sub_overflow(a, b, &result)) return Overflow();
      return CelValue::Int(result);
    case CelOp::kMultiply:
      if (__builtin_mul_overflow(a, b, &result)) return Overflow();
      return CelValue::Int(result);
    case CelOp::kDivide:
      if (b == 0) return absl::InvalidArgumentError("division by zero");
      if (a == std::numeric_limits<int64_t>::min() && b == -1) return Overflow();
      return CelValue::Int(a / b);
    case CelOp::kModulo:
      if (b == 0) return absl::InvalidArgumentError("modulus by zero");
      if (a == std::numeric_limits<int64_t>::min() && b == -1) return Overflow();
      return CelValue::Int(a % b);
    default:
      return NoSuchOverload();
  }
}

absl::StatusOr<CelValue> DoubleArithmetic(CelOp op, double a, double b) {
  switch (op) {
    case CelOp::kAdd:
      return CelValue::Double(a + b);
    case CelOp::kSubtract:
      return CelValue::Double(a - b);
    case CelOp::kMultiply:
      return CelValue::Double(a * b);
    case CelOp::kDivide:
      return CelValue::Double(a / b);
    default:
      return NoSuchOverload();
  }
}

// -1, 0 or 1; NoSuchOverload for kinds without an order.
absl::StatusOr<int> Compare(const CelValue& a, const CelValue& b) {
  if (a.IsNumber() && b.IsNumber()) {
    if (a.kind() == Kind::kInt && b.kind() == Kind::kInt) {
      return a.AsInt() < b.AsInt() ? -1 : (a.AsInt() > b.AsInt() ? 1 : 0);
    }
    const double x = a.AsDouble();
    const double y = b.AsDouble();
    if (std::isnan(x) || std::isnan(y)) return NoSuchOverload();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  if (a.kind() != b.kind()) return NoSuchOverload();
  if (a.kind() == Kind::kString) {
    const int c = a.AsString().compare(b.AsString());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (a.kind() == Kind::kBool) return static_cast<int>(a.AsBool()) - static_cast<int>(b.AsBool());
  return NoSuchOverload();
}

absl::StatusOr<CelValue> Contains(const CelValue& container, const CelValue& element) {
  if (container.kind() == Kind::kList) {
    for (size_t i = 0; i < container.Size(); ++i) {
      if (container.ListAt(i).Equals(element)) return CelValue::Bool(true);
    }
    return CelValue::Bool(false);
  }
  if (container.kind() == Kind::kMap) {
    if (element.kind() != Kind::kString) return CelValue::Bool(false);
    return CelValue::Bool(container.MapFind(element.AsString()) != nullptr);
  }
  return NoSuchOverload();
}

absl::StatusOr<CelValue> ConvertToInt(const CelValue& value) {
  switch (value.kind()) {
    case Kind::kInt:
      return value;
    case Kind::kDouble: {
      const double d = value.AsDouble();
      if (!std::isfinite(d) || d <= -9223372036854775808.0 || d >= 9223372036854775808.0) {
        return absl::InvalidArgumentError("double is out of range for int");
      }
      return CelValue::Int(static_cast<int64_t>(d));
    }
    case Kind::kString: {
      int64_t parsed = 0;
      if (!ParseInt64(value.AsString(), parsed)) {
        return absl::InvalidArgumentError(
            absl::StrCat("cannot convert '", std::string(value.AsString()), "' to int"));
      }
      return CelValue::Int(parsed);
    }
    default:
      return NoSuchOverload();
  }
}

absl::StatusOr<CelValue> ConvertToDouble(const CelValue& value) {
  switch (value.kind()) {
    case Kind::kInt:
      return CelValue::Double(static_cast<double>(value.AsInt()));
    case Kind::kDouble:
      return value;
    case Kind::kString: {
      const std::string text(value.AsString());
      char* end = nullptr;
      const double parsed = std::strtod(text.c_str(), &end);
      if (text.empty() || end != text.c_str() + text.size()) {
        return absl::InvalidArgumentError(absl::StrCat("cannot convert '", text, "' to double"));
      }
      return CelValue::Double(parsed);
    }
    default:
      return NoSuchOverload();
  }
}

absl::StatusOr<CelValue> ConvertToString(const CelValue& value) {
  switch (value.kind()) {
    case Kind::kString:
      return value;
    case Kind::kInt:
      return CelValue::String(std::to_string(value.AsInt()));
    case Kind::kDouble:
      return CelValue::String(GoFloat(value.AsDouble()));
    case Kind::kBool:
      return CelValue::String(value.AsBool() ? "true" : "false");
    default:
      return NoSuchOverload();
  }
}

absl::StatusOr<bool> RegexSearch(const std::regex* compiled, std::string_view text,
                                 std::string_view pattern) {
  std::regex local;
  if (compiled == nullptr) {
    try {
      local.assign(std::string(pattern), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return absl::InvalidArgumentError(absl::StrCat("invalid regular expression: ", e.what()));
    }
    compiled = &local;
  }
  return std::regex_search(text.begin(), text.end(), *compiled);
}

}  // namespace certforge::kube::cel
