#pragma once
// One node of a compiled openAPIV3Schema: everything the pruner, defaulter and validators need,
// decoded once at Compile time (regexes and CEL included) so per-request work is a tree walk.

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "lib/kube/cel_expression.h"
#include "lib/kube/string_format.h"

namespace certforge::kube {

// One step of a rule's fieldPath: a declared property (rendered ".name") or a map key ("[key]").
struct FieldPathStep {
  std::string name;
  bool is_map_key = false;
};

struct CelRule {
  std::string rule;
  std::string message;  // may be empty
  std::optional<CelExpression> message_expression;
  std::string reason;                     // a FieldValue* cause; empty = FieldValueInvalid
  std::vector<FieldPathStep> field_path;  // where the error is reported, below the node
  CelExpression expression;
};

struct SchemaNode {
  enum class AdditionalProperties { kUnset, kAllowAny, kDeny, kSchema };
  enum class ListType { kUnset, kAtomic, kSet, kMap };

  // "object", "array", "string", "integer", "number", "boolean" or "" (no type).
  std::string type;
  bool int_or_string = false;
  bool nullable = false;
  bool preserve_unknown_fields = false;
  bool embedded_resource = false;

  // Only formats kube-apiserver validates are kept; others (int32, int64, ...) are ignored as
  // Kubernetes ignores them.
  std::string format;
  StringFormat format_kind = StringFormat::kNone;

  std::optional<double> minimum;
  std::optional<double> maximum;
  bool exclusive_minimum = false;
  bool exclusive_maximum = false;
  std::optional<double> multiple_of;
  std::optional<int64_t> min_length;
  std::optional<int64_t> max_length;
  std::optional<int64_t> min_items;
  std::optional<int64_t> max_items;
  std::optional<int64_t> min_properties;
  std::optional<int64_t> max_properties;
  std::string pattern;
  std::optional<std::regex> pattern_regex;
  std::vector<nlohmann::json> enum_values;
  std::optional<nlohmann::json> default_value;

  std::map<std::string, std::unique_ptr<SchemaNode>, std::less<>> properties;
  std::vector<std::string> required;
  AdditionalProperties additional = AdditionalProperties::kUnset;
  std::unique_ptr<SchemaNode> additional_properties;  // when additional == kSchema
  std::unique_ptr<SchemaNode> items;

  std::vector<std::unique_ptr<SchemaNode>> all_of;
  std::vector<std::unique_ptr<SchemaNode>> any_of;
  std::vector<std::unique_ptr<SchemaNode>> one_of;
  std::unique_ptr<SchemaNode> not_schema;

  ListType list_type = ListType::kUnset;
  std::vector<std::string> list_map_keys;
  std::vector<CelRule> rules;

  // Whether anything at or below this node needs a walk, so clean subtrees are skipped.
  bool subtree_has_rules = false;
  bool subtree_has_list_sets = false;  // x-kubernetes-list-type set or map
  bool subtree_has_embedded = false;

  // Child schema for a member of an object: a declared property, else additionalProperties'
  // schema, else nullptr.
  const SchemaNode* ChildFor(std::string_view key) const {
    auto it = properties.find(key);
    if (it != properties.end()) return it->second.get();
    return additional_properties.get();
  }
};

}  // namespace certforge::kube
