#include "lib/kube/label_selector.h"

#include <algorithm>
#include <cstdint>
#include <optional>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "lib/kube/label_selector_parser.h"
#include "lib/kube/label_validation.h"

namespace certforge::kube {

using nlohmann::json;

namespace {

using Op = LabelSelector::Operator;

std::optional<std::string> LabelValue(const json& labels, const std::string& key) {
  if (!labels.is_object()) return std::nullopt;
  auto it = labels.find(key);
  if (it == labels.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

bool Contains(const std::vector<std::string>& values, const std::string& value) {
  return std::binary_search(values.begin(), values.end(), value);
}

bool RequirementMatches(const LabelSelector::Requirement& r, const json& labels) {
  std::optional<std::string> value = LabelValue(labels, r.key);
  switch (r.op) {
    case Op::kEquals:
    case Op::kIn:
      return value && Contains(r.values, *value);
    case Op::kNotEquals:
    case Op::kNotIn:
      return !value || !Contains(r.values, *value);
    case Op::kExists:
      return value.has_value();
    case Op::kDoesNotExist:
      return !value;
    case Op::kGreaterThan:
    case Op::kLessThan: {
      int64_t have = 0;
      int64_t bound = 0;
      if (!value || !absl::SimpleAtoi(*value, &have) || !absl::SimpleAtoi(r.values[0], &bound)) {
        return false;
      }
      return r.op == Op::kGreaterThan ? have > bound : have < bound;
    }
  }
  return false;
}

std::string RequirementText(const LabelSelector::Requirement& r) {
  switch (r.op) {
    case Op::kEquals:
      return absl::StrCat(r.key, "=", r.values[0]);
    case Op::kNotEquals:
      return absl::StrCat(r.key, "!=", r.values[0]);
    case Op::kIn:
      return absl::StrCat(r.key, " in (", absl::StrJoin(r.values, ","), ")");
    case Op::kNotIn:
      return absl::StrCat(r.key, " notin (", absl::StrJoin(r.values, ","), ")");
    case Op::kExists:
      return r.key;
    case Op::kDoesNotExist:
      return absl::StrCat("!", r.key);
    case Op::kGreaterThan:
      return absl::StrCat(r.key, ">", r.values[0]);
    case Op::kLessThan:
      return absl::StrCat(r.key, "<", r.values[0]);
  }
  return "";
}

void SortByKey(std::vector<LabelSelector::Requirement>& requirements) {
  std::stable_sort(requirements.begin(), requirements.end(),
                   [](const auto& a, const auto& b) { return a.key < b.key; });
}

absl::StatusOr<Op> ExpressionOperator(const json& op) {
  if (op == "In") return Op::kIn;
  if (op == "NotIn") return Op::kNotIn;
  if (op == "Exists") return Op::kExists;
  if (op == "DoesNotExist") return Op::kDoesNotExist;
  return absl::InvalidArgumentError(
      absl::StrCat(op.dump(), " is not a valid label selector operator"));
}

absl::StatusOr<LabelSelector::Requirement> ExpressionRequirement(const json& expression) {
  if (!expression.is_object() || !expression.contains("key") || !expression["key"].is_string()) {
    return absl::InvalidArgumentError("matchExpressions entries need a string \"key\"");
  }
  auto op = ExpressionOperator(expression.value("operator", json()));
  if (!op.ok()) return op.status();
  std::vector<std::string> values;
  const json list = expression.value("values", json::array());
  if (!list.is_array() && !list.is_null()) {
    return absl::InvalidArgumentError("matchExpressions values must be a list of strings");
  }
  for (const auto& value : list) {
    if (!value.is_string()) {
      return absl::InvalidArgumentError("matchExpressions values must be a list of strings");
    }
    values.push_back(value.get<std::string>());
  }
  return LabelSelector::MakeRequirement(expression["key"].get<std::string>(), *op,
                                        std::move(values));
}

}  // namespace

LabelSelector::LabelSelector(std::vector<Requirement> requirements, bool nothing)
    : requirements_(std::move(requirements)), nothing_(nothing) {
  SortByKey(requirements_);
}

absl::StatusOr<LabelSelector::Requirement> LabelSelector::MakeRequirement(
    std::string key, Operator op, std::vector<std::string> values) {
  if (absl::Status status = ValidateLabelKey(key); !status.ok()) return status;
  switch (op) {
    case Op::kIn:
    case Op::kNotIn:
      if (values.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("label selector key \"", key, "\": in and notin need at least one value"));
      }
      break;
    case Op::kEquals:
    case Op::kNotEquals:
      if (values.size() != 1) {
        return absl::InvalidArgumentError(
            absl::StrCat("label selector key \"", key, "\": = and != need exactly one value"));
      }
      break;
    case Op::kExists:
    case Op::kDoesNotExist:
      if (!values.empty()) {
        return absl::InvalidArgumentError(absl::StrCat(
            "label selector key \"", key, "\": values must be empty for Exists and DoesNotExist"));
      }
      break;
    case Op::kGreaterThan:
    case Op::kLessThan: {
      int64_t number = 0;
      if (values.size() != 1 || !absl::SimpleAtoi(values[0], &number)) {
        return absl::InvalidArgumentError(
            absl::StrCat("label selector key \"", key, "\": > and < need a single integer value"));
      }
      break;
    }
  }
  for (const auto& value : values) {
    if (absl::Status status = ValidateLabelValue(value); !status.ok()) return status;
  }
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  return Requirement{std::move(key), op, std::move(values)};
}

absl::StatusOr<LabelSelector> LabelSelector::Parse(std::string_view text) {
  auto requirements = LabelSelectorParser(text).Parse();
  if (!requirements.ok()) return requirements.status();
  return LabelSelector(*std::move(requirements), false);
}

absl::StatusOr<LabelSelector> LabelSelector::FromJson(const json& sel) {
  if (sel.is_null()) return LabelSelector({}, true);
  if (!sel.is_object()) return absl::InvalidArgumentError("label selector must be a JSON object");
  std::vector<Requirement> requirements;
  if (auto labels = sel.find("matchLabels"); labels != sel.end() && !labels->is_null()) {
    if (!labels->is_object()) return absl::InvalidArgumentError("matchLabels must be an object");
    for (const auto& [key, value] : labels->items()) {
      if (!value.is_string()) {
        return absl::InvalidArgumentError(
            absl::StrCat("matchLabels value for \"", key, "\" must be a string"));
      }
      auto requirement = MakeRequirement(key, Op::kEquals, {value.get<std::string>()});
      if (!requirement.ok()) return requirement.status();
      requirements.push_back(*std::move(requirement));
    }
  }
  if (auto expressions = sel.find("matchExpressions");
      expressions != sel.end() && !expressions->is_null()) {
    if (!expressions->is_array()) {
      return absl::InvalidArgumentError("matchExpressions must be a list");
    }
    for (const auto& expression : *expressions) {
      auto requirement = ExpressionRequirement(expression);
      if (!requirement.ok()) return requirement.status();
      requirements.push_back(*std::move(requirement));
    }
  }
  return LabelSelector(std::move(requirements), false);
}

bool LabelSelector::Matches(const json& labels) const {
  if (nothing_) return false;
  return std::all_of(requirements_.begin(), requirements_.end(),
                     [&](const Requirement& r) { return RequirementMatches(r, labels); });
}

std::string LabelSelector::ToString() const {
  return absl::StrJoin(requirements_, ",", [](std::string* out, const Requirement& r) {
    out->append(RequirementText(r));
  });
}

}  // namespace certforge::kube
