#include "services/k8s-gateway/json_members.h"

#include "lib/kube/json_parse.h"

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

// Walks the one object or array `text` holds, from `open` to `close`: `entry` is called with
// `at` on each entry's first character and moves it past the entry (false: malformed). False
// unless the entries are comma-separated and nothing but space follows the container.
template <typename Entry>
bool WalkContainer(std::string_view text, char open, char close, Entry entry) {
  size_t at = 0;
  SkipSpace(text, at);
  if (at >= text.size() || text[at] != open) return false;
  ++at;
  SkipSpace(text, at);
  if (at < text.size() && text[at] == close) {
    ++at;
  } else {
    while (true) {
      SkipSpace(text, at);
      if (!entry(at)) return false;
      SkipSpace(text, at);
      if (at >= text.size()) return false;
      if (text[at] == close) {
        ++at;
        break;
      }
      if (text[at] != ',') return false;
      ++at;
    }
  }
  SkipSpace(text, at);
  return at == text.size();
}

}  // namespace

std::optional<std::vector<JsonMember>> JsonObjectMembers(std::string_view text) {
  std::vector<JsonMember> members;
  bool whole = WalkContainer(text, '{', '}', [&](size_t& at) {
    if (at >= text.size() || text[at] != '"') return false;
    size_t key_start = at;
    if (!SkipString(text, at)) return false;
    std::string_view key = text.substr(key_start + 1, at - key_start - 2);
    SkipSpace(text, at);
    if (at >= text.size() || text[at] != ':') return false;
    ++at;
    SkipSpace(text, at);
    size_t value_start = at;
    if (!SkipValue(text, at)) return false;
    members.push_back({key, text.substr(value_start, at - value_start)});
    return true;
  });
  if (!whole) return std::nullopt;
  return members;
}

std::string_view MemberValue(const std::vector<JsonMember>& members, std::string_view key) {
  for (const auto& member : members) {
    if (member.key == key) return member.value;
  }
  return {};
}

std::optional<std::vector<std::string_view>> JsonArrayElements(std::string_view text) {
  std::vector<std::string_view> elements;
  bool whole = WalkContainer(text, '[', ']', [&](size_t& at) {
    size_t start = at;
    if (!SkipValue(text, at)) return false;
    elements.push_back(text.substr(start, at - start));
    return true;
  });
  if (!whole) return std::nullopt;
  return elements;
}

nlohmann::json ObjectHead(std::string_view text) {
  auto members = JsonObjectMembers(text);
  if (!members) return nullptr;
  auto parse_into = [](nlohmann::json& to, const std::vector<JsonMember>& from, const char* field) {
    std::string_view value = MemberValue(from, field);
    if (!value.empty()) to[field] = kube::ParseJsonOrDiscarded(value);
  };
  nlohmann::json head = nlohmann::json::object();
  parse_into(head, *members, "apiVersion");
  parse_into(head, *members, "kind");
  if (auto metadata = JsonObjectMembers(MemberValue(*members, "metadata"))) {
    nlohmann::json& meta = head["metadata"] = nlohmann::json::object();
    for (const char* field : {"name", "namespace", "resourceVersion"}) {
      parse_into(meta, *metadata, field);
    }
  }
  return head;
}

}  // namespace certforge::k8sgw
