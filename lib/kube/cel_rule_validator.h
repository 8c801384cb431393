#pragma once
// Runs the compiled x-kubernetes-validations rules over an object, reporting failures the way
// apiextensions-apiserver's CEL validator does.

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/kube/field_error.h"
#include "lib/kube/schema_node.h"

namespace certforge::kube {

class CelRuleValidator {
 public:
  static void Validate(const SchemaNode& root, const nlohmann::json& object,
                       std::vector<FieldError>& out);

 private:
  static void Walk(const SchemaNode& node, const nlohmann::json& value, std::string& path,
                   std::vector<FieldError>& out);
  static void Check(const SchemaNode& node, const CelRule& rule, const nlohmann::json& value,
                    const std::string& path, std::vector<FieldError>& out);
};

}  // namespace certforge::kube
