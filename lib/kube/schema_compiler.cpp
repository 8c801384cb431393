#include "lib/kube/schema_compiler.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/kube/cel_rule_compiler.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;

absl::Status Invalid(const std::string& path, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrCat(path, ": ", what));
}

absl::Status ReadBool(const json& schema, const char* key, const std::string& path, bool& out) {
  auto it = schema.find(key);
  if (it == schema.end()) return absl::OkStatus();
  if (!it->is_boolean()) return Invalid(absl::StrCat(path, ".", key), "must be a boolean");
  out = it->get<bool>();
  return absl::OkStatus();
}

absl::Status ReadNumber(const json& schema, const char* key, const std::string& path,
                        std::optional<double>& out) {
  auto it = schema.find(key);
  if (it == schema.end()) return absl::OkStatus();
  if (!it->is_number()) return Invalid(absl::StrCat(path, ".", key), "must be a number");
  out = it->get<double>();
  return absl::OkStatus();
}

absl::Status ReadCount(const json& schema, const char* key, const std::string& path,
                       std::optional<int64_t>& out) {
  auto it = schema.find(key);
  if (it == schema.end()) return absl::OkStatus();
  const bool whole =
      it->is_number_integer() ||
      (it->is_number_float() && it->get<double>() == static_cast<double>(it->get<int64_t>()));
  if (!whole || it->get<double>() < 0) {
    return Invalid(absl::StrCat(path, ".", key), "must be a non-negative integer");
  }
  out = it->get<int64_t>();
  return absl::OkStatus();
}

absl::Status ReadStrings(const json& schema, const char* key, const std::string& path,
                         std::vector<std::string>& out) {
  auto it = schema.find(key);
  if (it == schema.end()) return absl::OkStatus();
  if (!it->is_array()) return Invalid(absl::StrCat(path, ".", key), "must be a list of strings");
  for (const json& item : *it) {
    if (!item.is_string()) {
      return Invalid(absl::StrCat(path, ".", key), "must be a list of strings");
    }
    out.push_back(item.get<std::string>());
  }
  return absl::OkStatus();
}

bool IsKnownType(const std::string& type) {
  return type == "object" || type == "array" || type == "string" || type == "integer" ||
         type == "number" || type == "boolean";
}

}  // namespace

absl::StatusOr<SchemaCompiler::Output> SchemaCompiler::Compile(const json& schema) {
  SchemaCompiler compiler;
  auto root = compiler.Node(schema, "openAPIV3Schema");
  if (!root.ok()) return root.status();
  return Output{*std::move(root), std::move(compiler.unsupported_rules_)};
}

absl::StatusOr<std::unique_ptr<SchemaNode>> SchemaCompiler::Node(const json& schema,
                                                                 const std::string& path) {
  if (!schema.is_object()) return Invalid(path, "must be a schema object");
  for (const char* forbidden :
       {"$ref", "definitions", "dependencies", "patternProperties", "additionalItems"}) {
    if (schema.contains(forbidden)) {
      return Invalid(absl::StrCat(path, ".", forbidden), "is not allowed in a structural schema");
    }
  }
  auto node = std::make_unique<SchemaNode>();
  for (auto step :
       {&SchemaCompiler::Scalars, &SchemaCompiler::Children, &SchemaCompiler::Combinators,
        &SchemaCompiler::ListAndMapTypes, &SchemaCompiler::Rules}) {
    if (auto status = (this->*step)(schema, path, *node); !status.ok()) return status;
  }
  ComputeSubtreeFlags(*node);
  return node;
}

