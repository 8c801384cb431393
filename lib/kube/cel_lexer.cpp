#include "lib/kube/cel_lexer.h"

#include <cctype>
#include <cerrno>
#include <cstdlib>

#include "absl/strings/str_cat.h"

namespace certforge::kube {
namespace {

constexpr std::string_view kTwoCharPunct[] = {"==", "!=", "<=", ">=", "&&", "||"};
constexpr std::string_view kOneCharPunct = "()[]{}.,?:!-+*/%<>";

bool IsIdentifierStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool IsIdentifierPart(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void AppendUtf8(std::string& out, uint32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

}  // namespace

absl::StatusOr<std::vector<CelToken>> CelLexer::Tokenize(std::string_view source) {
  CelLexer lexer(source);
  std::vector<CelToken> tokens;
  while (true) {
    auto token = lexer.Next();
    if (!token.ok()) return token.status();
    const bool end = token->kind == CelToken::Kind::kEnd;
    tokens.push_back(*std::move(token));
    if (end) return tokens;
  }
}

absl::Status CelLexer::Error(std::string_view what) const {
  return absl::InvalidArgumentError(
      absl::StrCat("Syntax error: ", std::string(what), " at offset ", pos_));
}

void CelLexer::SkipSpaceAndComments() {
  while (pos_ < source_.size()) {
    const char c = source_[pos_];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++pos_;
    } else if (source_.substr(pos_, 2) == "//") {
      while (pos_ < source_.size() && source_[pos_] != '\n') ++pos_;
    } else {
      return;
    }
  }
}

absl::StatusOr<CelToken> CelLexer::Next() {
  SkipSpaceAndComments();
  CelToken token;
  token.position = pos_;
  if (pos_ >= source_.size()) return token;
  const char c = source_[pos_];
  const bool raw = (c == 'r' || c == 'R') && pos_ + 1 < source_.size() &&
                   (source_[pos_ + 1] == '"' || source_[pos_ + 1] == '\'');
  if (raw) {
    ++pos_;
    return String(/*raw=*/true);
  }
  if (c == '"' || c == '\'') return String(/*raw=*/false);
  if (std::isdigit(static_cast<unsigned char>(c)) ||
      (c == '.' && pos_ + 1 < source_.size() &&
       std::isdigit(static_cast<unsigned char>(source_[pos_ + 1])))) {
    return Number();
  }
  if (IsIdentifierStart(c)) {
    const size_t start = pos_;
    while (pos_ < source_.size() && IsIdentifierPart(source_[pos_])) ++pos_;
    token.kind = CelToken::Kind::kIdentifier;
    token.text = std::string(source_.substr(start, pos_ - start));
    return token;
  }
  for (std::string_view punct : kTwoCharPunct) {
    if (source_.substr(pos_, 2) == punct) {
      pos_ += 2;
      token.kind = CelToken::Kind::kPunct;
      token.text = std::string(punct);
      return token;
    }
  }
  if (kOneCharPunct.find(c) != std::string_view::npos) {
    ++pos_;
    token.kind = CelToken::Kind::kPunct;
    token.text = std::string(1, c);
    return token;
  }
  return Error(absl::StrCat("unexpected character '", std::string(1, c), "'"));
}

absl::StatusOr<CelToken> CelLexer::Number() {
  CelToken token;
  token.position = pos_;
  const size_t start = pos_;
  if (source_.substr(pos_, 2) == "0x" || source_.substr(pos_, 2) == "0X") {
    pos_ += 2;
    const size_t digits_start = pos_;
    uint64_t value = 0;
    while (pos_ < source_.size() && HexValue(source_[pos_]) >= 0) {
      if (value > (UINT64_MAX >> 4)) return Error("integer literal out of range");
      value = (value << 4) | HexValue(source_[pos_++]);
    }
    if (pos_ == digits_start) return Error("malformed hex literal");
    if (pos_ < source_.size() && (source_[pos_] == 'u' || source_[pos_] == 'U')) ++pos_;
    token.kind = CelToken::Kind::kInt;
    token.int_value = value;
    return token;
  }
  bool is_double = false;
  while (pos_ < source_.size() && std::isdigit(static_cast<unsigned char>(source_[pos_]))) ++pos_;
  if (pos_ + 1 < source_.size() && source_[pos_] == '.' &&
      std::isdigit(static_cast<unsigned char>(source_[pos_ + 1]))) {
    is_double = true;
    ++pos_;
    while (pos_ < source_.size() && std::isdigit(static_cast<unsigned char>(source_[pos_]))) ++pos_;
  }
  if (pos_ < source_.size() && (source_[pos_] == 'e' || source_[pos_] == 'E')) {
    size_t look = pos_ + 1;
    if (look < source_.size() && (source_[look] == '+' || source_[look] == '-')) ++look;
    if (look < source_.size() && std::isdigit(static_cast<unsigned char>(source_[look]))) {
      is_double = true;
      pos_ = look;
      while (pos_ < source_.size() && std::isdigit(static_cast<unsigned char>(source_[pos_]))) {
        ++pos_;
      }
    }
  }
  const std::string text(source_.substr(start, pos_ - start));
  errno = 0;
  if (is_double) {
    token.kind = CelToken::Kind::kDouble;
    token.double_value = std::strtod(text.c_str(), nullptr);
    return token;
  }
  token.kind = CelToken::Kind::kInt;
  token.int_value = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE) return Error("integer literal out of range");
  if (pos_ < source_.size() && (source_[pos_] == 'u' || source_[pos_] == 'U')) ++pos_;
  return token;
}

absl::StatusOr<CelToken> CelLexer::String(bool raw) {
  CelToken token;
  token.position = pos_;
  token.kind = CelToken::Kind::kString;
  const char quote = source_[pos_];
  const std::string triple(3, quote);
  const bool is_triple = source_.substr(pos_, 3) == triple;
  pos_ += is_triple ? 3 : 1;
  while (true) {
    if (pos_ >= source_.size()) return Error("unterminated string literal");
    if (is_triple ? source_.substr(pos_, 3) == triple : source_[pos_] == quote) {
      pos_ += is_triple ? 3 : 1;
      return token;
    }
    const char c = source_[pos_];
    if (!is_triple && (c == '\n' || c == '\r')) return Error("newline in string literal");
    if (c == '\\' && !raw) {
      if (auto status = Escape(token.text); !status.ok()) return status;
      continue;
    }
    token.text += c;
    ++pos_;
  }
}

absl::Status CelLexer::Escape(std::string& out) {
  ++pos_;  // the backslash
  if (pos_ >= source_.size()) return Error("unterminated escape sequence");
  const char c = source_[pos_++];
  switch (c) {
    case 'a':
      out += '\a';
      return absl::OkStatus();
    case 'b':
      out += '\b';
      return absl::OkStatus();
    case 'f':
      out += '\f';
      return absl::OkStatus();
    case 'n':
      out += '\n';
      return absl::OkStatus();
    case 'r':
      out += '\r';
      return absl::OkStatus();
    case 't':
      out += '\t';
      return absl::OkStatus();
    case 'v':
      out += '\v';
      return absl::OkStatus();
    case '\\':
    case '\'':
    case '"':
    case '`':
    case '?':
      out += c;
      return absl::OkStatus();
    default:
      break;
  }
  int digits = 0;
  int base = 16;
  if (c == 'x' || c == 'X') {
    digits = 2;
  } else if (c == 'u') {
    digits = 4;
  } else if (c == 'U') {
    digits = 8;
  } else if (c >= '0' && c <= '3') {
    base = 8;
    digits = 2;
  } else {
    return Error("invalid escape sequence");
  }
  uint32_t value = base == 8 ? static_cast<uint32_t>(c - '0') : 0;
  for (int i = 0; i < digits; ++i) {
    if (pos_ >= source_.size()) return Error("truncated escape sequence");
    const int digit = HexValue(source_[pos_]);
    if (digit < 0 || digit >= base) return Error("invalid escape sequence");
    value = value * base + digit;
    ++pos_;
  }
  // In string literals CEL reads \x and octal escapes as code points, like \u.
  if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    return Error("invalid unicode code point");
  }
  AppendUtf8(out, value);
  return absl::OkStatus();
}

}  // namespace certforge::kube
