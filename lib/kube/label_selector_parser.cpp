#include "lib/kube/label_selector_parser.h"

#include "absl/strings/str_cat.h"
#include "lib/kube/absl_string_view.h"

namespace certforge::kube {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

bool IsSpecial(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

}  // namespace

LabelSelectorParser::LabelSelectorParser(std::string_view text) : text_(text) {}

LabelSelectorParser::Lexeme LabelSelectorParser::Scan() {
  while (position_ < text_.size() && IsSpace(text_[position_])) ++position_;
  if (position_ >= text_.size()) return {Token::kEnd, ""};
  char c = text_[position_];
  char next = position_ + 1 < text_.size() ? text_[position_ + 1] : '\0';
  auto take = [this](Token token, size_t length) {
    Lexeme lexeme{token, std::string(text_.substr(position_, length))};
    position_ += length;
    return lexeme;
  };
  switch (c) {
    case ',':
      return take(Token::kComma, 1);
    case '(':
      return take(Token::kOpenParen, 1);
    case ')':
      return take(Token::kCloseParen, 1);
    case '>':
      return take(Token::kGreater, 1);
    case '<':
      return take(Token::kLess, 1);
    case '=':
      return next == '=' ? take(Token::kDoubleEquals, 2) : take(Token::kEquals, 1);
    case '!':
      return next == '=' ? take(Token::kNotEquals, 2) : take(Token::kNot, 1);
    default:
      break;
  }
  size_t end = position_;
  while (end < text_.size() && !IsSpace(text_[end]) && !IsSpecial(text_[end])) ++end;
  return take(Token::kIdentifier, end - position_);
}

const LabelSelectorParser::Lexeme& LabelSelectorParser::Peek() {
  if (!peeked_) {
    lookahead_ = Scan();
    peeked_ = true;
  }
  return lookahead_;
}

LabelSelectorParser::Lexeme LabelSelectorParser::Next() {
  Peek();
  peeked_ = false;
  return std::move(lookahead_);
}

absl::Status LabelSelectorParser::Unexpected(const Lexeme& found, std::string_view expected) const {
  std::string what =
      found.token == Token::kEnd ? "end of string" : absl::StrCat("'", found.text, "'");
  return absl::InvalidArgumentError(absl::StrCat("invalid label selector \"", ToAbsl(text_),
                                                 "\": found ", what, ", expected ",
                                                 ToAbsl(expected)));
}

absl::StatusOr<std::vector<LabelSelector::Requirement>> LabelSelectorParser::Parse() {
  std::vector<LabelSelector::Requirement> requirements;
  if (Peek().token == Token::kEnd) return requirements;
  while (true) {
    auto requirement = ParseRequirement();
    if (!requirement.ok()) return requirement.status();
    requirements.push_back(*std::move(requirement));
    Lexeme separator = Next();
    if (separator.token == Token::kEnd) return requirements;
    if (separator.token != Token::kComma) return Unexpected(separator, "',' or end of string");
  }
}

absl::StatusOr<LabelSelector::Requirement> LabelSelectorParser::ParseRequirement() {
  using Op = LabelSelector::Operator;
  Lexeme first = Next();
  bool negated = first.token == Token::kNot;
  Lexeme key = negated ? Next() : std::move(first);
  if (key.token != Token::kIdentifier) return Unexpected(key, "a label key");
  const Token after = Peek().token;
  if (after == Token::kComma || after == Token::kEnd) {
    return LabelSelector::MakeRequirement(key.text, negated ? Op::kDoesNotExist : Op::kExists, {});
  }
  if (negated) return Unexpected(Peek(), "',' or end of string after '!key'");
  Lexeme op = Next();
  if (op.token == Token::kIdentifier && (op.text == "in" || op.text == "notin")) {
    auto values = ParseValueSet();
    if (!values.ok()) return values.status();
    return LabelSelector::MakeRequirement(key.text, op.text == "in" ? Op::kIn : Op::kNotIn,
                                          *std::move(values));
  }
  Op kind;
  switch (op.token) {
    case Token::kEquals:
    case Token::kDoubleEquals:
      kind = Op::kEquals;
      break;
    case Token::kNotEquals:
      kind = Op::kNotEquals;
      break;
    case Token::kGreater:
      kind = Op::kGreaterThan;
      break;
    case Token::kLess:
      kind = Op::kLessThan;
      break;
    default:
      return Unexpected(op, "one of in, notin, =, ==, !=, >, <");
  }
  // "k=" selects the empty value, as in Kubernetes; keywords are plain values here.
  std::string value;
  if (Peek().token == Token::kIdentifier) {
    value = Next().text;
  } else if (Peek().token != Token::kComma && Peek().token != Token::kEnd) {
    return Unexpected(Peek(), "a label value");
  }
  return LabelSelector::MakeRequirement(key.text, kind, {std::move(value)});
}

absl::StatusOr<std::vector<std::string>> LabelSelectorParser::ParseValueSet() {
  Lexeme open = Next();
  if (open.token != Token::kOpenParen) return Unexpected(open, "'('");
  // Empty entries ("()", "(a,)", "(,a)") stand for the empty value, as in Kubernetes.
  std::vector<std::string> values;
  bool want_value = true;
  while (true) {
    Lexeme lexeme = Next();
    switch (lexeme.token) {
      case Token::kIdentifier:
        if (!want_value) return Unexpected(lexeme, "',' or ')'");
        values.push_back(std::move(lexeme.text));
        want_value = false;
        break;
      case Token::kComma:
        if (want_value) values.emplace_back();
        want_value = true;
        break;
      case Token::kCloseParen:
        if (want_value) values.emplace_back();
        return values;
      default:
        return Unexpected(lexeme, "a value, ',' or ')'");
    }
  }
}

}  // namespace certforge::kube
