#include "services/local-apiserver/api_path.h"

#include <gtest/gtest.h>

namespace certforge::apiserver {
namespace {

using Kind = ApiPath::Kind;

struct Want {
  Kind kind;
  std::string group, version, ns;
  bool namespaced_path;
  std::string resource, name, subresource;
};

TEST(ApiPathTest, EveryShape) {
  const std::pair<std::string, Want> cases[] = {
      {"/version", {Kind::kVersion}},
      {"/version/", {Kind::kVersion}},
      {"/api", {Kind::kApiVersions}},
      {"/apis", {Kind::kApiGroupList}},
      {"/apis/cert-manager.io", {Kind::kApiGroup, "cert-manager.io"}},
      {"/api/v1", {Kind::kResourceList, "", "v1"}},
      {"/apis/cert-manager.io/v1", {Kind::kResourceList, "cert-manager.io", "v1"}},
      // Cluster-scoped collections and objects, including namespaces themselves.
      {"/api/v1/namespaces", {Kind::kResource, "", "v1", "", false, "namespaces"}},
      {"/api/v1/namespaces/team", {Kind::kResource, "", "v1", "", false, "namespaces", "team"}},
      {"/api/v1/namespaces/team/status",
       {Kind::kResource, "", "v1", "", false, "namespaces", "team", "status"}},
      {"/api/v1/namespaces/team/finalize",
       {Kind::kResource, "", "v1", "", false, "namespaces", "team", "finalize"}},
      {"/apis/apiextensions.k8s.io/v1/customresourcedefinitions/x.example.com",
       {Kind::kResource, "apiextensions.k8s.io", "v1", "", false, "customresourcedefinitions",
        "x.example.com"}},
      {"/apis/cert-manager.io/v1/clusterissuers/ca/status",
       {Kind::kResource, "cert-manager.io", "v1", "", false, "clusterissuers", "ca", "status"}},
      // Every namespace, then one namespace.
      {"/api/v1/secrets", {Kind::kResource, "", "v1", "", false, "secrets"}},
      {"/api/v1/namespaces/team/secrets", {Kind::kResource, "", "v1", "team", true, "secrets"}},
      {"/api/v1/namespaces/team/secrets/tls",
       {Kind::kResource, "", "v1", "team", true, "secrets", "tls"}},
      {"/apis/cert-manager.io/v1/namespaces/team/certificates/web/status",
       {Kind::kResource, "cert-manager.io", "v1", "team", true, "certificates", "web", "status"}},
      // A namespace that happens to be called "status" is still a namespace.
      {"/api/v1/namespaces/status/configmaps",
       {Kind::kResource, "", "v1", "status", true, "configmaps"}},
      {"//api//v1//namespaces/team/secrets/", {Kind::kResource, "", "v1", "team", true, "secrets"}},
      // Too deep.
      {"/api/v1/namespaces/team/secrets/tls/status/more",
       {Kind::kNotFound, "", "v1", "team", true, "secrets", "tls", "status"}},
      {"/openapi/v2", {Kind::kOpenApiV2}},
      {"/openapi/v3", {Kind::kOpenApiV3Index}},
      {"/openapi/v3/api/v1", {Kind::kOpenApiV3Document, "", "v1"}},
      {"/openapi/v3/apis/cert-manager.io/v1", {Kind::kOpenApiV3Document, "cert-manager.io", "v1"}},
      {"/openapi/v3/apis/cert-manager.io", {Kind::kNotFound}},
      {"/openapi", {Kind::kNotFound}},
      {"/", {Kind::kNotFound}},
      {"", {Kind::kNotFound}},
      {"/healthz", {Kind::kNotFound}},
      {"/version/extra", {Kind::kNotFound}},
  };
  for (const auto& [path, want] : cases) {
    ApiPath got = ParseApiPath(path);
    EXPECT_EQ(got.kind, want.kind) << path;
    EXPECT_EQ(got.group, want.group) << path;
    EXPECT_EQ(got.version, want.version) << path;
    EXPECT_EQ(got.ns, want.ns) << path;
    EXPECT_EQ(got.namespaced_path, want.namespaced_path) << path;
    EXPECT_EQ(got.resource, want.resource) << path;
    EXPECT_EQ(got.name, want.name) << path;
    EXPECT_EQ(got.subresource, want.subresource) << path;
  }
}

TEST(ApiPathTest, ParseBoolParamIsGoStrconv) {
  for (const char* yes : {"1", "t", "T", "true", "TRUE", "True"}) {
    EXPECT_TRUE(ParseBoolParam(yes)) << yes;
  }
  for (const char* no : {"", "0", "f", "false", "FALSE", "yes", "on", "tRuE"}) {
    EXPECT_FALSE(ParseBoolParam(no)) << no;
  }
}

}  // namespace
}  // namespace certforge::apiserver
