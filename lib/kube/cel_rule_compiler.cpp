#include "lib/kube/cel_rule_compiler.h"

#include <cctype>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/kube/field_error.h"

namespace certforge::kube {
namespace {

absl::Status Invalid(const std::string& path, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

bool IsSupportedReason(std::string_view value) {
  return value == reason::kInvalid || value == reason::kForbidden || value == reason::kRequired ||
         value == reason::kDuplicate;
}

// Reads a quoted map key starting at text[pos] == '\'' or '"'.
absl::StatusOr<std::string> QuotedKey(std::string_view text, size_t& pos) {
  const char quote = text[pos++];
  std::string key;
  while (pos < text.size() && text[pos] != quote) {
    if (text[pos] == '\\' && pos + 1 < text.size()) ++pos;
    key += text[pos++];
  }
  if (pos >= text.size()) return absl::InvalidArgumentError("unterminated quoted key");
  ++pos;
  return key;
}

}  // namespace

absl::StatusOr<std::vector<FieldPathStep>> CelRuleCompiler::ResolveFieldPath(
    std::string_view field_path, const SchemaNode& node) {
  std::vector<FieldPathStep> steps;
  const SchemaNode* current = &node;
  size_t pos = 0;
  while (pos < field_path.size()) {
    std::string name;
    if (field_path[pos] == '.') {
      const size_t start = ++pos;
      while (pos < field_path.size() &&
             (std::isalnum(static_cast<unsigned char>(field_path[pos])) || field_path[pos] == '_' ||
              field_path[pos] == '-')) {
        ++pos;
      }
      name = std::string(field_path.substr(start, pos - start));
      if (name.empty()) return absl::InvalidArgumentError("expected a field name after '.'");
    } else if (field_path[pos] == '[' && pos + 1 < field_path.size() &&
               (field_path[pos + 1] == '\'' || field_path[pos + 1] == '"')) {
      ++pos;
      auto key = QuotedKey(field_path, pos);
      if (!key.ok()) return key.status();
      if (pos >= field_path.size() || field_path[pos] != ']') {
        return absl::InvalidArgumentError("expected ']'");
      }
      ++pos;
      name = *std::move(key);
    } else {
      return absl::InvalidArgumentError(absl::StrCat("expected '.' or \"['\" at offset ", pos));
    }
    if (current == nullptr) return absl::InvalidArgumentError("does not refer to a valid field");
    auto property = current->properties.find(name);
    if (property != current->properties.end()) {
      steps.push_back({name, false});
      current = property->second.get();
    } else if (current->additional_properties != nullptr) {
      steps.push_back({name, true});
      current = current->additional_properties.get();
    } else {
      return absl::InvalidArgumentError("does not refer to a valid field");
    }
  }
  return steps;
}

absl::StatusOr<std::optional<CelRule>> CelRuleCompiler::Compile(const nlohmann::json& entry,
                                                                const SchemaNode& node,
                                                                const std::string& path) {
  if (!entry.is_object()) return Invalid(path, "must be an object");
  auto rule_it = entry.find("rule");
  if (rule_it == entry.end() || !rule_it->is_string() || rule_it->get<std::string>().empty()) {
    return Invalid(path + ".rule", "Required value");
  }
  for (const char* key : {"message", "messageExpression", "reason", "fieldPath"}) {
    auto it = entry.find(key);
    if (it != entry.end() && !it->is_string()) {
      return Invalid(absl::StrCat(path, ".", key), "must be a string");
    }
  }
  const std::string reason_value = entry.value("reason", "");
  if (!reason_value.empty() && !IsSupportedReason(reason_value)) {
    return Invalid(path + ".reason",
                   "must be one of FieldValueInvalid, FieldValueForbidden, FieldValueRequired, "
                   "FieldValueDuplicate");
  }
  std::vector<FieldPathStep> field_path;
  if (const std::string text = entry.value("fieldPath", ""); !text.empty()) {
    auto steps = ResolveFieldPath(text, node);
    if (!steps.ok()) return Invalid(path + ".fieldPath", std::string(steps.status().message()));
    field_path = *std::move(steps);
  }

  auto expression = CelExpression::Parse(rule_it->get<std::string>());
  if (!expression.ok()) return std::optional<CelRule>();
  std::optional<CelExpression> message_expression;
  if (const std::string text = entry.value("messageExpression", ""); !text.empty()) {
    auto parsed = CelExpression::Parse(text);
    // An unsupported messageExpression falls back to message, as a failing one does in Kubernetes.
    if (parsed.ok()) message_expression = *std::move(parsed);
  }
  return std::optional<CelRule>(CelRule{rule_it->get<std::string>(), entry.value("message", ""),
                                        std::move(message_expression), reason_value,
                                        std::move(field_path), *std::move(expression)});
}

}  // namespace certforge::kube
