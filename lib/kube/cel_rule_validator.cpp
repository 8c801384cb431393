#include "lib/kube/cel_rule_validator.h"

#include "absl/strings/str_cat.h"
#include "lib/kube/field_path.h"
#include "lib/kube/text_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;

// ruleErrorString: the trimmed message, else the trimmed rule.
std::string RuleErrorString(const CelRule& rule) {
  return std::string(TrimAsciiSpace(rule.message.empty() ? rule.rule : rule.message));
}

std::string RuleMessageOrDefault(const CelRule& rule) {
  if (!rule.message.empty()) return rule.message;
  return absl::StrCat("failed rule: ", RuleErrorString(rule));
}

// fieldErrorForReason, with the schema type as the shown value.
FieldError ErrorForReason(const CelRule& rule, std::string field, const std::string& type,
                          const std::string& detail) {
  if (rule.reason == reason::kForbidden) return ForbiddenError(std::move(field), detail);
  if (rule.reason == reason::kRequired) return RequiredError(std::move(field), detail);
  if (rule.reason == reason::kDuplicate) return DuplicateError(std::move(field), type);
  return InvalidError(std::move(field), type, detail);
}

}  // namespace

void CelRuleValidator::Validate(const SchemaNode& root, const json& object,
                                std::vector<FieldError>& out) {
  std::string path;
  Walk(root, object, path, out);
}

void CelRuleValidator::Walk(const SchemaNode& node, const json& value, std::string& path,
                            std::vector<FieldError>& out) {
  if (value.is_null() || !node.subtree_has_rules) return;
  for (const CelRule& rule : node.rules) Check(node, rule, value, path, out);
  if (value.is_object()) {
    for (const auto& [key, item] : value.items()) {
      auto property = node.properties.find(key);
      if (property != node.properties.end()) {
        FieldPathScope scope(path, key);
        Walk(*property->second, item, path, out);
      } else if (node.additional_properties != nullptr) {
        FieldPathScope scope(path, key, FieldPathScope::Step::kKey);
        Walk(*node.additional_properties, item, path, out);
      }
    }
  } else if (value.is_array() && node.items != nullptr) {
    for (size_t i = 0; i < value.size(); ++i) {
      FieldPathScope scope(path, i);
      Walk(*node.items, value[i], path, out);
    }
  }
}

void CelRuleValidator::Check(const SchemaNode& node, const CelRule& rule, const json& value,
                             const std::string& path, std::vector<FieldError>& out) {
  auto verdict = rule.expression.Evaluate(value);
  if (verdict.ok() && *verdict) return;
  std::string field = path;
  for (const FieldPathStep& step : rule.field_path) {
    if (step.is_map_key) {
      absl::StrAppend(&field, "[", step.name, "]");
    } else {
      absl::StrAppend(&field, field.empty() ? "" : ".", step.name);
    }
  }
  field = FieldPathString(field);
  if (!verdict.ok()) {
    const std::string error(verdict.status().message());
    const std::string detail =
        error.starts_with("no such overload")
            ? absl::StrCat("'", error,
                           "': call arguments did not match a supported operator, function or "
                           "macro signature for rule: ",
                           RuleErrorString(rule))
            : absl::StrCat(error, " evaluating rule: ", RuleErrorString(rule));
    out.push_back(InvalidError(std::move(field), node.type, detail));
    return;
  }
  std::string detail = RuleMessageOrDefault(rule);
  if (rule.message_expression) {
    auto message = rule.message_expression->EvaluateToJson(value);
    if (message.ok() && message->is_string() &&
        !TrimAsciiSpace(message->get_ref<const std::string&>()).empty()) {
      detail = message->get<std::string>();
    }
  }
  out.push_back(ErrorForReason(rule, std::move(field), node.type, detail));
}

}  // namespace certforge::kube
