#include "lib/kube/json_pointer.h"

#include <optional>

#include "absl/strings/str_cat.h"
#include "lib/kube/absl_string_view.h"

namespace certforge::kube {

using nlohmann::json;

namespace {

// RFC 6901 array indexes: "0" or digits without a leading zero.
std::optional<size_t> ArrayIndex(const std::string& token) {
  if (token.empty() || token.size() > 18) return std::nullopt;
  if (token.size() > 1 && token[0] == '0') return std::nullopt;
  size_t index = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    index = index * 10 + static_cast<size_t>(c - '0');
  }
  return index;
}

template <typename Json>
Json* Child(Json& node, const std::string& token) {
  if (node.is_object()) {
    auto it = node.find(token);
    return it == node.end() ? nullptr : &*it;
  }
  if (node.is_array()) {
    auto index = ArrayIndex(token);
    if (!index || *index >= node.size()) return nullptr;
    return &node[*index];
  }
  return nullptr;
}

std::string Escape(const std::string& token) {
  std::string out;
  for (char c : token) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Render(const std::vector<std::string>& tokens, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) absl::StrAppend(&out, "/", Escape(tokens[i]));
  return out;
}

}  // namespace

absl::StatusOr<JsonPointer> JsonPointer::Parse(std::string_view text) {
  std::vector<std::string> tokens;
  if (text.empty()) return JsonPointer(std::move(tokens));
  if (text[0] != '/') {
    return absl::InvalidArgumentError(
        absl::StrCat("JSON pointer \"", ToAbsl(text), "\" must start with /"));
  }
  std::string token;
  for (size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      tokens.push_back(std::move(token));
      token.clear();
    } else if (text[i] == '~') {
      char next = i + 1 < text.size() ? text[i + 1] : '\0';
      if (next != '0' && next != '1') {
        return absl::InvalidArgumentError(absl::StrCat(
            "JSON pointer \"", ToAbsl(text), "\" has a bad escape: ~ must be followed by 0 or 1"));
      }
      token += next == '0' ? '~' : '/';
      ++i;
    } else {
      token += text[i];
    }
  }
  return JsonPointer(std::move(tokens));
}

bool JsonPointer::IsInside(const JsonPointer& other) const {
  if (tokens_.size() <= other.tokens_.size()) return false;
  for (size_t i = 0; i < other.tokens_.size(); ++i) {
    if (tokens_[i] != other.tokens_[i]) return false;
  }
  return true;
}

const json* JsonPointer::Find(const json& doc) const {
  const json* node = &doc;
  for (const auto& token : tokens_) {
    node = Child(*node, token);
    if (node == nullptr) return nullptr;
  }
  return node;
}

absl::StatusOr<json*> JsonPointer::Parent(json& doc) const {
  json* node = &doc;
  for (size_t i = 0; i + 1 < tokens_.size(); ++i) {
    node = Child(*node, tokens_[i]);
    if (node == nullptr) {
      return absl::FailedPreconditionError(
          absl::StrCat("path \"", Render(tokens_, i + 1), "\" does not exist"));
    }
  }
  if (!node->is_object() && !node->is_array()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "value at \"", Render(tokens_, tokens_.size() - 1), "\" is not an object or an array"));
  }
  return node;
}

absl::Status JsonPointer::Add(json& doc, json value) const {
  if (IsRoot()) {
    doc = std::move(value);
    return absl::OkStatus();
  }
  auto parent = Parent(doc);
  if (!parent.ok()) return parent.status();
  const std::string& last = tokens_.back();
  json& container = **parent;
  if (container.is_object()) {
    container[last] = std::move(value);
    return absl::OkStatus();
  }
  if (last == "-") {
    container.push_back(std::move(value));
    return absl::OkStatus();
  }
  auto index = ArrayIndex(last);
  if (!index || *index > container.size()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "array index \"", last, "\" is out of range for an array of ", container.size()));
  }
  container.insert(container.begin() + static_cast<std::ptrdiff_t>(*index), std::move(value));
  return absl::OkStatus();
}

absl::StatusOr<json> JsonPointer::Remove(json& doc) const {
  if (IsRoot()) return absl::FailedPreconditionError("cannot remove the whole document");
  auto parent = Parent(doc);
  if (!parent.ok()) return parent.status();
  const std::string& last = tokens_.back();
  json& container = **parent;
  json* target = Child(container, last);
  if (target == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("path \"", Render(tokens_, tokens_.size()), "\" does not exist"));
  }
  json removed = std::move(*target);
  if (container.is_object()) {
    container.erase(last);
  } else {
    container.erase(*ArrayIndex(last));
  }
  return removed;
}

absl::Status JsonPointer::Replace(json& doc, json value) const {
  if (IsRoot()) {
    doc = std::move(value);
    return absl::OkStatus();
  }
  auto parent = Parent(doc);
  if (!parent.ok()) return parent.status();
  json* target = Child(**parent, tokens_.back());
  if (target == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("path \"", Render(tokens_, tokens_.size()), "\" does not exist"));
  }
  *target = std::move(value);
  return absl::OkStatus();
}

}  // namespace certforge::kube
