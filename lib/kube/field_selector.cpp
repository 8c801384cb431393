#include "lib/kube/field_selector.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "lib/kube/absl_string_view.h"

namespace certforge::kube {

namespace {

// Splits on commas that are not escaped; escapes stay in the terms.
std::vector<std::string> SplitTerms(std::string_view text) {
  std::vector<std::string> terms;
  std::string current;
  bool escaped = false;
  for (char c : text) {
    if (escaped) {
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == ',') {
      terms.push_back(std::move(current));
      current.clear();
      continue;
    }
    current += c;
  }
  terms.push_back(std::move(current));
  return terms;
}

absl::StatusOr<std::string> UnescapeValue(std::string_view raw, std::string_view term) {
  std::string value;
  bool escaped = false;
  for (char c : raw) {
    if (escaped) {
      if (c != '\\' && c != ',' && c != '=') {
        return absl::InvalidArgumentError(
            absl::StrCat("invalid field selector term \"", ToAbsl(term),
                         "\": invalid escape sequence \\", std::string(1, c)));
      }
      value += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == ',' || c == '=') {
      return absl::InvalidArgumentError(absl::StrCat("invalid field selector term \"", ToAbsl(term),
                                                     "\": unescaped '", std::string(1, c),
                                                     "' in value"));
    } else {
      value += c;
    }
  }
  if (escaped) {
    return absl::InvalidArgumentError(absl::StrCat("invalid field selector term \"", ToAbsl(term),
                                                   "\": value ends with a lone \\"));
  }
  return value;
}

struct Split {
  size_t at = std::string::npos;
  size_t length = 0;
  bool equals = true;
};

// The field cannot be escaped, so the first operator splits the term; != and == are tried before
// = so that no '=' is left on the value.
Split SplitTerm(const std::string& term) {
  for (size_t i = 0; i < term.size(); ++i) {
    if (term.compare(i, 2, "!=") == 0) return {i, 2, false};
    if (term.compare(i, 2, "==") == 0) return {i, 2, true};
    if (term[i] == '=') return {i, 1, true};
  }
  return {};
}

std::string EscapeValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == ',' || c == '=') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace

absl::StatusOr<FieldSelector> FieldSelector::Parse(std::string_view text) {
  std::vector<Requirement> requirements;
  if (text.empty()) return FieldSelector(std::move(requirements));
  std::vector<std::string> terms = SplitTerms(text);
  std::sort(terms.begin(), terms.end());
  for (const std::string& term : terms) {
    if (term.empty()) continue;
    Split split = SplitTerm(term);
    if (split.at == std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("invalid field selector \"", ToAbsl(text),
                                                     "\": cannot understand \"", term, "\""));
    }
    if (split.at == 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid field selector term \"", term, "\": missing field name"));
    }
    auto value = UnescapeValue(std::string_view(term).substr(split.at + split.length), term);
    if (!value.ok()) return value.status();
    requirements.push_back({term.substr(0, split.at), split.equals, *std::move(value)});
  }
  return FieldSelector(std::move(requirements));
}

bool FieldSelector::Matches(
    const std::function<std::optional<std::string>(const std::string& field)>& value_of) const {
  return std::all_of(requirements_.begin(), requirements_.end(), [&](const Requirement& r) {
    std::string have = value_of(r.field).value_or("");
    return (have == r.value) == r.equals;
  });
}

std::string FieldSelector::ToString() const {
  return absl::StrJoin(requirements_, ",", [](std::string* out, const Requirement& r) {
    absl::StrAppend(out, r.field, r.equals ? "=" : "!=", EscapeValue(r.value));
  });
}

std::optional<std::string> JsonFieldValue(const nlohmann::json& object,
                                          std::string_view dotted_path) {
  if (dotted_path.empty()) return std::nullopt;
  const nlohmann::json* node = &object;
  for (absl::string_view part : absl::StrSplit(ToAbsl(dotted_path), '.')) {
    if (!node->is_object()) return std::nullopt;
    auto it = node->find(std::string(part));
    if (it == node->end()) return std::nullopt;
    node = &*it;
  }
  if (node->is_string()) return node->get<std::string>();
  if (node->is_boolean()) return node->get<bool>() ? "true" : "false";
  if (node->is_number()) return node->dump();
  return std::nullopt;
}

}  // namespace certforge::kube
