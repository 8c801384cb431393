#pragma once
// Lexer and parser for the text form of label selectors (Kubernetes' labels.Parse grammar).

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/kube/label_selector.h"

namespace certforge::kube {

class LabelSelectorParser {
 public:
  explicit LabelSelectorParser(std::string_view text);
  // Requirements in the order written; validated.
  absl::StatusOr<std::vector<LabelSelector::Requirement>> Parse();

 private:
  enum class Token {
    kIdentifier,
    kComma,
    kOpenParen,
    kCloseParen,
    kEquals,
    kDoubleEquals,
    kNotEquals,
    kNot,
    kGreater,
    kLess,
    kEnd
  };
  struct Lexeme {
    Token token;
    std::string text;
  };

  Lexeme Scan();
  const Lexeme& Peek();
  Lexeme Next();
  absl::StatusOr<LabelSelector::Requirement> ParseRequirement();
  absl::StatusOr<std::vector<std::string>> ParseValueSet();
  absl::Status Unexpected(const Lexeme& found, std::string_view expected) const;

  std::string_view text_;
  size_t position_ = 0;
  bool peeked_ = false;
  Lexeme lookahead_;
};

}  // namespace certforge::kube
