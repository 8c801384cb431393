#pragma once
// Kubernetes REST paths and query strings: core resources live under /api/v1, grouped ones
// under /apis/<group>/<version>; namespaced resources add /namespaces/<ns>.

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"

namespace certforge::k8sgw {

struct ResourcePath {
  std::string group;  // empty: the core group
  std::string version;
  std::string resource;     // plural
  std::string namespace_;   // empty: cluster-scoped, or every namespace for a collection
  std::string name;         // empty: the collection
  std::string subresource;  // "status", ... (needs a name)
};

// "/apis/cert-manager.io/v1/namespaces/default/certificates/web/status". Rejects empty
// version/resource, a subresource without a name, and segments that are "." ".." or hold '/'.
absl::StatusOr<std::string> BuildPath(const ResourcePath& path);

// Percent-encodes everything but RFC 3986's unreserved characters.
std::string UrlEncode(std::string_view text);

// An ordered query string; empty values are left out.
class QueryString {
 public:
  QueryString& Add(std::string key, std::string value);
  QueryString& AddIf(bool condition, std::string key, std::string value);
  // "?a=1&b=2", or "" when empty.
  std::string Encode() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace certforge::k8sgw