absl::Status SchemaCompiler::Scalars(const json& schema, const std::string& path,
                                     SchemaNode& node) {
  if (auto it = schema.find("type"); it != schema.end()) {
    if (!it->is_string() || !IsKnownType(it->get<std::string>())) {
      return Invalid(path + ".type",
                     "must be one of object, array, string, integer, number, boolean");
    }
    node.type = it->get<std::string>();
  }
  if (auto it = schema.find("format"); it != schema.end()) {
    if (!it->is_string()) return Invalid(path + ".format", "must be a string");
    node.format_kind = LookupStringFormat(it->get<std::string>());
    if (node.format_kind != StringFormat::kNone) node.format = it->get<std::string>();
  }
  for (auto [key, flag] : {std::pair{"nullable", &node.nullable},
                           {"x-kubernetes-int-or-string", &node.int_or_string},
                           {"x-kubernetes-preserve-unknown-fields", &node.preserve_unknown_fields},
                           {"x-kubernetes-embedded-resource", &node.embedded_resource},
                           {"exclusiveMinimum", &node.exclusive_minimum},
                           {"exclusiveMaximum", &node.exclusive_maximum}}) {
    if (auto status = ReadBool(schema, key, path, *flag); !status.ok()) return status;
  }
  bool unique_items = false;
  if (auto status = ReadBool(schema, "uniqueItems", path, unique_items); !status.ok()) {
    return status;
  }
  if (unique_items) {
    return Invalid(path + ".uniqueItems",
                   "cannot be true (use x-kubernetes-list-type: set or map instead)");
  }
  for (auto [key, value] : {std::pair{"minimum", &node.minimum},
                            {"maximum", &node.maximum},
                            {"multipleOf", &node.multiple_of}}) {
    if (auto status = ReadNumber(schema, key, path, *value); !status.ok()) return status;
  }
  if (node.multiple_of && *node.multiple_of <= 0) {
    return Invalid(path + ".multipleOf", "must be greater than zero");
  }
  for (auto [key, value] : {std::pair{"minLength", &node.min_length},
                            {"maxLength", &node.max_length},
                            {"minItems", &node.min_items},
                            {"maxItems", &node.max_items},
                            {"minProperties", &node.min_properties},
                            {"maxProperties", &node.max_properties}}) {
    if (auto status = ReadCount(schema, key, path, *value); !status.ok()) return status;
  }
  if (auto it = schema.find("pattern"); it != schema.end()) {
    if (!it->is_string()) return Invalid(path + ".pattern", "must be a string");
    node.pattern = it->get<std::string>();
    try {
      node.pattern_regex.emplace(node.pattern, std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return Invalid(path + ".pattern",
                     absl::StrCat("must be a valid regular expression: ", e.what()));
    }
  }
  if (auto it = schema.find("enum"); it != schema.end()) {
    if (!it->is_array()) return Invalid(path + ".enum", "must be a list");
    node.enum_values.assign(it->begin(), it->end());
  }
  if (auto it = schema.find("default"); it != schema.end()) node.default_value = *it;
  return absl::OkStatus();
}

absl::Status SchemaCompiler::Children(const json& schema, const std::string& path,
                                      SchemaNode& node) {
  if (auto it = schema.find("properties"); it != schema.end()) {
    if (!it->is_object()) return Invalid(path + ".properties", "must be an object");
    for (const auto& [name, child] : it->items()) {
      auto compiled = Node(child, absl::StrCat(path, ".properties[", name, "]"));
      if (!compiled.ok()) return compiled.status();
      node.properties.emplace(name, *std::move(compiled));
    }
  }
  if (auto status = ReadStrings(schema, "required", path, node.required); !status.ok()) {
    return status;
  }
  if (auto it = schema.find("additionalProperties"); it != schema.end()) {
    if (it->is_boolean()) {
      node.additional = it->get<bool>() ? SchemaNode::AdditionalProperties::kAllowAny
                                        : SchemaNode::AdditionalProperties::kDeny;
    } else {
      auto compiled = Node(*it, path + ".additionalProperties");
      if (!compiled.ok()) return compiled.status();
      node.additional_properties = *std::move(compiled);
      node.additional = SchemaNode::AdditionalProperties::kSchema;
    }
    if (!node.properties.empty() && node.additional != SchemaNode::AdditionalProperties::kDeny) {
      return Invalid(path + ".additionalProperties",
                     "additionalProperties and properties are mutually exclusive");
    }
  }
  if (auto it = schema.find("items"); it != schema.end()) {
    if (it->is_array()) {
      return Invalid(path + ".items", "must be a schema object, not a list of schemas");
    }
    auto compiled = Node(*it, path + ".items");
    if (!compiled.ok()) return compiled.status();
    node.items = *std::move(compiled);
  }
  return absl::OkStatus();
}

absl::Status SchemaCompiler::Combinators(const json& schema, const std::string& path,
                                         SchemaNode& node) {
  for (auto [key, list] :
       {std::pair{"allOf", &node.all_of}, {"anyOf", &node.any_of}, {"oneOf", &node.one_of}}) {
    auto it = schema.find(key);
    if (it == schema.end()) continue;
    if (!it->is_array()) return Invalid(absl::StrCat(path, ".", key), "must be a list");
    for (size_t i = 0; i < it->size(); ++i) {
      auto compiled = Node((*it)[i], absl::StrCat(path, ".", key, "[", i, "]"));
      if (!compiled.ok()) return compiled.status();
      list->push_back(*std::move(compiled));
    }
  }
  if (auto it = schema.find("not"); it != schema.end()) {
    auto compiled = Node(*it, path + ".not");
    if (!compiled.ok()) return compiled.status();
    node.not_schema = *std::move(compiled);
  }
  return absl::OkStatus();
}

absl::Status SchemaCompiler::ListAndMapTypes(const json& schema, const std::string& path,
                                             SchemaNode& node) {
  if (auto it = schema.find("x-kubernetes-list-type"); it != schema.end()) {
    const std::string type = it->is_string() ? it->get<std::string>() : "";
    if (type == "atomic")
      node.list_type = SchemaNode::ListType::kAtomic;
    else if (type == "set")
      node.list_type = SchemaNode::ListType::kSet;
    else if (type == "map")
      node.list_type = SchemaNode::ListType::kMap;
    else
      return Invalid(path + ".x-kubernetes-list-type", "must be one of atomic, set, map");
    if (!node.type.empty() && node.type != "array") {
      return Invalid(path + ".x-kubernetes-list-type", "must only be used on type array");
    }
  }
  if (auto status = ReadStrings(schema, "x-kubernetes-list-map-keys", path, node.list_map_keys);
      !status.ok()) {
    return status;
  }
  if (node.list_type == SchemaNode::ListType::kMap && node.list_map_keys.empty()) {
    return Invalid(path + ".x-kubernetes-list-map-keys",
                   "must not be empty if x-kubernetes-list-type is map");
  }
  if (!node.list_map_keys.empty() && node.list_type != SchemaNode::ListType::kMap) {
    return Invalid(path + ".x-kubernetes-list-map-keys",
                   "must be empty if x-kubernetes-list-type is not map");
  }
  if (auto it = schema.find("x-kubernetes-map-type"); it != schema.end()) {
    if (!it->is_string() || (*it != "granular" && *it != "atomic")) {
      return Invalid(path + ".x-kubernetes-map-type", "must be one of granular, atomic");
    }
  }
  return absl::OkStatus();
}

absl::Status SchemaCompiler::Rules(const json& schema, const std::string& path, SchemaNode& node) {
  auto it = schema.find("x-kubernetes-validations");
  if (it == schema.end()) return absl::OkStatus();
  if (!it->is_array()) return Invalid(path + ".x-kubernetes-validations", "must be a list");
  for (size_t i = 0; i < it->size(); ++i) {
    auto rule = CelRuleCompiler::Compile((*it)[i], node,
                                         absl::StrCat(path, ".x-kubernetes-validations[", i, "]"));
    if (!rule.ok()) return rule.status();
    if (rule->has_value()) {
      node.rules.push_back(**std::move(rule));
    } else {
      unsupported_rules_.push_back((*it)[i].value("rule", ""));
    }
  }
  return absl::OkStatus();
}

void SchemaCompiler::ComputeSubtreeFlags(SchemaNode& node) {
  node.subtree_has_rules = !node.rules.empty();
  node.subtree_has_list_sets =
      node.list_type == SchemaNode::ListType::kSet || node.list_type == SchemaNode::ListType::kMap;
  node.subtree_has_embedded = node.embedded_resource;
  auto absorb = [&node](const SchemaNode* child) {
    if (child == nullptr) return;
    node.subtree_has_rules |= child->subtree_has_rules;
    node.subtree_has_list_sets |= child->subtree_has_list_sets;
    node.subtree_has_embedded |= child->subtree_has_embedded;
  };
  for (const auto& [name, child] : node.properties) absorb(child.get());
  absorb(node.additional_properties.get());
  absorb(node.items.get());
}

}  // namespace certforge::kube
