#pragma once
// Tokenizer for the CEL subset that CRD x-kubernetes-validations rules use.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace certforge::kube {

struct CelToken {
  enum class Kind { kIdentifier, kInt, kDouble, kString, kPunct, kEnd };
  Kind kind = Kind::kEnd;
  std::string text;  // identifier name, punctuation ("&&", "("), or the decoded string literal
  uint64_t int_value = 0;  // magnitude of an integer literal (the parser applies a leading '-')
  double double_value = 0;
  size_t position = 0;  // byte offset in the source, for error messages
};

class CelLexer {
 public:
  // The whole expression as tokens, ending with a kEnd token.
  static absl::StatusOr<std::vector<CelToken>> Tokenize(std::string_view source);

 private:
  explicit CelLexer(std::string_view source) : source_(source) {}

  absl::StatusOr<CelToken> Next();
  absl::StatusOr<CelToken> Number();
  absl::StatusOr<CelToken> String(bool raw);
  absl::Status Escape(std::string& out);
  void SkipSpaceAndComments();
  absl::Status Error(std::string_view what) const;

  std::string_view source_;
  size_t pos_ = 0;
};

}  // namespace certforge::kube
