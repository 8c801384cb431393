#include "lib/kube/schema_pruner.h"

#include "lib/kube/field_path.h"

namespace certforge::kube {
namespace {

bool IsTypeOrObjectMeta(const std::string& key) {
  return key == "apiVersion" || key == "kind" || key == "metadata";
}

}  // namespace

std::vector<std::string> SchemaPruner::Prune(const SchemaNode& root, nlohmann::json& object) {
  std::vector<std::string> removed;
  std::string path;
  Walk(root, object, /*is_resource=*/true, path, removed);
  return removed;
}

void SchemaPruner::Walk(const SchemaNode& node, nlohmann::json& value, bool is_resource,
                        std::string& path, std::vector<std::string>& removed) {
  if (value.is_array()) {
    if (node.items == nullptr) return;
    for (size_t i = 0; i < value.size(); ++i) {
      FieldPathScope scope(path, i);
      Walk(*node.items, value[i], node.items->embedded_resource, path, removed);
    }
    return;
  }
  if (!value.is_object()) return;
  std::vector<std::string> unknown;
  for (auto& [key, item] : value.items()) {
    if (is_resource && IsTypeOrObjectMeta(key)) continue;
    FieldPathScope scope(path, key);  // map keys are dotted too, as in kube's pruning paths
    if (auto property = node.properties.find(key); property != node.properties.end()) {
      Walk(*property->second, item, property->second->embedded_resource, path, removed);
    } else if (node.additional_properties != nullptr) {
      Walk(*node.additional_properties, item, node.additional_properties->embedded_resource, path,
           removed);
    } else if (node.additional != SchemaNode::AdditionalProperties::kAllowAny &&
               !node.preserve_unknown_fields) {
      unknown.push_back(key);
      removed.push_back(path);
    }
  }
  for (const std::string& key : unknown) value.erase(key);
}

}  // namespace certforge::kube
