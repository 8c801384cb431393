#include "tests/unit/kube_schema/yaml_json.h"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <stdexcept>

namespace certforge::kube::testing {
namespace {

nlohmann::json PlainScalar(const std::string& text) {
  static const std::regex kInt("^[-+]?[0-9]+$");
  static const std::regex kFloat(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  if (text.empty() || text == "~" || text == "null" || text == "Null" || text == "NULL") {
    return nullptr;
  }
  if (text == "true" || text == "True" || text == "TRUE") return true;
  if (text == "false" || text == "False" || text == "FALSE") return false;
  if (std::regex_match(text, kInt)) {
    try {
      return std::stoll(text);
    } catch (const std::out_of_range&) {
      return std::stod(text);
    }
  }
  if (std::regex_match(text, kFloat)) return std::stod(text);
  return text;
}

nlohmann::json Convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      // Quoted scalars carry the "!" tag; only plain ones are resolved to other types.
      if (node.Tag() == "!") return node.Scalar();
      return PlainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      nlohmann::json out = nlohmann::json::array();
      for (const auto& item : node) out.push_back(Convert(item));
      return out;
    }
    case YAML::NodeType::Map: {
      nlohmann::json out = nlohmann::json::object();
      for (const auto& entry : node) out[entry.first.as<std::string>()] = Convert(entry.second);
      return out;
    }
  }
  return nullptr;
}

}  // namespace

nlohmann::json YamlToJson(std::string_view yaml) { return Convert(YAML::Load(std::string(yaml))); }

std::vector<nlohmann::json> YamlDocumentsToJson(std::string_view yaml) {
  std::vector<nlohmann::json> out;
  for (const auto& document : YAML::LoadAll(std::string(yaml))) {
    if (!document.IsNull()) out.push_back(Convert(document));
  }
  return out;
}

}  // namespace certforge::kube::testing
