#pragma once
// Serves one resource request (collection, object or subresource) over HTTP: decodes the body
// and query, calls the registry, lister or watch, and writes the Kubernetes response.

#include <string>

#include "httplib.h"
#include "services/local-apiserver/api_path.h"
#include "services/local-apiserver/registry.h"
#include "services/local-apiserver/resource_catalog.h"
#include "services/local-apiserver/watch_hub.h"

namespace certforge::apiserver {

class ResourceHandler {
 public:
  ResourceHandler(ResourceCatalog& catalog, Registry& registry, WatchHub& hub)
      : catalog_(catalog), registry_(registry), hub_(hub) {}

  // Every failure is written as a Status response; nothing escapes.
  void Handle(const ApiPath& path, const httplib::Request& req, httplib::Response& res);

 private:
  absl::Status Dispatch(const ApiPath& path, const httplib::Request& req, httplib::Response& res);
  absl::Status List(const ObjectScope& scope, const httplib::Request& req,
                    httplib::Response& res);
  absl::Status Watch(const ObjectScope& scope, const httplib::Request& req,
                     httplib::Response& res);
  absl::Status Get(const ObjectScope& scope, const httplib::Request& req, httplib::Response& res);
  absl::Status Create(const ObjectScope& scope, const httplib::Request& req,
                      httplib::Response& res);
  absl::Status Update(const ObjectScope& scope, const httplib::Request& req,
                      httplib::Response& res);
  absl::Status Patch(const ObjectScope& scope, const httplib::Request& req,
                     httplib::Response& res);
  absl::Status Delete(const ObjectScope& scope, const httplib::Request& req,
                      httplib::Response& res);
  absl::Status DeleteCollection(const ObjectScope& scope, const httplib::Request& req,
                                httplib::Response& res);

  ResourceCatalog& catalog_;
  Registry& registry_;
  WatchHub& hub_;
};

// Writes a Status error response.
void WriteError(const absl::Status& status, httplib::Response& res);

}  // namespace certforge::apiserver
