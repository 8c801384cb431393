#include "services/k8s-gateway/kube_path.h"

#include <gtest/gtest.h>

#include "services/k8s-gateway/kube_rest_client.h"

namespace certforge::k8sgw {
namespace {

struct PathCase {
  ResourcePath path;
  std::string want;
};

class BuildPathTest : public ::testing::TestWithParam<PathCase> {};

TEST_P(BuildPathTest, Builds) {
  auto built = BuildPath(GetParam().path);
  ASSERT_TRUE(built.ok()) << built.status();
  EXPECT_EQ(*built, GetParam().want);
}

INSTANTIATE_TEST_SUITE_P(
    Table, BuildPathTest,
    ::testing::Values(
        PathCase{{.version = "v1", .resource = "namespaces"}, "/api/v1/namespaces"},
        PathCase{{.version = "v1", .resource = "namespaces", .name = "default"},
                 "/api/v1/namespaces/default"},
        PathCase{{.version = "v1", .resource = "secrets", .namespace_ = "ns1"},
                 "/api/v1/namespaces/ns1/secrets"},
        PathCase{{.version = "v1", .resource = "secrets", .namespace_ = "ns1", .name = "s"},
                 "/api/v1/namespaces/ns1/secrets/s"},
        PathCase{{.group = "cert-manager.io", .version = "v1", .resource = "certificates"},
                 "/apis/cert-manager.io/v1/certificates"},
        PathCase{{.group = "cert-manager.io",
                  .version = "v1",
                  .resource = "certificates",
                  .namespace_ = "default",
                  .name = "web",
                  .subresource = "status"},
                 "/apis/cert-manager.io/v1/namespaces/default/certificates/web/status"},
        PathCase{{.group = "cert-manager.io",
                  .version = "v1",
                  .resource = "clusterissuers",
                  .name = "ca"},
                 "/apis/cert-manager.io/v1/clusterissuers/ca"},
        PathCase{{.version = "v1", .resource = "secrets", .namespace_ = "a", .name = "x:y"},
                 "/api/v1/namespaces/a/secrets/x%3Ay"}));

TEST(BuildPathTest, RejectsIncompleteOrUnsafePaths) {
  EXPECT_FALSE(BuildPath({.resource = "secrets"}).ok());
  EXPECT_FALSE(BuildPath({.version = "v1"}).ok());
  EXPECT_FALSE(BuildPath({.version = "v1", .resource = "secrets", .subresource = "status"}).ok());
  EXPECT_FALSE(BuildPath({.version = "v1", .resource = "secrets", .name = ".."}).ok());
  EXPECT_FALSE(BuildPath({.version = "v1", .resource = "secrets", .name = "a/b"}).ok());
  EXPECT_FALSE(BuildPath({.version = "v1", .resource = "secrets", .namespace_ = "."}).ok());
  EXPECT_EQ(BuildPath({.version = "v1", .resource = "a/b"}).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(QueryStringTest, EncodesInOrderAndSkipsEmptyValues) {
  QueryString query;
  query.Add("labelSelector", "app=web,tier in (a,b)")
      .Add("fieldSelector", "")
      .AddIf(true, "dryRun", "All")
      .AddIf(false, "force", "true")
      .Add("continue", "abc+/=");
  EXPECT_EQ(query.Encode(),
            "?labelSelector=app%3Dweb%2Ctier%20in%20%28a%2Cb%29&dryRun=All&continue=abc%2B%2F%3D");
  EXPECT_EQ(QueryString().Encode(), "");
}

TEST(PatchContentTypeTest, MatchesKubernetes) {
  EXPECT_STREQ(PatchContentType(PatchType::kMerge), "application/merge-patch+json");
  EXPECT_STREQ(PatchContentType(PatchType::kJson), "application/json-patch+json");
  EXPECT_STREQ(PatchContentType(PatchType::kStrategic), "application/strategic-merge-patch+json");
  EXPECT_STREQ(PatchContentType(PatchType::kApply), "application/apply-patch+yaml");
}

TEST(DeleteOptionsBodyTest, CarriesPreconditionsAndPropagation) {
  auto body = DeleteOptionsBody({.precondition_uid = "u-1",
                                 .precondition_resource_version = "42",
                                 .propagation_policy = "Foreground",
                                 .dry_run = true});
  EXPECT_EQ(body["kind"], "DeleteOptions");
  EXPECT_EQ(body["apiVersion"], "v1");
  EXPECT_EQ(body["preconditions"]["uid"], "u-1");
  EXPECT_EQ(body["preconditions"]["resourceVersion"], "42");
  EXPECT_EQ(body["propagationPolicy"], "Foreground");
  EXPECT_EQ(body["dryRun"], nlohmann::json::array({"All"}));
  auto plain = DeleteOptionsBody({});
  EXPECT_FALSE(plain.contains("preconditions"));
  EXPECT_FALSE(plain.contains("propagationPolicy"));
  EXPECT_FALSE(plain.contains("dryRun"));
}

}  // namespace
}  // namespace certforge::k8sgw
