#pragma once
// Recursive-descent parser for the CEL subset (CEL's grammar and precedence).

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/kube/cel_ast.h"
#include "lib/kube/cel_lexer.h"

namespace certforge::kube {

struct CelProgram {
  std::unique_ptr<CelNode> root;
  int slot_count = 1;  // variables the evaluator must reserve (self + nested comprehensions)
};

class CelParser {
 public:
  // InvalidArgument for syntax errors and unknown names; Unimplemented for valid CEL outside
  // the subset (oldSelf, functions certforge does not provide).
  static absl::StatusOr<CelProgram> Parse(std::string_view source);

 private:
  explicit CelParser(std::vector<CelToken> tokens) : tokens_(std::move(tokens)) {}

  using NodeOr = absl::StatusOr<std::unique_ptr<CelNode>>;
  NodeOr Expression();
  NodeOr ConditionalOr();
  NodeOr ConditionalAnd();
  NodeOr Relation();
  NodeOr Addition();
  NodeOr Multiplication();
  NodeOr Unary();
  NodeOr Member();
  NodeOr Primary();
  NodeOr Identifier(const CelToken& token);
  NodeOr GlobalCall(const std::string& name);
  NodeOr MethodCall(std::unique_ptr<CelNode> receiver, const std::string& name);
  NodeOr Macro(std::unique_ptr<CelNode> range, CelMacro macro);
  absl::StatusOr<std::vector<std::unique_ptr<CelNode>>> Arguments(std::string_view close);

  const CelToken& Peek() const { return tokens_[pos_]; }
  bool IsPunct(std::string_view punct, size_t offset = 0) const;
  bool Accept(std::string_view punct);
  absl::Status Expect(std::string_view punct);
  absl::Status Error(std::string_view what) const;

  std::vector<CelToken> tokens_;
  size_t pos_ = 0;
  int depth_ = 0;
  std::vector<std::string> scope_ = {"self"};  // index = slot
  int max_slots_ = 1;
};

}  // namespace certforge::kube
