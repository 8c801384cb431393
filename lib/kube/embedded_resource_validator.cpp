#include "lib/kube/embedded_resource_validator.h"

#include <algorithm>
#include <regex>

#include "absl/strings/str_cat.h"
#include "lib/kube/field_path.h"
#include "lib/kube/text_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;

// utilvalidation.IsDNS1035Label's messages.
std::string Dns1035LabelErrors(const std::string& label) {
  static const std::regex kLabel("^[a-z]([-a-z0-9]*[a-z0-9])?$");
  std::string errors;
  if (label.size() > 63) errors = "must be no more than 63 characters";
  if (!std::regex_match(label, kLabel)) {
    if (!errors.empty()) errors += ",";
    errors +=
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
        "an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or "
        "'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
  }
  return errors;
}

}  // namespace

void EmbeddedResourceValidator::Validate(const SchemaNode& root, const json& object,
                                         std::vector<FieldError>& out) {
  std::string path;
  Walk(root, object, path, out);
}

void EmbeddedResourceValidator::Walk(const SchemaNode& node, const json& value, std::string& path,
                                     std::vector<FieldError>& out) {
  if (!node.subtree_has_embedded) return;
  if (value.is_object()) {
    if (node.embedded_resource) CheckTypeMeta(value, path, out);
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

void EmbeddedResourceValidator::CheckTypeMeta(const json& object, std::string& path,
                                              std::vector<FieldError>& out) {
  for (const char* key : {"apiVersion", "kind"}) {
    if (!object.contains(key)) {
      FieldPathScope scope(path, key);
      out.push_back(RequiredError(path));
    }
  }
  if (auto it = object.find("apiVersion"); it != object.end()) {
    FieldPathScope scope(path, "apiVersion");
    if (!it->is_string()) {
      out.push_back(InvalidError(path, *it, "must be a string"));
    } else if (it->get_ref<const std::string&>().empty()) {
      out.push_back(RequiredError(path));
    } else if (const std::string& text = it->get_ref<const std::string&>();
               std::count(text.begin(), text.end(), '/') > 1) {
      out.push_back(
          InvalidError(path, *it, absl::StrCat("unexpected GroupVersion string: ", text)));
    }
  }
  if (auto it = object.find("kind"); it != object.end()) {
    FieldPathScope scope(path, "kind");
    if (!it->is_string()) {
      out.push_back(InvalidError(path, *it, "must be a string"));
    } else if (it->get_ref<const std::string&>().empty()) {
      out.push_back(RequiredError(path));
    } else if (const std::string errors =
                   Dns1035LabelErrors(AsciiLower(it->get_ref<const std::string&>()));
               !errors.empty()) {
      out.push_back(
          InvalidError(path, *it, "may have mixed case, but should otherwise match: " + errors));
    }
  }
}

}  // namespace certforge::kube
