#include "lib/kube/jsonpath_parser.h"

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "lib/kube/absl_string_view.h"

namespace certforge::kube::jsonpath {

namespace {

// Characters that end an unquoted field name (Kubernetes' terminators plus filter operators).
bool EndsFieldName(char c) {
  switch (c) {
    case '.':
    case '[':
    case ']':
    case ',':
    case '(':
    case ')':
    case '{':
    case '}':
    case '$':
    case '@':
    case '=':
    case '!':
    case '<':
    case '>':
    case '\'':
    case '"':
      return true;
    default:
      return absl::ascii_isspace(static_cast<unsigned char>(c));
  }
}

bool ParseInteger(std::string_view raw, std::optional<int64_t>& out) {
  absl::string_view text = absl::StripAsciiWhitespace(ToAbsl(raw));
  if (text.empty()) return true;  // an omitted slice bound
  int64_t value = 0;
  if (!absl::SimpleAtoi(text, &value)) return false;
  out = value;
  return true;
}

}  // namespace

absl::Status Parser::Error(std::string_view what) const {
  return absl::InvalidArgumentError(absl::StrCat("invalid JSONPath \"", ToAbsl(text_),
                                                 "\" at offset ", pos_, ": ", ToAbsl(what)));
}

bool Parser::Consume(char c) {
  if (Peek() != c) return false;
  ++pos_;
  return true;
}

void Parser::SkipSpaces() {
  while (!AtEnd() && absl::ascii_isspace(static_cast<unsigned char>(Peek()))) ++pos_;
}

absl::StatusOr<std::vector<Step>> Parser::Parse() {
  std::vector<Step> steps;
  SkipSpaces();
  bool rooted = Consume('$');
  std::string_view rest = ToStd(absl::StripAsciiWhitespace(ToAbsl(text_.substr(pos_))));
  if (rest == ".") return steps;  // "{.}" is the root itself
  if (rest.empty() && !rooted) return Error("empty expression");
  if (absl::Status status = ParseSteps(steps); !status.ok()) return status;
  SkipSpaces();
  if (!AtEnd()) return Error(absl::StrCat("unexpected '", std::string(1, Peek()), "'"));
  return steps;
}

absl::Status Parser::ParseSteps(std::vector<Step>& steps) {
  while (true) {
    absl::Status status;
    if (Peek() == '.') {
      status = ParseDotted(steps);
    } else if (Peek() == '[') {
      status = ParseBracket(steps);
    } else {
      return absl::OkStatus();
    }
    if (!status.ok()) return status;
  }
}

absl::Status Parser::ParseDotted(std::vector<Step>& steps) {
  ++pos_;  // '.'
  if (Consume('.')) {
    steps.push_back(Step{Step::Kind::kRecursive});
    if (Peek() == '[') return ParseBracket(steps);
  }
  if (Consume('*')) {
    steps.push_back(Step{Step::Kind::kWildcard});
    return absl::OkStatus();
  }
  std::string name = ParseFieldName();
  if (name.empty()) return Error("expected a field name after '.'");
  Step step{Step::Kind::kFields};
  step.names.push_back(std::move(name));
  steps.push_back(std::move(step));
  return absl::OkStatus();
}

std::string Parser::ParseFieldName() {
  std::string name;
  while (!AtEnd() && !EndsFieldName(Peek())) {
    // A backslash keeps the next character, so "kubernetes\.io/name" is one field.
    if (Peek() == '\\' && pos_ + 1 < text_.size()) ++pos_;
    name += text_[pos_++];
  }
  return name;
}

absl::Status Parser::ParseBracket(std::vector<Step>& steps) {
  ++pos_;  // '['
  SkipSpaces();
  if (Consume('*')) {
    SkipSpaces();
    if (!Consume(']')) return Error("expected ']' after '[*'");
    steps.push_back(Step{Step::Kind::kWildcard});
    return absl::OkStatus();
  }
  if (Consume('?')) {
    if (!Consume('(')) return Error("expected '(' after '[?'");
    auto filter = ParseFilter();
    if (!filter.ok()) return filter.status();
    if (!Consume(')')) return Error("expected ')' to close the filter");
    SkipSpaces();
    if (!Consume(']')) return Error("expected ']' after the filter");
    Step step{Step::Kind::kFilter};
    step.filter = *std::move(filter);
    steps.push_back(std::move(step));
    return absl::OkStatus();
  }
  if (Peek() == '\'' || Peek() == '"') {
    Step step{Step::Kind::kFields};
    do {
      SkipSpaces();
      auto name = ParseQuoted();
      if (!name.ok()) return name.status();
      step.names.push_back(*std::move(name));
      SkipSpaces();
    } while (Consume(','));
    if (!Consume(']')) return Error("expected ']' after a quoted field name");
    steps.push_back(std::move(step));
    return absl::OkStatus();
  }
  size_t close = text_.find(']', pos_);
  if (close == std::string_view::npos) return Error("missing ']'");
  Step step;
  if (absl::Status status = ParseIndexOrSlice(text_.substr(pos_, close - pos_), step);
      !status.ok()) {
    return status;
  }
  pos_ = close + 1;
  steps.push_back(std::move(step));
  return absl::OkStatus();
}

absl::Status Parser::ParseIndexOrSlice(std::string_view content, Step& step) {
  std::vector<std::string_view> parts;
  for (absl::string_view part : absl::StrSplit(ToAbsl(content), ':')) parts.push_back(ToStd(part));
  std::optional<int64_t> numbers[3];
  if (parts.size() > 3) return Error(absl::StrCat("invalid array index [", ToAbsl(content), "]"));
  for (size_t i = 0; i < parts.size(); ++i) {
    if (!ParseInteger(parts[i], numbers[i])) {
      return Error(absl::StrCat("invalid array index [", ToAbsl(content), "]"));
    }
  }
  if (parts.size() == 1) {
    if (!numbers[0]) return Error("empty array index []");
    step.kind = Step::Kind::kIndex;
    step.index = *numbers[0];
    return absl::OkStatus();
  }
  step.kind = Step::Kind::kSlice;
  step.start = numbers[0];
  step.end = numbers[1];
  if (numbers[2]) {
    if (*numbers[2] <= 0) return Error("slice step must be > 0");
    step.step = *numbers[2];
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<const Filter>> Parser::ParseFilter() {
  auto filter = std::make_shared<Filter>();
  SkipSpaces();
  auto left = ParseOperand();
  if (!left.ok()) return left.status();
  filter->left = *std::move(left);
  SkipSpaces();
  if (Peek() == ')') {
    if (filter->left.kind == Operand::Kind::kLiteral) {
      return Error("a filter without a comparison needs an @ or $ path");
    }
    return filter;
  }
  for (std::string_view op : {"==", "!=", "<=", ">=", "<", ">"}) {
    if (text_.substr(pos_, op.size()) == op) {
      filter->op = std::string(op);
      pos_ += op.size();
      break;
    }
  }
  if (filter->op.empty()) return Error("expected a comparison operator (==, !=, <, >, <=, >=)");
  SkipSpaces();
  auto right = ParseOperand();
  if (!right.ok()) return right.status();
  filter->right = *std::move(right);
  SkipSpaces();
  return filter;
}

absl::StatusOr<Operand> Parser::ParseOperand() {
  Operand operand;
  char c = Peek();
  if (c == '@' || c == '$') {
    ++pos_;
    operand.kind = c == '@' ? Operand::Kind::kCurrent : Operand::Kind::kRoot;
    if (absl::Status status = ParseSteps(operand.path); !status.ok()) return status;
    return operand;
  }
  if (c == '\'' || c == '"') {
    auto text = ParseQuoted();
    if (!text.ok()) return text.status();
    operand.literal = *std::move(text);
    return operand;
  }
  if (c == '-' || absl::ascii_isdigit(static_cast<unsigned char>(c))) {
    auto number = ParseNumber();
    if (!number.ok()) return number.status();
    operand.literal = *std::move(number);
    return operand;
  }
  for (auto [word, value] : {std::pair{"true", true}, std::pair{"false", false}}) {
    std::string_view keyword(word);
    if (text_.substr(pos_, keyword.size()) == keyword) {
      pos_ += keyword.size();
      operand.literal = value;
      return operand;
    }
  }
  return Error("expected @path, $path, a quoted string, a number, true or false");
}

absl::StatusOr<nlohmann::json> Parser::ParseNumber() {
  size_t start = pos_;
  while (!AtEnd() && (absl::ascii_isdigit(static_cast<unsigned char>(Peek())) || Peek() == '-' ||
                      Peek() == '+' || Peek() == '.' || Peek() == 'e' || Peek() == 'E')) {
    ++pos_;
  }
  std::string_view text = text_.substr(start, pos_ - start);
  int64_t integer = 0;
  if (absl::SimpleAtoi(ToAbsl(text), &integer)) return nlohmann::json(integer);
  double real = 0;
  if (absl::SimpleAtod(ToAbsl(text), &real)) return nlohmann::json(real);
  pos_ = start;
  return Error(absl::StrCat("invalid number \"", ToAbsl(text), "\""));
}

absl::StatusOr<std::string> Parser::ParseQuoted() {
  char quote = Peek();
  if (quote != '\'' && quote != '"') return Error("expected a quoted string");
  size_t start = pos_++;
  std::string out;
  while (!AtEnd()) {
    char c = text_[pos_++];
    if (c == quote) return out;
    if (c != '\\' || AtEnd()) {
      out += c;
      continue;
    }
    char escaped = text_[pos_++];
    switch (escaped) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case '\\':
      case '\'':
      case '"':
      case '/':
        out += escaped;
        break;
      default:
        out += '\\';
        out += escaped;
    }
  }
  pos_ = start;
  return Error("unterminated quoted string");
}

}  // namespace certforge::kube::jsonpath
