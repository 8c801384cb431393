#pragma once
// Where a request goes: discovery, OpenAPI, or a resource (collection, object, subresource).

#include <string>
#include <string_view>

namespace certforge::apiserver {

struct ApiPath {
  enum class Kind {
    kNotFound,
    kVersion,            // /version
    kApiVersions,        // /api
    kApiGroupList,       // /apis
    kApiGroup,           // /apis/{group}
    kResourceList,       // /api/v1, /apis/{group}/{version}
    kResource,           // collections, objects and subresources
    kOpenApiV3Index,     // /openapi/v3
    kOpenApiV3Document,  // /openapi/v3/api/v1, /openapi/v3/apis/{group}/{version}
    kOpenApiV2,          // /openapi/v2 (not served)
  };
  Kind kind = Kind::kNotFound;
  std::string group;
  std::string version;
  std::string ns;  // set when the path names a namespace
  bool namespaced_path = false;
  std::string resource;
  std::string name;
  std::string subresource;
};

ApiPath ParseApiPath(std::string_view path);

// Go's strconv.ParseBool: 1, t, T, TRUE, true, True (and the false forms).
bool ParseBoolParam(std::string_view value);

}  // namespace certforge::apiserver
