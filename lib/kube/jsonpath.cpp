#include "lib/kube/jsonpath.h"

#include <algorithm>
#include <optional>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "lib/kube/absl_string_view.h"
#include "lib/kube/jsonpath_parser.h"

namespace certforge::kube {

using jsonpath::Filter;
using jsonpath::Operand;
using jsonpath::Step;
using nlohmann::json;

namespace {

using Nodes = std::vector<const json*>;

Nodes Apply(const std::vector<Step>& steps, Nodes nodes, const json& root);

void CollectContainers(const json* node, Nodes& out) {
  if (!node->is_object() && !node->is_array()) return;
  out.push_back(node);
  for (const auto& child : *node) CollectContainers(&child, out);
}

// Python-style bounds: negative counts from the end, then clamped to the array.
int64_t SliceBound(std::optional<int64_t> bound, int64_t fallback, int64_t size) {
  int64_t value = bound.value_or(fallback);
  if (value < 0) value += size;
  return std::clamp<int64_t>(value, 0, size);
}

std::optional<int> CompareNumbers(const json& a, const json& b) {
  if (a.is_number_integer() && b.is_number_integer() && !a.is_number_unsigned() &&
      !b.is_number_unsigned()) {
    auto x = a.get<int64_t>();
    auto y = b.get<int64_t>();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  auto x = a.get<double>();
  auto y = b.get<double>();
  if (x < y) return -1;
  if (x > y) return 1;
  if (x == y) return 0;
  return std::nullopt;  // NaN
}

// Numbers compare with numbers and strings with strings; booleans and nulls only for (in)equality.
// Anything else is incomparable, and an incomparable filter never matches.
bool Compare(const json& a, const std::string& op, const json& b) {
  std::optional<int> order;
  if (a.is_number() && b.is_number()) {
    order = CompareNumbers(a, b);
  } else if (a.is_string() && b.is_string()) {
    int c = a.get_ref<const std::string&>().compare(b.get_ref<const std::string&>());
    order = c < 0 ? -1 : (c > 0 ? 1 : 0);
  } else if ((a.is_boolean() && b.is_boolean()) || (a.is_null() && b.is_null())) {
    if (op == "==") return a == b;
    if (op == "!=") return a != b;
    return false;
  }
  if (!order) return false;
  if (op == "==") return *order == 0;
  if (op == "!=") return *order != 0;
  if (op == "<") return *order < 0;
  if (op == ">") return *order > 0;
  if (op == "<=") return *order <= 0;
  if (op == ">=") return *order >= 0;
  return false;
}

Nodes Resolve(const Operand& operand, const json& item, const json& root) {
  switch (operand.kind) {
    case Operand::Kind::kCurrent:
      return Apply(operand.path, {&item}, root);
    case Operand::Kind::kRoot:
      return Apply(operand.path, {&root}, root);
    case Operand::Kind::kLiteral:
      return {&operand.literal};
  }
  return {};
}

bool Passes(const Filter& filter, const json& item, const json& root) {
  Nodes left = Resolve(filter.left, item, root);
  if (filter.op.empty()) return !left.empty();
  Nodes right = Resolve(filter.right, item, root);
  // Like Kubernetes, compare one value with one value; more or fewer never match.
  return left.size() == 1 && right.size() == 1 && Compare(*left[0], filter.op, *right[0]);
}

void ApplyStep(const Step& step, const json* node, const json& root, Nodes& out) {
  switch (step.kind) {
    case Step::Kind::kFields:
      if (!node->is_object()) return;
      for (const auto& name : step.names) {
        if (auto it = node->find(name); it != node->end()) out.push_back(&*it);
      }
      return;
    case Step::Kind::kWildcard:
      if (node->is_object() || node->is_array()) {
        for (const auto& child : *node) out.push_back(&child);
      }
      return;
    case Step::Kind::kIndex: {
      if (!node->is_array()) return;
      auto size = static_cast<int64_t>(node->size());
      int64_t index = step.index < 0 ? step.index + size : step.index;
      if (index >= 0 && index < size) out.push_back(&(*node)[static_cast<size_t>(index)]);
      return;
    }
    case Step::Kind::kSlice: {
      if (!node->is_array()) return;
      auto size = static_cast<int64_t>(node->size());
      int64_t end = SliceBound(step.end, size, size);
      for (int64_t i = SliceBound(step.start, 0, size); i < end; i += step.step) {
        out.push_back(&(*node)[static_cast<size_t>(i)]);
      }
      return;
    }
    case Step::Kind::kFilter:
      if (!node->is_array()) return;
      for (const auto& item : *node) {
        if (Passes(*step.filter, item, root)) out.push_back(&item);
      }
      return;
    case Step::Kind::kRecursive:
      CollectContainers(node, out);
      return;
  }
}

Nodes Apply(const std::vector<Step>& steps, Nodes nodes, const json& root) {
  for (const Step& step : steps) {
    Nodes next;
    for (const json* node : nodes) ApplyStep(step, node, root, next);
    nodes = std::move(next);
  }
  return nodes;
}

}  // namespace

absl::StatusOr<JsonPath> JsonPath::Parse(std::string_view expression) {
  std::string_view text = ToStd(absl::StripAsciiWhitespace(ToAbsl(expression)));
  if (!text.empty() && text.front() == '{') {
    if (text.back() != '}') {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid JSONPath \"", ToAbsl(expression), "\": unclosed '{'"));
    }
    text = text.substr(1, text.size() - 2);
  }
  if (text.find_first_of("{}") != std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid JSONPath \"", ToAbsl(expression),
        "\": only a single expression is supported, not templates with text or range"));
  }
  auto steps = jsonpath::Parser(text).Parse();
  if (!steps.ok()) return steps.status();
  return JsonPath(*std::move(steps));
}

std::vector<json> JsonPath::Evaluate(const json& root) const {
  std::vector<json> results;
  for (const json* node : Apply(steps_, {&root}, root)) results.push_back(*node);
  return results;
}

}  // namespace certforge::kube
