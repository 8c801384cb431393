#include "lib/kube/cel_evaluator.h"

#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/kube/cel_builtins.h"
#include "lib/kube/go_format.h"

namespace certforge::kube {
namespace {

using Kind = CelValue::Kind;
using cel::NoSuchOverload;
using cel::Overflow;

}  // namespace

absl::StatusOr<CelValue> CelEvaluator::Evaluate(const CelNode& node) {
  switch (node.kind) {
    case CelNode::Kind::kLiteral:
      return node.literal;
    case CelNode::Kind::kVariable:
      return slots_[node.slot];
    case CelNode::Kind::kSelect:
      return Select(node);
    case CelNode::Kind::kIndex:
      return Index(node);
    case CelNode::Kind::kHas:
      return Has(node);
    case CelNode::Kind::kCall:
      return Call(node);
    case CelNode::Kind::kUnary:
      return Unary(node);
    case CelNode::Kind::kBinary:
      return Binary(node);
    case CelNode::Kind::kAnd:
      return Logical(node, /*is_and=*/true);
    case CelNode::Kind::kOr:
      return Logical(node, /*is_and=*/false);
    case CelNode::Kind::kConditional:
      return Conditional(node);
    case CelNode::Kind::kList:
      return List(node);
    case CelNode::Kind::kComprehension:
      return Comprehension(node);
  }
  return absl::InternalError("unknown expression node");
}

absl::StatusOr<CelValue> CelEvaluator::Select(const CelNode& node) {
  auto operand = Evaluate(*node.children[0]);
  if (!operand.ok()) return operand;
  if (operand->kind() != Kind::kMap) {
    return absl::InvalidArgumentError(absl::StrCat("type '", std::string(operand->TypeName()),
                                                   "' does not support field selection"));
  }
  const nlohmann::json* member = operand->MapFind(node.name);
  if (member == nullptr) return absl::InvalidArgumentError("no such key: " + node.name);
  return CelValue::FromJson(*member);
}

absl::StatusOr<CelValue> CelEvaluator::Index(const CelNode& node) {
  auto operand = Evaluate(*node.children[0]);
  if (!operand.ok()) return operand;
  auto index = Evaluate(*node.children[1]);
  if (!index.ok()) return index;
  if (operand->kind() == Kind::kList) {
    if (index->kind() != Kind::kInt) return NoSuchOverload();
    const int64_t i = index->AsInt();
    if (i < 0 || static_cast<size_t>(i) >= operand->Size()) {
      return absl::InvalidArgumentError(absl::StrCat("index out of bounds: ", i));
    }
    return operand->ListAt(static_cast<size_t>(i));
  }
  if (operand->kind() == Kind::kMap) {
    if (index->kind() != Kind::kString) return NoSuchOverload();
    const nlohmann::json* member = operand->MapFind(index->AsString());
    if (member == nullptr) {
      return absl::InvalidArgumentError("no such key: " + std::string(index->AsString()));
    }
    return CelValue::FromJson(*member);
  }
  return NoSuchOverload();
}

absl::StatusOr<CelValue> CelEvaluator::Has(const CelNode& node) {
  auto operand = Evaluate(*node.children[0]);
  if (!operand.ok()) return operand;
  if (operand->kind() != Kind::kMap) {
    return absl::InvalidArgumentError("invalid type for field selection: " +
                                      std::string(operand->TypeName()));
  }
  return CelValue::Bool(operand->MapFind(node.name) != nullptr);
}

absl::StatusOr<CelValue> CelEvaluator::Unary(const CelNode& node) {
  auto operand = Evaluate(*node.children[0]);
  if (!operand.ok()) return operand;
  if (node.op == CelOp::kNot) {
    if (operand->kind() != Kind::kBool) return NoSuchOverload();
    return CelValue::Bool(!operand->AsBool());
  }
  if (operand->kind() == Kind::kInt) {
    if (operand->AsInt() == std::numeric_limits<int64_t>::min()) return Overflow();
    return CelValue::Int(-operand->AsInt());
  }
  if (operand->kind() == Kind::kDouble) return CelValue::Double(-operand->AsDouble());
  return NoSuchOverload();
}

absl::StatusOr<CelValue> CelEvaluator::Binary(const CelNode& node) {
  auto left = Evaluate(*node.children[0]);
  if (!left.ok()) return left;
  auto right = Evaluate(*node.children[1]);
  if (!right.ok()) return right;
  const CelValue& a = *left;
  const CelValue& b = *right;
  switch (node.op) {
    case CelOp::kEqual:
      return CelValue::Bool(a.Equals(b));
    case CelOp::kNotEqual:
      return CelValue::Bool(!a.Equals(b));
    case CelOp::kIn:
      return cel::Contains(b, a);
    case CelOp::kLess:
    case CelOp::kLessEqual:
    case CelOp::kGreater:
    case CelOp::kGreaterEqual: {
      auto order = cel::Compare(a, b);
      if (!order.ok()) return order.status();
      switch (node.op) {
        case CelOp::kLess:
          return CelValue::Bool(*order < 0);
        case CelOp::kLessEqual:
          return CelValue::Bool(*order <= 0);
        case CelOp::kGreater:
          return CelValue::Bool(*order > 0);
        default:
          return CelValue::Bool(*order >= 0);
      }
    }
    default:
      break;
  }
  if (a.kind() != b.kind()) return NoSuchOverload();
  if (a.kind() == Kind::kInt) return cel::IntArithmetic(node.op, a.AsInt(), b.AsInt());
  if (a.kind() == Kind::kDouble) return cel::DoubleArithmetic(node.op, a.AsDouble(), b.AsDouble());
  if (node.op != CelOp::kAdd) return NoSuchOverload();
  if (a.kind() == Kind::kString)
    return CelValue::String(std::string(a.AsString()).append(b.AsString()));
  if (a.kind() == Kind::kList) {
    std::vector<CelValue> items;
    items.reserve(a.Size() + b.Size());
    for (size_t i = 0; i < a.Size(); ++i) items.push_back(a.ListAt(i));
    for (size_t i = 0; i < b.Size(); ++i) items.push_back(b.ListAt(i));
    return CelValue::List(std::move(items));
  }
  return NoSuchOverload();
}

absl::StatusOr<CelValue> CelEvaluator::Logical(const CelNode& node, bool is_and) {
  // CEL is commutative here: a decisive operand (false for &&, true for ||) wins over an error
  // in the other one.
  const bool decisive = !is_and;
  absl::Status first_error;
  for (const auto& child : node.children) {
    auto value = Evaluate(*child);
    if (!value.ok()) {
      if (first_error.ok()) first_error = value.status();
      continue;
    }
    if (value->kind() != Kind::kBool) {
      if (first_error.ok()) first_error = NoSuchOverload();
      continue;
    }
    if (value->AsBool() == decisive) return CelValue::Bool(decisive);
  }
  if (!first_error.ok()) return first_error;
  return CelValue::Bool(!decisive);
}

absl::StatusOr<CelValue> CelEvaluator::Conditional(const CelNode& node) {
  auto condition = Evaluate(*node.children[0]);
  if (!condition.ok()) return condition;
  if (condition->kind() != Kind::kBool) return NoSuchOverload();
  return Evaluate(*node.children[condition->AsBool() ? 1 : 2]);
}

absl::StatusOr<CelValue> CelEvaluator::List(const CelNode& node) {
  std::vector<CelValue> items;
  items.reserve(node.children.size());
  for (const auto& child : node.children) {
    auto value = Evaluate(*child);
    if (!value.ok()) return value;
    items.push_back(*std::move(value));
  }
  return CelValue::List(std::move(items));
}

absl::StatusOr<CelValue> CelEvaluator::Call(const CelNode& node) {
  std::vector<CelValue> args;
  args.reserve(node.children.size());
  for (const auto& child : node.children) {
    auto value = Evaluate(*child);
    if (!value.ok()) return value;
    args.push_back(*std::move(value));
  }
  const CelValue& target = args[0];
  switch (node.function) {
    case CelFunction::kSize:
      if (target.kind() == Kind::kString) return CelValue::Int(RuneCount(target.AsString()));
      if (target.kind() == Kind::kList || target.kind() == Kind::kMap) {
        return CelValue::Int(static_cast<int64_t>(target.Size()));
      }
      return NoSuchOverload();
    case CelFunction::kToInt:
      return cel::ConvertToInt(target);
    case CelFunction::kToDouble:
      return cel::ConvertToDouble(target);
    case CelFunction::kToString:
      return cel::ConvertToString(target);
    default:
      break;
  }
  if (target.kind() != Kind::kString || args[1].kind() != Kind::kString) return NoSuchOverload();
  const std::string_view text = target.AsString();
  const std::string_view arg = args[1].AsString();
  switch (node.function) {
    case CelFunction::kStartsWith:
      return CelValue::Bool(text.starts_with(arg));
    case CelFunction::kEndsWith:
      return CelValue::Bool(text.ends_with(arg));
    case CelFunction::kContains:
      return CelValue::Bool(text.find(arg) != std::string_view::npos);
    case CelFunction::kMatches: {
      auto matched = cel::RegexSearch(node.regex.get(), text, arg);
      if (!matched.ok()) return matched.status();
      return CelValue::Bool(*matched);
    }
    default:
      return NoSuchOverload();
  }
}

absl::StatusOr<CelValue> CelEvaluator::Comprehension(const CelNode& node) {
  auto range = Evaluate(*node.children[0]);
  if (!range.ok()) return range;
  if (range->kind() != Kind::kList && range->kind() != Kind::kMap) return NoSuchOverload();
  std::vector<CelValue> elements;  // map comprehensions range over the keys
  if (range->kind() == Kind::kMap) {
    for (const auto& [key, unused] : range->MapJson().items()) {
      elements.push_back(CelValue::String(key));
    }
  }
  const size_t count = range->kind() == Kind::kMap ? elements.size() : range->Size();
  const CelNode& body = *node.children[1];
  std::vector<CelValue> produced;
  absl::Status first_error;
  int64_t matches = 0;
  for (size_t i = 0; i < count; ++i) {
    slots_[node.slot] = range->kind() == Kind::kMap ? elements[i] : range->ListAt(i);
    auto value = Evaluate(body);
    if (node.macro == CelMacro::kMap) {
      if (!value.ok()) return value;
      produced.push_back(*std::move(value));
      continue;
    }
    if (!value.ok() || value->kind() != Kind::kBool) {
      const absl::Status error = value.ok() ? NoSuchOverload() : value.status();
      if (node.macro != CelMacro::kAll && node.macro != CelMacro::kExists) return error;
      if (first_error.ok()) first_error = error;
      continue;
    }
    const bool result = value->AsBool();
    switch (node.macro) {
      case CelMacro::kAll:
        if (!result) return CelValue::Bool(false);
        break;
      case CelMacro::kExists:
        if (result) return CelValue::Bool(true);
        break;
      case CelMacro::kExistsOne:
        matches += result ? 1 : 0;
        break;
      case CelMacro::kFilter:
        if (result) produced.push_back(slots_[node.slot]);
        break;
      case CelMacro::kMap:
        break;
    }
  }
  switch (node.macro) {
    case CelMacro::kAll:
    case CelMacro::kExists:
      if (!first_error.ok()) return first_error;
      return CelValue::Bool(node.macro == CelMacro::kAll);
    case CelMacro::kExistsOne:
      return CelValue::Bool(matches == 1);
    default:
      return CelValue::List(std::move(produced));
  }
}

}  // namespace certforge::kube
