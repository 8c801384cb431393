#pragma once
// Structural pruning (apiextensions-apiserver's schema/pruning): drops every field the schema
// does not declare, except under x-kubernetes-preserve-unknown-fields and additionalProperties.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/kube/schema_node.h"

namespace certforge::kube {

class SchemaPruner {
 public:
  // Prunes `object` in place; returns the dropped fields ("spec.foo", "spec.items[0].bar") in
  // document order. apiVersion, kind and metadata of the object (and of embedded resources) are
  // left alone.
  static std::vector<std::string> Prune(const SchemaNode& root, nlohmann::json& object);

 private:
  static void Walk(const SchemaNode& node, nlohmann::json& value, bool is_resource,
                   std::string& path, std::vector<std::string>& removed);
};

}  // namespace certforge::kube
