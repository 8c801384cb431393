#include "lib/kube/schema_defaulter.h"

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

bool IsNonNullableNull(const nlohmann::json& value, const SchemaNode* node) {
  return value.is_null() && node != nullptr && !node->nullable;
}

}  // namespace

void SchemaDefaulter::Apply(const SchemaNode& root, nlohmann::json& object) {
  DropNonNullableNulls(&root, object);
  Default(root, object);
}

void SchemaDefaulter::DropNonNullableNulls(const SchemaNode* node, nlohmann::json& value) {
  if (value.is_object()) {
    std::vector<std::string> dropped;
    for (auto& [key, item] : value.items()) {
      const SchemaNode* child = node == nullptr ? nullptr : node->ChildFor(key);
      if (IsNonNullableNull(item, child) && !child->default_value) {
        dropped.push_back(key);
      } else {
        DropNonNullableNulls(child, item);
      }
    }
    for (const std::string& key : dropped) value.erase(key);
  } else if (value.is_array()) {
    const SchemaNode* items = node == nullptr ? nullptr : node->items.get();
    for (auto& item : value) DropNonNullableNulls(items, item);
  }
}

void SchemaDefaulter::Default(const SchemaNode& node, nlohmann::json& value) {
  if (value.is_object()) {
    for (const auto& [key, property] : node.properties) {
      if (!property->default_value) continue;
      auto it = value.find(key);
      if (it == value.end() || IsNonNullableNull(*it, property.get())) {
        value[key] = *property->default_value;
      }
    }
    for (auto& [key, item] : value.items()) {
      if (auto property = node.properties.find(key); property != node.properties.end()) {
        Default(*property->second, item);
      } else if (const SchemaNode* additional = node.additional_properties.get()) {
        if (IsNonNullableNull(item, additional) && additional->default_value) {
          item = *additional->default_value;
        }
        Default(*additional, item);
      }
    }
  } else if (value.is_array() && node.items != nullptr) {
    for (auto& item : value) {
      if (IsNonNullableNull(item, node.items.get()) && node.items->default_value) {
        item = *node.items->default_value;
      }
      Default(*node.items, item);
    }
  }
}

}  // namespace certforge::kube
