#pragma once
// Kubernetes label selectors: the text form of ?labelSelector= and kubectl -l, and
// metav1.LabelSelector objects ({matchLabels, matchExpressions}).

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace certforge::kube {

class LabelSelector {
 public:
  enum class Operator {
    kEquals,
    kNotEquals,
    kIn,
    kNotIn,
    kExists,
    kDoesNotExist,
    kGreaterThan,
    kLessThan
  };
  struct Requirement {
    std::string key;
    Operator op;
    std::vector<std::string> values;  // sorted and unique; empty for kExists and kDoesNotExist
  };

  // Comma-separated requirements: k=v, k==v, k!=v, k in (a,b), k notin (a), k, !k, k>1, k<1.
  // Empty text selects everything. Errors are InvalidArgumentError naming the bad part.
  static absl::StatusOr<LabelSelector> Parse(std::string_view text);
  // A metav1.LabelSelector. As in Kubernetes, null selects nothing and {} selects everything.
  static absl::StatusOr<LabelSelector> FromJson(const nlohmann::json& sel);
  // Validates the key and values like Kubernetes' NewRequirement.
  static absl::StatusOr<Requirement> MakeRequirement(std::string key, Operator op,
                                                     std::vector<std::string> values);

  // `labels`: an object of string to string, or null (no labels). != and notin match objects
  // without the label.
  bool Matches(const nlohmann::json& labels) const;
  bool Empty() const { return !nothing_ && requirements_.empty(); }  // selects everything
  bool SelectsNothing() const { return nothing_; }
  // Canonical text: requirements sorted by key, "=" for equality, set values sorted. A selector
  // that selects nothing renders as "" like Kubernetes' (check SelectsNothing() first).
  std::string ToString() const;
  const std::vector<Requirement>& requirements() const { return requirements_; }

 private:
  LabelSelector(std::vector<Requirement> requirements, bool nothing);

  std::vector<Requirement> requirements_;
  bool nothing_ = false;
};

}  // namespace certforge::kube
