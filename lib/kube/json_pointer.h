#pragma once
// RFC 6901 JSON pointers over nlohmann::json, for the JSON patch applier.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace certforge::kube {

class JsonPointer {
 public:
  // "" is the whole document; otherwise "/" then reference tokens with ~0 (~) and ~1 (/) escapes.
  static absl::StatusOr<JsonPointer> Parse(std::string_view text);

  const std::vector<std::string>& tokens() const { return tokens_; }
  bool IsRoot() const { return tokens_.empty(); }
  // True when this pointer names a location strictly inside `other`'s value.
  bool IsInside(const JsonPointer& other) const;

  // The value at this pointer, or nullptr when it does not exist.
  const nlohmann::json* Find(const nlohmann::json& doc) const;

  // Each fails with FailedPreconditionError saying what is missing or out of range.
  absl::Status Add(nlohmann::json& doc, nlohmann::json value) const;
  absl::StatusOr<nlohmann::json> Remove(nlohmann::json& doc) const;  // returns the removed value
  absl::Status Replace(nlohmann::json& doc, nlohmann::json value) const;

 private:
  explicit JsonPointer(std::vector<std::string> tokens) : tokens_(std::move(tokens)) {}
  // The container holding the last token; fails when a step on the way is missing.
  absl::StatusOr<nlohmann::json*> Parent(nlohmann::json& doc) const;

  std::vector<std::string> tokens_;
};

}  // namespace certforge::kube
