#include "lib/kube/yaml_to_json.h"

#include <yaml-cpp/yaml.h>

#include <regex>
#include <string>

namespace certforge::kube {
namespace {

using nlohmann::json;

json PlainScalar(const std::string& s) {
  static const std::regex kInt("^[-+]?[0-9]+$");
  static const std::regex kOctal("^0o[0-7]+$");
  static const std::regex kHex("^0x[0-9a-fA-F]+$");
  static const std::regex kFloat(R"(^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$)");
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  try {
    if (std::regex_match(s, kInt)) return std::stoll(s);
    if (std::regex_match(s, kOctal)) return std::stoll(s.substr(2), nullptr, 8);
    if (std::regex_match(s, kHex)) return std::stoll(s.substr(2), nullptr, 16);
    if (std::regex_match(s, kFloat)) return std::stod(s);
  } catch (const std::out_of_range&) {
    return s;  // too large for a number: keep the text
  }
  if (s == ".inf" || s == ".Inf" || s == "+.inf") return std::numeric_limits<double>::infinity();
  if (s == "-.inf" || s == "-.Inf") return -std::numeric_limits<double>::infinity();
  return s;
}

json Convert(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      return nullptr;
    case YAML::NodeType::Scalar:
      // "!" is the tag of quoted scalars; "?" of plain ones (which get typed).
      if (node.Tag() == "!" || node.Tag() == "tag:yaml.org,2002:str") return node.Scalar();
      return PlainScalar(node.Scalar());
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(Convert(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& kv : node) out[kv.first.as<std::string>()] = Convert(kv.second);
      return out;
    }
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<std::vector<json>> YamlDocumentsToJson(std::string_view yaml) {
  try {
    std::vector<json> out;
    for (const auto& doc : YAML::LoadAll(std::string(yaml))) {
      json j = Convert(doc);
      if (!j.is_null()) out.push_back(std::move(j));
    }
    return out;
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(std::string("invalid YAML: ") + e.what());
  }
}

absl::StatusOr<json> YamlToJson(std::string_view yaml) {
  auto docs = YamlDocumentsToJson(yaml);
  if (!docs.ok()) return docs.status();
  if (docs->empty()) return json(nullptr);
  return std::move(docs->front());
}

}  // namespace certforge::kube
