#include "lib/kube/label_validation.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "lib/kube/absl_string_view.h"

namespace certforge::kube {

namespace {

constexpr size_t kMaxNameLength = 63;
constexpr size_t kMaxPrefixLength = 253;

// [A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?
bool IsQualifiedNamePart(std::string_view text) {
  if (text.empty()) return false;
  if (!absl::ascii_isalnum(text.front()) || !absl::ascii_isalnum(text.back())) return false;
  for (char c : text) {
    if (!absl::ascii_isalnum(c) && c != '-' && c != '_' && c != '.') return false;
  }
  return true;
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])? labels joined by dots.
bool IsDns1123Subdomain(std::string_view text) {
  if (text.empty() || text.size() > kMaxPrefixLength) return false;
  for (absl::string_view label : absl::StrSplit(ToAbsl(text), '.')) {
    if (label.empty() || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!absl::ascii_islower(c) && !absl::ascii_isdigit(c) && c != '-') return false;
    }
  }
  return true;
}

absl::Status BadKey(std::string_view key, std::string_view why) {
  return absl::InvalidArgumentError(
      absl::StrCat("invalid label key \"", ToAbsl(key), "\": ", ToAbsl(why)));
}

}  // namespace

absl::Status ValidateLabelKey(std::string_view key) {
  std::string_view name = key;
  if (size_t slash = key.find('/'); slash != std::string_view::npos) {
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (name.find('/') != std::string_view::npos) {
      return BadKey(key, "a qualified name has at most one '/' (prefix/name)");
    }
    if (prefix.empty()) return BadKey(key, "prefix part must be non-empty");
    if (!IsDns1123Subdomain(prefix)) {
      return BadKey(key,
                    "prefix part must be a lowercase RFC 1123 subdomain of at most 253 characters "
                    "(e.g. example.com)");
    }
  }
  if (name.empty()) return BadKey(key, "name part must be non-empty");
  if (name.size() > kMaxNameLength) {
    return BadKey(key, "name part must be no more than 63 characters");
  }
  if (!IsQualifiedNamePart(name)) {
    return BadKey(key,
                  "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
                  "start and end with an alphanumeric character");
  }
  return absl::OkStatus();
}

absl::Status ValidateLabelValue(std::string_view value) {
  if (value.empty()) return absl::OkStatus();
  if (value.size() > kMaxNameLength) {
    return absl::InvalidArgumentError(absl::StrCat("invalid label value \"", ToAbsl(value),
                                                   "\": must be no more than 63 characters"));
  }
  if (!IsQualifiedNamePart(value)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "invalid label value \"", ToAbsl(value),
        "\": must be empty or consist of alphanumeric characters, '-', '_' or '.', and must start "
        "and end with an alphanumeric character"));
  }
  return absl::OkStatus();
}

}  // namespace certforge::kube
