#pragma once
// x-kubernetes-embedded-resource objects must carry apiVersion and kind, like a top-level object
// (apiextensions-apiserver's schema/objectmeta validation, without ObjectMeta's own rules).

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/kube/field_error.h"
#include "lib/kube/schema_node.h"

namespace certforge::kube {

class EmbeddedResourceValidator {
 public:
  static void Validate(const SchemaNode& root, const nlohmann::json& object,
                       std::vector<FieldError>& out);

 private:
  static void Walk(const SchemaNode& node, const nlohmann::json& value, std::string& path,
                   std::vector<FieldError>& out);
  static void CheckTypeMeta(const nlohmann::json& object, std::string& path,
                            std::vector<FieldError>& out);
};

}  // namespace certforge::kube
