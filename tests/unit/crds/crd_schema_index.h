#pragma once
// A CustomResourceDefinition loaded from YAML, with its v1 openAPIV3Schema flattened into property
// paths, so two CRDs can be compared path by path.
//
// Path syntax: "" is the schema root, ".spec.issuerRef.name" a property, "[]" the items of an
// array (".spec.dnsNames[]") and "{}" the values of a map (".spec.secretTemplate.labels{}").

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace certforge::crds {

class CrdSchemaIndex {
 public:
  CrdSchemaIndex(const CrdSchemaIndex&) = default;
  CrdSchemaIndex(CrdSchemaIndex&&) = default;
  // YAML::Node's operator= writes through to the referenced node, so assigning an index would
  // corrupt the document it was built from.
  CrdSchemaIndex& operator=(const CrdSchemaIndex&) = delete;
  CrdSchemaIndex& operator=(CrdSchemaIndex&&) = delete;

  static absl::StatusOr<CrdSchemaIndex> FromFile(const std::filesystem::path& file);
  static absl::StatusOr<CrdSchemaIndex> FromString(std::string_view yaml);

  // The whole CustomResourceDefinition document.
  const YAML::Node& Crd() const { return crd_; }
  // The entry of spec.versions named `version`, or a null node.
  YAML::Node Version(std::string_view version) const;

  // Every schema node of the first version, by path, in path order.
  const std::map<std::string, YAML::Node>& Nodes() const { return nodes_; }
  std::optional<YAML::Node> Find(const std::string& path) const;

  // The nearest node at or above `path` (by whole path segments) that keeps unknown fields, if
  // any: everything below such a node is accepted unvalidated.
  std::optional<std::string> PreservingAncestor(const std::string& path) const;

  // "(root)" for the root path, the path itself otherwise: for failure messages.
  static std::string Label(const std::string& path);

 private:
  CrdSchemaIndex() = default;
  static absl::StatusOr<CrdSchemaIndex> FromNode(const YAML::Node& crd);
  void Index(const YAML::Node& schema, const std::string& path);

  YAML::Node crd_;
  std::map<std::string, YAML::Node> nodes_;
};

// Small readers over schema nodes that never throw and never insert keys.
// The value under `key`, or a null node when `node` is no map or lacks the key.
YAML::Node Field(const YAML::Node& node, std::string_view key);
std::string ScalarOr(const YAML::Node& node, std::string_view key, std::string fallback = "");
std::vector<std::string> ScalarList(const YAML::Node& node, std::string_view key);
bool FlagSet(const YAML::Node& node, std::string_view key);
// True when `ancestor` is `path` or one of its parents, by whole segments (".a" is not above
// ".ab").
bool IsAtOrBelow(const std::string& ancestor, const std::string& path);
// Order-independent text form of any YAML value, for equality checks.
std::string Canonical(const YAML::Node& value);

}  // namespace certforge::crds
