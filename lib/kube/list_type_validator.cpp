#include "lib/kube/list_type_validator.h"

#include <string>
#include <unordered_map>

#include "lib/kube/field_path.h"
#include "lib/kube/go_format.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;

// Identity of a value as Go compares them here: scalars by type and value (int64 1 and float64 1
// differ), objects and arrays by their JSON encoding.
std::string Identity(const json& value) {
  char tag = 'c';
  switch (value.type()) {
    case json::value_t::null:
      tag = 'n';
      break;
    case json::value_t::boolean:
      tag = 'b';
      break;
    case json::value_t::string:
      tag = 's';
      break;
    case json::value_t::number_float:
      tag = 'f';
      break;
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      tag = 'i';
      break;
    default:
      break;
  }
  return tag + GoJsonMarshal(value);
}

// Indices of the second appearance of every value that appears more than once.
std::vector<size_t> SecondAppearances(const std::vector<std::string>& identities) {
  std::unordered_map<std::string_view, int> seen;
  std::vector<size_t> indices;
  for (size_t i = 0; i < identities.size(); ++i) {
    if (++seen[identities[i]] == 2) indices.push_back(i);
  }
  return indices;
}

}  // namespace

void ListTypeValidator::Validate(const SchemaNode& root, const json& object,
                                 std::vector<FieldError>& out) {
  if (!object.is_object()) return;
  std::string path;
  Object(root, object, path, out);
}

void ListTypeValidator::Object(const SchemaNode& node, const json& object, std::string& path,
                               std::vector<FieldError>& out) {
  if (node.additional_properties != nullptr && node.additional_properties->subtree_has_list_sets) {
    for (const auto& [key, value] : object.items()) {
      FieldPathScope scope(path, key, FieldPathScope::Step::kKey);
      Value(*node.additional_properties, value, path, out);
    }
  }
  for (const auto& [key, value] : object.items()) {
    auto property = node.properties.find(key);
    if (property == node.properties.end() || !property->second->subtree_has_list_sets) continue;
    FieldPathScope scope(path, key);
    Value(*property->second, value, path, out);
  }
}

void ListTypeValidator::Value(const SchemaNode& node, const json& value, std::string& path,
                              std::vector<FieldError>& out) {
  if (value.is_array()) Array(node, value, path, out);
  if (value.is_object()) Object(node, value, path, out);
}

void ListTypeValidator::Array(const SchemaNode& node, const json& array, std::string& path,
                              std::vector<FieldError>& out) {
  if (node.list_type == SchemaNode::ListType::kSet && array.size() > 1) {
    std::vector<std::string> identities;
    identities.reserve(array.size());
    for (const json& item : array) identities.push_back(Identity(item));
    for (size_t index : SecondAppearances(identities)) {
      FieldPathScope scope(path, index);
      out.push_back(DuplicateError(path, array[index]));
    }
  } else if (node.list_type == SchemaNode::ListType::kMap) {
    ListMap(node, array, path, out);
  }
  if (node.items != nullptr && node.items->subtree_has_list_sets) {
    for (size_t i = 0; i < array.size(); ++i) {
      FieldPathScope scope(path, i);
      Value(*node.items, array[i], path, out);
    }
  }
}

void ListTypeValidator::ListMap(const SchemaNode& node, const json& array, std::string& path,
                                std::vector<FieldError>& out) {
  for (size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_null() && !array[i].is_object()) {
      FieldPathScope scope(path, i);
      out.push_back(
          InvalidError(path, array[i], "must be an object for an array of list-type map"));
      return;
    }
  }
  if (array.size() <= 1) return;
  // Items compare by their key fields; missing fields (or a null item) compare as absent.
  std::vector<json> keys;
  std::vector<std::string> identities;
  for (const json& item : array) {
    json key = json::object();
    if (item.is_object()) {
      for (const std::string& field : node.list_map_keys) {
        if (auto it = item.find(field); it != item.end()) key[field] = *it;
      }
    }
    identities.push_back(Identity(key));
    keys.push_back(std::move(key));
  }
  for (size_t index : SecondAppearances(identities)) {
    FieldPathScope scope(path, index);
    out.push_back(DuplicateError(path, keys[index]));
  }
}

}  // namespace certforge::kube
