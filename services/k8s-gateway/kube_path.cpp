#include "services/k8s-gateway/kube_path.h"

#include "absl/strings/str_cat.h"

namespace certforge::k8sgw {
namespace {

absl::Status CheckSegment(std::string_view what, std::string_view value) {
  if (value == "." || value == ".." || value.find('/') != std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ", std::string(what), " \"", std::string(value), "\""));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> BuildPath(const ResourcePath& path) {
  if (path.version.empty()) return absl::InvalidArgumentError("resource version is required");
  if (path.resource.empty()) return absl::InvalidArgumentError("resource is required");
  if (!path.subresource.empty() && path.name.empty()) {
    return absl::InvalidArgumentError("a subresource needs an object name");
  }
  for (auto [what, value] : {std::pair<std::string_view, std::string_view>{"group", path.group},
                             {"version", path.version},
                             {"resource", path.resource},
                             {"namespace", path.namespace_},
                             {"name", path.name},
                             {"subresource", path.subresource}}) {
    if (auto status = CheckSegment(what, value); !status.ok()) return status;
  }
  std::string out = path.group.empty() ? absl::StrCat("/api/", UrlEncode(path.version))
                                       : absl::StrCat("/apis/", UrlEncode(path.group), "/",
                                                      UrlEncode(path.version));
  if (!path.namespace_.empty()) absl::StrAppend(&out, "/namespaces/", UrlEncode(path.namespace_));
  absl::StrAppend(&out, "/", UrlEncode(path.resource));
  if (!path.name.empty()) absl::StrAppend(&out, "/", UrlEncode(path.name));
  if (!path.subresource.empty()) absl::StrAppend(&out, "/", UrlEncode(path.subresource));
  return out;
}

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

QueryString& QueryString::Add(std::string key, std::string value) {
  if (!value.empty()) params_.emplace_back(std::move(key), std::move(value));
  return *this;
}

QueryString& QueryString::AddIf(bool condition, std::string key, std::string value) {
  return condition ? Add(std::move(key), std::move(value)) : *this;
}

std::string QueryString::Encode() const {
  std::string out;
  for (const auto& [key, value] : params_) {
    absl::StrAppend(&out, out.empty() ? "?" : "&", UrlEncode(key), "=", UrlEncode(value));
  }
  return out;
}

}  // namespace certforge::k8sgw
