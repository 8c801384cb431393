#pragma once
// Recursive-descent parser for JSONPath expressions (see jsonpath.h for the grammar).

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "lib/kube/jsonpath_ast.h"

namespace certforge::kube::jsonpath {

class Parser {
 public:
  explicit Parser(std::string_view expression) : text_(expression) {}
  absl::StatusOr<std::vector<Step>> Parse();

 private:
  // Consumes steps for as long as the input continues with '.' or '['.
  absl::Status ParseSteps(std::vector<Step>& steps);
  absl::Status ParseDotted(std::vector<Step>& steps);
  absl::Status ParseBracket(std::vector<Step>& steps);
  absl::Status ParseIndexOrSlice(std::string_view content, Step& step);
  absl::StatusOr<std::shared_ptr<const Filter>> ParseFilter();
  absl::StatusOr<Operand> ParseOperand();
  absl::StatusOr<nlohmann::json> ParseNumber();
  absl::StatusOr<std::string> ParseQuoted();
  std::string ParseFieldName();

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < text_.size() ? text_[pos_ + ahead] : '\0';
  }
  bool Consume(char c);
  void SkipSpaces();
  absl::Status Error(std::string_view what) const;

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace certforge::kube::jsonpath
