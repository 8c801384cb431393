#pragma once
// Kubernetes field selectors (?fieldSelector=metadata.name=x,involvedObject.kind=Certificate).

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace certforge::kube {

class FieldSelector {
 public:
  struct Requirement {
    std::string field;
    bool equals;  // false for !=
    std::string value;
  };

  // Comma-separated "field=value", "field==value" or "field!=value" terms, sorted like
  // Kubernetes. Values may contain \\, \= and \, escapes; an unescaped = or , in a value, another
  // escape, or a term without an operator or field name is InvalidArgumentError.
  static absl::StatusOr<FieldSelector> Parse(std::string_view text);

  const std::vector<Requirement>& requirements() const { return requirements_; }
  bool Empty() const { return requirements_.empty(); }
  // value_of returns a field's value as a string, or nullopt when the object has no such field
  // (treated as "").
  bool Matches(
      const std::function<std::optional<std::string>(const std::string& field)>& value_of) const;
  // Canonical text with values escaped again, so that Parse(ToString()) round-trips.
  std::string ToString() const;

 private:
  explicit FieldSelector(std::vector<Requirement> requirements)
      : requirements_(std::move(requirements)) {}

  std::vector<Requirement> requirements_;
};

// The value at a dotted path ("metadata.name", "involvedObject.kind", "spec.issuerRef.name") as
// Kubernetes renders it for field selection: strings as-is, numbers/bools as text, absent or null
// → nullopt. Objects and arrays are not selectable and give nullopt too.
std::optional<std::string> JsonFieldValue(const nlohmann::json& object,
                                          std::string_view dotted_path);

}  // namespace certforge::kube
