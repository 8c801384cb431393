#include "tests/unit/crds/crd_schema_index.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace certforge::crds {
YAML::Node Field(const YAML::Node& node, std::string_view key) {
  if (!node.IsMap()) return YAML::Node();
  const YAML::Node& constant = node;  // const access never inserts the key
  YAML::Node value = constant[std::string(key)];
  return value.IsDefined() ? value : YAML::Node();  // a missing key must not throw later
}

bool IsAtOrBelow(const std::string& ancestor, const std::string& path) {
  if (ancestor.size() > path.size() || path.compare(0, ancestor.size(), ancestor) != 0) {
    return false;
  }
  if (ancestor.size() == path.size()) return true;
  const char next = path[ancestor.size()];
  return next == '.' || next == '[' || next == '{';
}

std::string ScalarOr(const YAML::Node& node, std::string_view key, std::string fallback) {
  YAML::Node value = Field(node, key);
  return value.IsScalar() ? value.Scalar() : fallback;
}

std::vector<std::string> ScalarList(const YAML::Node& node, std::string_view key) {
  std::vector<std::string> out;
  YAML::Node list = Field(node, key);
  if (!list.IsSequence()) return out;
  for (const YAML::Node& item : list) {
    out.push_back(item.IsScalar() ? item.Scalar() : Canonical(item));
  }
  return out;
}

bool FlagSet(const YAML::Node& node, std::string_view key) {
  YAML::Node value = Field(node, key);
  return value.IsScalar() && value.Scalar() == "true";
}

std::string Canonical(const YAML::Node& value) {
  if (!value.IsDefined() || value.IsNull()) return "null";
  if (value.IsScalar()) return "'" + value.Scalar() + "'";
  std::vector<std::string> parts;
  if (value.IsSequence()) {
    for (const YAML::Node& item : value) parts.push_back(Canonical(item));
    std::string out = "[";
    for (const std::string& part : parts) absl::StrAppend(&out, part, ",");
    return out + "]";
  }
  for (const auto& entry : value) {
    parts.push_back(Canonical(entry.first) + ":" + Canonical(entry.second));
  }
  std::sort(parts.begin(), parts.end());
  std::string out = "{";
  for (const std::string& part : parts) absl::StrAppend(&out, part, ",");
  return out + "}";
}

absl::StatusOr<CrdSchemaIndex> CrdSchemaIndex::FromFile(const std::filesystem::path& file) {
  try {
    return FromNode(YAML::LoadFile(file.string()));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(absl::StrCat(file.string(), ": ", e.what()));
  }
}

absl::StatusOr<CrdSchemaIndex> CrdSchemaIndex::FromString(std::string_view yaml) {
  try {
    return FromNode(YAML::Load(std::string(yaml)));
  } catch (const YAML::Exception& e) {
    return absl::InvalidArgumentError(e.what());
  }
}

absl::StatusOr<CrdSchemaIndex> CrdSchemaIndex::FromNode(const YAML::Node& crd) {
  if (ScalarOr(crd, "kind") != "CustomResourceDefinition") {
    return absl::InvalidArgumentError("not a CustomResourceDefinition");
  }
  CrdSchemaIndex index;
  index.crd_.reset(crd);
  YAML::Node versions = Field(Field(crd, "spec"), "versions");
  if (!versions.IsSequence() || versions.size() == 0) {
    return absl::InvalidArgumentError("CRD has no spec.versions");
  }
  YAML::Node schema = Field(Field(versions[0], "schema"), "openAPIV3Schema");
  if (!schema.IsMap()) return absl::InvalidArgumentError("CRD has no openAPIV3Schema");
  index.Index(schema, "");
  return index;
}

void CrdSchemaIndex::Index(const YAML::Node& schema, const std::string& path) {
  nodes_.emplace(path, schema);
  YAML::Node properties = Field(schema, "properties");
  if (properties.IsMap()) {
    for (const auto& entry : properties) {
      Index(entry.second, path + "." + entry.first.Scalar());
    }
  }
  YAML::Node items = Field(schema, "items");
  if (items.IsMap()) Index(items, path + "[]");
  YAML::Node values = Field(schema, "additionalProperties");
  if (values.IsMap()) Index(values, path + "{}");
}

YAML::Node CrdSchemaIndex::Version(std::string_view version) const {
  YAML::Node versions = Field(Field(crd_, "spec"), "versions");
  if (versions.IsSequence()) {
    for (const YAML::Node& entry : versions) {
      if (ScalarOr(entry, "name") == version) return entry;
    }
  }
  return YAML::Node();
}

std::optional<YAML::Node> CrdSchemaIndex::Find(const std::string& path) const {
  auto it = nodes_.find(path);
  if (it == nodes_.end()) return std::nullopt;
  return it->second;
}

std::optional<std::string> CrdSchemaIndex::PreservingAncestor(const std::string& path) const {
  std::optional<std::string> nearest;
  for (const auto& [candidate, node] : nodes_) {
    if (FlagSet(node, "x-kubernetes-preserve-unknown-fields") && IsAtOrBelow(candidate, path) &&
        (!nearest || candidate.size() > nearest->size())) {
      nearest = candidate;
    }
  }
  return nearest;
}

std::string CrdSchemaIndex::Label(const std::string& path) {
  return path.empty() ? "(root)" : path;
}

}  // namespace certforge::crds
