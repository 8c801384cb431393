#include "services/k8s-gateway/json_members.h"

namespace certforge::k8sgw {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

void SkipSpace(std::string_view text, size_t& at) {
  while (at < text.size() && IsSpace(text[at])) ++at;
}

// `at` is on an opening quote; moves past the closing one.
bool SkipString(std::string_view text, size_t& at) {
  for (++at; at < text.size(); ++at) {
    if (text[at] == '\\') {
      ++at;  // whatever is escaped, including a quote
    } else if (text[at] == '"') {
      ++at;
      return true;
    }
  }
  return false;
}

// Moves past one value starting at `at`.
bool SkipValue(std::string_view text, size_t& at) {
  if (at >= text.size()) return false;
  char c = text[at];
  if (c == '"') return SkipString(text, at);
  if (c != '{' && c != '[') {  // a number, true, false or null
    size_t start = at;
    while (at < text.size() && text[at] != ',' && text[at] != '}' && text[at] != ']' &&
           !IsSpace(text[at])) {
      ++at;
    }
    return at > start;
  }
  int depth = 0;
  while (at < text.size()) {
    char d = text[at];
    if (d == '"') {
      if (!SkipString(text, at)) return false;
      continue;
    }
    if (d == '{' || d == '[') ++depth;
    if (d == '}' || d == ']') --depth;
    ++at;
    if (depth == 0) return true;
  }
  return false;
}

}  // namespace

std::optional<std::vector<JsonMember>> JsonObjectMembers(std::string_view text) {
  std::vector<JsonMember> members;
  size_t at = 0;
  SkipSpace(text, at);
  if (at >= text.size() || text[at] != '{') return std::nullopt;
  ++at;
  SkipSpace(text, at);
  if (at < text.size() && text[at] == '}') {
    ++at;
  } else {
    while (true) {
      SkipSpace(text, at);
      if (at >= text.size() || text[at] != '"') return std::nullopt;
      size_t key_start = at;
      if (!SkipString(text, at)) return std::nullopt;
      std::string_view key = text.substr(key_start + 1, at - key_start - 2);
      SkipSpace(text, at);
      if (at >= text.size() || text[at] != ':') return std::nullopt;
      ++at;
      SkipSpace(text, at);
      size_t value_start = at;
      if (!SkipValue(text, at)) return std::nullopt;
      members.push_back({key, text.substr(value_start, at - value_start)});
      SkipSpace(text, at);
      if (at >= text.size()) return std::nullopt;
      if (text[at] == '}') {
        ++at;
        break;
      }
      if (text[at] != ',') return std::nullopt;
      ++at;
    }
  }
  SkipSpace(text, at);
  if (at != text.size()) return std::nullopt;  // one object and nothing after it
  return members;
}

std::string_view MemberValue(const std::vector<JsonMember>& members, std::string_view key) {
  for (const auto& member : members) {
    if (member.key == key) return member.value;
  }
  return {};
}

}  // namespace certforge::k8sgw
