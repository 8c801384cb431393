#include "services/local-apiserver/api_path.h"

#include <vector>

namespace certforge::apiserver {
namespace {

std::vector<std::string> Split(std::string_view path) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (start <= path.size()) {
    size_t slash = path.find('/', start);
    if (slash == std::string_view::npos) slash = path.size();
    if (slash > start) parts.emplace_back(path.substr(start, slash - start));
    start = slash + 1;
  }
  return parts;
}

// parts after the group-version prefix: [namespaces/{ns}/]{resource}[/{name}[/{sub}]]
ApiPath ParseResourcePart(ApiPath p, const std::vector<std::string>& rest) {
  if (rest.empty()) {
    p.kind = ApiPath::Kind::kResourceList;
    return p;
  }
  p.kind = ApiPath::Kind::kResource;
  size_t i = 0;
  if (rest[0] == "namespaces" && rest.size() >= 3 && rest[2] != "status" &&
      rest[2] != "finalize") {
    p.ns = rest[1];
    p.namespaced_path = true;
    i = 2;
  }
  p.resource = rest[i];
  if (rest.size() > i + 1) p.name = rest[i + 1];
  if (rest.size() > i + 2) p.subresource = rest[i + 2];
  if (rest.size() > i + 3) p.kind = ApiPath::Kind::kNotFound;
  return p;
}

}  // namespace

ApiPath ParseApiPath(std::string_view path) {
  auto parts = Split(path);
  ApiPath p;
  if (parts.empty()) return p;
  if (parts.size() == 1 && parts[0] == "version") {
    p.kind = ApiPath::Kind::kVersion;
    return p;
  }
  if (parts[0] == "openapi") {
    if (parts.size() == 2 && parts[1] == "v2") p.kind = ApiPath::Kind::kOpenApiV2;
    if (parts.size() >= 2 && parts[1] == "v3") {
      if (parts.size() == 2) {
        p.kind = ApiPath::Kind::kOpenApiV3Index;
      } else if (parts.size() == 4 && parts[2] == "api") {
        p.kind = ApiPath::Kind::kOpenApiV3Document;
        p.version = parts[3];
      } else if (parts.size() == 5 && parts[2] == "apis") {
        p.kind = ApiPath::Kind::kOpenApiV3Document;
        p.group = parts[3];
        p.version = parts[4];
      }
    }
    return p;
  }
  if (parts[0] == "api") {
    if (parts.size() == 1) {
      p.kind = ApiPath::Kind::kApiVersions;
      return p;
    }
    p.version = parts[1];
    return ParseResourcePart(p, std::vector<std::string>(parts.begin() + 2, parts.end()));
  }
  if (parts[0] == "apis") {
    if (parts.size() == 1) {
      p.kind = ApiPath::Kind::kApiGroupList;
      return p;
    }
    p.group = parts[1];
    if (parts.size() == 2) {
      p.kind = ApiPath::Kind::kApiGroup;
      return p;
    }
    p.version = parts[2];
    return ParseResourcePart(p, std::vector<std::string>(parts.begin() + 3, parts.end()));
  }
  return p;
}

bool ParseBoolParam(std::string_view v) {
  return v == "1" || v == "t" || v == "T" || v == "true" || v == "TRUE" || v == "True";
}

}  // namespace certforge::apiserver
