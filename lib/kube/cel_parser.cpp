#include "lib/kube/cel_parser.h"

#include <limits>
#include <utility>

#include "absl/strings/str_cat.h"

namespace certforge::kube {
namespace {

constexpr int kMaxNesting = 64;

using Node = std::unique_ptr<CelNode>;

Node MakeNode(CelNode::Kind kind) {
  auto node = std::make_unique<CelNode>();
  node->kind = kind;
  return node;
}

Node MakeBinary(CelNode::Kind kind, CelOp op, Node left, Node right) {
  Node node = MakeNode(kind);
  node->op = op;
  node->children.push_back(std::move(left));
  node->children.push_back(std::move(right));
  return node;
}

bool LookupMacro(const std::string& name, CelMacro& macro) {
  if (name == "all")
    macro = CelMacro::kAll;
  else if (name == "exists")
    macro = CelMacro::kExists;
  else if (name == "exists_one")
    macro = CelMacro::kExistsOne;
  else if (name == "map")
    macro = CelMacro::kMap;
  else if (name == "filter")
    macro = CelMacro::kFilter;
  else
    return false;
  return true;
}

}  // namespace

absl::StatusOr<CelProgram> CelParser::Parse(std::string_view source) {
  auto tokens = CelLexer::Tokenize(source);
  if (!tokens.ok()) return tokens.status();
  CelParser parser(*std::move(tokens));
  auto root = parser.Expression();
  if (!root.ok()) return root.status();
  if (parser.Peek().kind != CelToken::Kind::kEnd) return parser.Error("unexpected trailing input");
  return CelProgram{*std::move(root), parser.max_slots_};
}

bool CelParser::IsPunct(std::string_view punct, size_t offset) const {
  if (pos_ + offset >= tokens_.size()) return false;
  const CelToken& token = tokens_[pos_ + offset];
  return token.kind == CelToken::Kind::kPunct && token.text == punct;
}

bool CelParser::Accept(std::string_view punct) {
  if (!IsPunct(punct)) return false;
  ++pos_;
  return true;
}

absl::Status CelParser::Expect(std::string_view punct) {
  if (Accept(punct)) return absl::OkStatus();
  return Error(absl::StrCat("expected '", std::string(punct), "'"));
}

absl::Status CelParser::Error(std::string_view what) const {
  const CelToken& token = Peek();
  const std::string near = token.kind == CelToken::Kind::kEnd ? "end of input" : token.text;
  return absl::InvalidArgumentError(absl::StrCat("Syntax error: ", std::string(what), " near '",
                                                 near, "' at offset ", token.position));
}

CelParser::NodeOr CelParser::Expression() {
  struct DepthGuard {
    int& depth;
    ~DepthGuard() { --depth; }
  } guard{++depth_};
  if (depth_ > kMaxNesting) return Error("expression nests too deeply");
  auto condition = ConditionalOr();
  if (!condition.ok() || !Accept("?")) return condition;
  auto then_branch = ConditionalOr();
  if (!then_branch.ok()) return then_branch;
  if (auto status = Expect(":"); !status.ok()) return status;
  auto else_branch = Expression();
  if (!else_branch.ok()) return else_branch;
  Node node = MakeNode(CelNode::Kind::kConditional);
  node->children.push_back(*std::move(condition));
  node->children.push_back(*std::move(then_branch));
  node->children.push_back(*std::move(else_branch));
  return node;
}

CelParser::NodeOr CelParser::ConditionalOr() {
  auto left = ConditionalAnd();
  while (left.ok() && Accept("||")) {
    auto right = ConditionalAnd();
    if (!right.ok()) return right;
    left = MakeBinary(CelNode::Kind::kOr, CelOp::kNot, *std::move(left), *std::move(right));
  }
  return left;
}

CelParser::NodeOr CelParser::ConditionalAnd() {
  auto left = Relation();
  while (left.ok() && Accept("&&")) {
    auto right = Relation();
    if (!right.ok()) return right;
    left = MakeBinary(CelNode::Kind::kAnd, CelOp::kNot, *std::move(left), *std::move(right));
  }
  return left;
}

CelParser::NodeOr CelParser::Relation() {
  static const std::pair<std::string_view, CelOp> kRelations[] = {
      {"==", CelOp::kEqual},     {"!=", CelOp::kNotEqual}, {"<", CelOp::kLess},
      {"<=", CelOp::kLessEqual}, {">", CelOp::kGreater},   {">=", CelOp::kGreaterEqual}};
  auto left = Addition();
  while (left.ok()) {
    std::optional<CelOp> op;
    for (const auto& [punct, relation] : kRelations) {
      if (Accept(punct)) {
        op = relation;
        break;
      }
    }
    if (!op && Peek().kind == CelToken::Kind::kIdentifier && Peek().text == "in") {
      ++pos_;
      op = CelOp::kIn;
    }
    if (!op) break;
    auto right = Addition();
    if (!right.ok()) return right;
    left = MakeBinary(CelNode::Kind::kBinary, *op, *std::move(left), *std::move(right));
  }
  return left;
}

CelParser::NodeOr CelParser::Addition() {
  auto left = Multiplication();
  while (left.ok() && (IsPunct("+") || IsPunct("-"))) {
    const CelOp op = Peek().text == "+" ? CelOp::kAdd : CelOp::kSubtract;
    ++pos_;
    auto right = Multiplication();
    if (!right.ok()) return right;
    left = MakeBinary(CelNode::Kind::kBinary, op, *std::move(left), *std::move(right));
  }
  return left;
}

CelParser::NodeOr CelParser::Multiplication() {
  auto left = Unary();
  while (left.ok() && (IsPunct("*") || IsPunct("/") || IsPunct("%"))) {
    const std::string& punct = Peek().text;
    const CelOp op = punct == "*"   ? CelOp::kMultiply
                     : punct == "/" ? CelOp::kDivide
                                    : CelOp::kModulo;
    ++pos_;
    auto right = Unary();
    if (!right.ok()) return right;
    left = MakeBinary(CelNode::Kind::kBinary, op, *std::move(left), *std::move(right));
  }
  return left;
}

CelParser::NodeOr CelParser::Unary() {
  if (IsPunct("-") && tokens_[pos_ + 1].kind == CelToken::Kind::kInt) {
    // Fold negative integer literals so the most negative int64 can be written.
    const CelToken& literal = tokens_[pos_ + 1];
    constexpr uint64_t kMinMagnitude = uint64_t{1} << 63;
    if (literal.int_value <= kMinMagnitude && !IsPunct(".", 2) && !IsPunct("[", 2)) {
      pos_ += 2;
      Node node = MakeNode(CelNode::Kind::kLiteral);
      node->literal = CelValue::Int(literal.int_value == kMinMagnitude
                                        ? std::numeric_limits<int64_t>::min()
                                        : -static_cast<int64_t>(literal.int_value));
      return node;
    }
  }
  if (IsPunct("!") || IsPunct("-")) {
    const CelOp op = Peek().text == "!" ? CelOp::kNot : CelOp::kNegate;
    ++pos_;
    auto operand = Unary();
    if (!operand.ok()) return operand;
    Node node = MakeNode(CelNode::Kind::kUnary);
    node->op = op;
    node->children.push_back(*std::move(operand));
    return node;
  }
  return Member();
}

CelParser::NodeOr CelParser::Member() {
  auto node = Primary();
  while (node.ok()) {
    if (Accept(".")) {
      if (Peek().kind != CelToken::Kind::kIdentifier) return Error("expected a field name");
      const std::string name = tokens_[pos_++].text;
      if (Accept("(")) {
        node = MethodCall(*std::move(node), name);
        continue;
      }
      Node select = MakeNode(CelNode::Kind::kSelect);
      select->name = name;
      select->children.push_back(*std::move(node));
      node = std::move(select);
    } else if (Accept("[")) {
      auto index = Expression();
      if (!index.ok()) return index;
      if (auto status = Expect("]"); !status.ok()) return status;
      Node access = MakeNode(CelNode::Kind::kIndex);
      access->children.push_back(*std::move(node));
      access->children.push_back(*std::move(index));
      node = std::move(access);
    } else {
      break;
    }
  }
  return node;
}

CelParser::NodeOr CelParser::Primary() {
  const CelToken token = Peek();
  switch (token.kind) {
    case CelToken::Kind::kInt: {
      ++pos_;
      if (token.int_value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Error("integer literal out of range");
      }
      Node node = MakeNode(CelNode::Kind::kLiteral);
      node->literal = CelValue::Int(static_cast<int64_t>(token.int_value));
      return node;
    }
    case CelToken::Kind::kDouble: {
      ++pos_;
      Node node = MakeNode(CelNode::Kind::kLiteral);
      node->literal = CelValue::Double(token.double_value);
      return node;
    }
    case CelToken::Kind::kString: {
      ++pos_;
      Node node = MakeNode(CelNode::Kind::kLiteral);
      node->literal = CelValue::String(token.text);
      return node;
    }
    case CelToken::Kind::kIdentifier:
      ++pos_;
      return Identifier(token);
    case CelToken::Kind::kPunct:
      if (Accept("(")) {
        auto inner = Expression();
        if (!inner.ok()) return inner;
        if (auto status = Expect(")"); !status.ok()) return status;
        return inner;
      }
      if (Accept("[")) {
        auto items = Arguments("]");
        if (!items.ok()) return items.status();
        Node node = MakeNode(CelNode::Kind::kList);
        node->children = *std::move(items);
        return node;
      }
      if (IsPunct("{")) {
        return absl::UnimplementedError("map literals are not supported");
      }
      return Error("unexpected token");
    case CelToken::Kind::kEnd:
      return Error("unexpected end of expression");
  }
  return Error("unexpected token");
}

CelParser::NodeOr CelParser::Identifier(const CelToken& token) {
  const std::string& name = token.text;
  if (name == "true" || name == "false" || name == "null") {
    Node node = MakeNode(CelNode::Kind::kLiteral);
    if (name != "null") node->literal = CelValue::Bool(name == "true");
    return node;
  }
  if (Accept("(")) return GlobalCall(name);
  for (int slot = static_cast<int>(scope_.size()) - 1; slot >= 0; --slot) {
    if (scope_[slot] == name) {
      Node node = MakeNode(CelNode::Kind::kVariable);
      node->slot = slot;
      node->name = name;
      return node;
    }
  }
  if (name == "oldSelf") {
    return absl::UnimplementedError("transition rules (oldSelf) are not supported");
  }
  return absl::InvalidArgumentError(absl::StrCat("undeclared reference to '", name, "'"));
}

CelParser::NodeOr CelParser::GlobalCall(const std::string& name) {
  if (name == "has") {
    auto args = Arguments(")");
    if (!args.ok()) return args.status();
    if (args->size() != 1 || (*args)[0]->kind != CelNode::Kind::kSelect) {
      return absl::InvalidArgumentError("invalid argument to has() macro");
    }
    Node select = std::move((*args)[0]);
    select->kind = CelNode::Kind::kHas;
    return select;
  }
  CelFunction function;
  size_t arity = 1;
  if (name == "size")
    function = CelFunction::kSize;
  else if (name == "int")
    function = CelFunction::kToInt;
  else if (name == "double")
    function = CelFunction::kToDouble;
  else if (name == "string")
    function = CelFunction::kToString;
  else
    return absl::UnimplementedError(absl::StrCat("function '", name, "' is not supported"));
  auto args = Arguments(")");
  if (!args.ok()) return args.status();
  if (args->size() != arity) {
    return absl::InvalidArgumentError(absl::StrCat("wrong number of arguments to ", name, "()"));
  }
  Node node = MakeNode(CelNode::Kind::kCall);
  node->function = function;
  node->name = name;
  node->children = *std::move(args);
  return node;
}

CelParser::NodeOr CelParser::MethodCall(std::unique_ptr<CelNode> receiver,
                                        const std::string& name) {
  CelMacro macro;
  if (LookupMacro(name, macro)) return Macro(std::move(receiver), macro);
  CelFunction function;
  size_t arity = 1;
  if (name == "size") {
    function = CelFunction::kSize;
    arity = 0;
  } else if (name == "startsWith") {
    function = CelFunction::kStartsWith;
  } else if (name == "endsWith") {
    function = CelFunction::kEndsWith;
  } else if (name == "contains") {
    function = CelFunction::kContains;
  } else if (name == "matches") {
    function = CelFunction::kMatches;
  } else {
    return absl::UnimplementedError(absl::StrCat("function '", name, "' is not supported"));
  }
  auto args = Arguments(")");
  if (!args.ok()) return args.status();
  if (args->size() != arity) {
    return absl::InvalidArgumentError(absl::StrCat("wrong number of arguments to ", name, "()"));
  }
  Node node = MakeNode(CelNode::Kind::kCall);
  node->function = function;
  node->name = name;
  node->children.push_back(std::move(receiver));
  for (auto& arg : *args) node->children.push_back(std::move(arg));
  if (function == CelFunction::kMatches && node->children[1]->kind == CelNode::Kind::kLiteral &&
      node->children[1]->literal.kind() == CelValue::Kind::kString) {
    try {
      node->regex = std::make_shared<const std::regex>(
          std::string(node->children[1]->literal.AsString()), std::regex::ECMAScript);
    } catch (const std::regex_error& e) {
      return absl::InvalidArgumentError(absl::StrCat("invalid regular expression: ", e.what()));
    }
  }
  return node;
}

CelParser::NodeOr CelParser::Macro(std::unique_ptr<CelNode> range, CelMacro macro) {
  if (Peek().kind != CelToken::Kind::kIdentifier || !IsPunct(",", 1)) {
    return Error("the first argument of a comprehension must be a variable name");
  }
  const std::string variable = tokens_[pos_].text;
  pos_ += 2;
  scope_.push_back(variable);
  max_slots_ = std::max(max_slots_, static_cast<int>(scope_.size()));
  auto body = Expression();
  scope_.pop_back();
  if (!body.ok()) return body;
  if (IsPunct(",")) return absl::UnimplementedError("three-argument map() is not supported");
  if (auto status = Expect(")"); !status.ok()) return status;
  Node node = MakeNode(CelNode::Kind::kComprehension);
  node->macro = macro;
  node->slot = static_cast<int>(scope_.size());
  node->name = variable;
  node->children.push_back(std::move(range));
  node->children.push_back(*std::move(body));
  return node;
}

absl::StatusOr<std::vector<std::unique_ptr<CelNode>>> CelParser::Arguments(std::string_view close) {
  std::vector<Node> args;
  if (Accept(close)) return args;
  while (true) {
    auto arg = Expression();
    if (!arg.ok()) return arg.status();
    args.push_back(*std::move(arg));
    if (Accept(close)) return args;
    if (auto status = Expect(","); !status.ok()) return status;
    if (Accept(close)) return args;  // trailing comma
  }
}

}  // namespace certforge::kube
