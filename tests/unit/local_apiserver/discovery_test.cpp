#include "services/local-apiserver/discovery.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "services/local-apiserver/builtin_resources.h"
#include "services/local-apiserver/crd_strategy.h"
#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

class DiscoveryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(RegisterBuiltinResources(catalog_).ok());
    auto widgets = ResourceTypesFromCrd(WidgetCrd());
    ASSERT_TRUE(widgets.ok()) << widgets.status();
    catalog_.Replace("example.com", "widgets", Ptrs(std::move(*widgets)));
  }

  static std::vector<ResourceTypePtr> Ptrs(std::vector<ResourceType> types) {
    std::vector<ResourceTypePtr> out;
    for (auto& t : types) out.push_back(std::make_shared<const ResourceType>(std::move(t)));
    return out;
  }

  // The entry named `name` of an APIResourceList, or null.
  static json Entry(const json& list, const std::string& name) {
    for (const auto& r : list["resources"]) {
      if (r["name"] == name) return r;
    }
    return nullptr;
  }

  ResourceCatalog catalog_;
  Discovery discovery_{catalog_, "abcd"};
};

TEST(VersionPriorityTest, SortsLikeKubernetes) {
  std::vector<std::string> versions = {"v1",      "v10",       "v11beta2",  "v10beta3",
                                       "v3beta1", "v12alpha1", "v11alpha2", "foo1",
                                       "foo10",   "v2",        "v1beta1",   "v1alpha1"};
  std::sort(versions.begin(), versions.end(), VersionMorePreferred);
  EXPECT_EQ(versions, (std::vector<std::string>{"v10", "v2", "v1", "v11beta2", "v10beta3",
                                                "v3beta1", "v1beta1", "v12alpha1", "v11alpha2",
                                                "v1alpha1", "foo1", "foo10"}));
  EXPECT_FALSE(VersionMorePreferred("v1", "v1"));
}

TEST_F(DiscoveryTest, VersionAndApiVersions) {
  json version = Discovery::Version();
  EXPECT_EQ(version["major"], "1");
  EXPECT_EQ(version["gitVersion"].get<std::string>().rfind("v1.", 0), 0u);
  json api = discovery_.ApiVersions("127.0.0.1:6443");
  EXPECT_EQ(api["kind"], "APIVersions");
  EXPECT_EQ(api["versions"], json({"v1"}));
  EXPECT_EQ(api["serverAddressByClientCIDRs"][0]["serverAddress"], "127.0.0.1:6443");
}

TEST_F(DiscoveryTest, GroupsWithPreferredVersions) {
  json list = discovery_.ApiGroupList();
  EXPECT_EQ(list["kind"], "APIGroupList");
  std::vector<std::string> names;
  for (const auto& g : list["groups"]) names.push_back(g["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"apiextensions.k8s.io", "coordination.k8s.io",
                                             "example.com", "networking.k8s.io"}));

  auto group = discovery_.ApiGroup("example.com");
  ASSERT_TRUE(group.has_value());
  EXPECT_EQ((*group)["kind"], "APIGroup");
  EXPECT_EQ((*group)["versions"], json::parse(R"([{"groupVersion":"example.com/v1","version":"v1"},
                            {"groupVersion":"example.com/v1beta1","version":"v1beta1"}])"));
  EXPECT_EQ((*group)["preferredVersion"],
            json({{"groupVersion", "example.com/v1"}, {"version", "v1"}}));
  EXPECT_FALSE(discovery_.ApiGroup("nope.example").has_value());
  EXPECT_FALSE(discovery_.ApiGroup("").has_value());  // the core group lives under /api
}

TEST_F(DiscoveryTest, ResourceListsWithStatusSubresources) {
  auto core = discovery_.ResourceList("", "v1");
  ASSERT_TRUE(core.has_value());
  EXPECT_EQ((*core)["groupVersion"], "v1");
  json ns = Entry(*core, "namespaces");
  EXPECT_EQ(ns["namespaced"], false);
  EXPECT_EQ(ns["kind"], "Namespace");
  EXPECT_EQ(ns["singularName"], "namespace");
  EXPECT_EQ(ns["shortNames"], json({"ns"}));
  EXPECT_EQ(ns["verbs"], json({"create", "delete", "deletecollection", "get", "list", "patch",
                               "update", "watch"}));
  EXPECT_EQ(Entry(*core, "namespaces/status")["verbs"], json({"get", "patch", "update"}));
  EXPECT_EQ(Entry(*core, "secrets")["namespaced"], true);
  EXPECT_TRUE(Entry(*core, "secrets/status").is_null());
  EXPECT_FALSE(Entry(*core, "events").is_null());
  EXPECT_FALSE(Entry(*core, "configmaps").is_null());

  auto v1 = discovery_.ResourceList("example.com", "v1");
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ((*v1)["groupVersion"], "example.com/v1");
  json widgets = Entry(*v1, "widgets");
  EXPECT_EQ(widgets["kind"], "Widget");
  EXPECT_EQ(widgets["shortNames"], json({"wd"}));
  EXPECT_EQ(widgets["categories"], json({"all"}));
  EXPECT_EQ(Entry(*v1, "widgets/status")["kind"], "Widget");
  auto beta = discovery_.ResourceList("example.com", "v1beta1");
  ASSERT_TRUE(beta.has_value());
  EXPECT_TRUE(Entry(*beta, "widgets/status").is_null());  // v1beta1 has no subresources

  auto crds = discovery_.ResourceList("apiextensions.k8s.io", "v1");
  EXPECT_FALSE(Entry(*crds, "customresourcedefinitions/status").is_null());
  EXPECT_FALSE(discovery_.ResourceList("example.com", "v2").has_value());
  EXPECT_FALSE(discovery_.ResourceList("nope.example", "v1").has_value());
}

TEST_F(DiscoveryTest, OpenApiV3IndexAndDocuments) {
  json index = discovery_.OpenApiV3Index();
  std::vector<std::string> keys;
  for (const auto& [key, value] : index["paths"].items()) keys.push_back(key);
  EXPECT_EQ(keys,
            (std::vector<std::string>{"api/v1", "apis/apiextensions.k8s.io/v1",
                                      "apis/coordination.k8s.io/v1", "apis/example.com/v1",
                                      "apis/example.com/v1beta1", "apis/networking.k8s.io/v1"}));
  std::string url = index["paths"]["apis/example.com/v1"]["serverRelativeURL"];
  EXPECT_EQ(url.rfind("/openapi/v3/apis/example.com/v1?hash=abcd-", 0), 0u) << url;

  // The hash changes with the served set, so clients refetch.
  catalog_.Unregister("example.com", "widgets");
  json after = discovery_.OpenApiV3Index();
  EXPECT_FALSE(after["paths"].contains("apis/example.com/v1"));
  EXPECT_NE(after["paths"]["api/v1"]["serverRelativeURL"],
            index["paths"]["api/v1"]["serverRelativeURL"]);
  catalog_.Replace("example.com", "widgets", Ptrs(*ResourceTypesFromCrd(WidgetCrd())));

  auto doc = discovery_.OpenApiV3Document("example.com", "v1");
  ASSERT_TRUE(doc.has_value());
  EXPECT_EQ((*doc)["openapi"], "3.0.0");
  const json& item = (*doc)["paths"]["/apis/example.com/v1/namespaces/{namespace}/widgets/{name}"];
  ASSERT_TRUE(item.is_object()) << doc->dump();
  EXPECT_EQ(item["patch"]["x-kubernetes-group-version-kind"],
            json({{"group", "example.com"}, {"version", "v1"}, {"kind", "Widget"}}));
  EXPECT_EQ(item["patch"]["parameters"][0]["name"], "fieldValidation");

  auto core = discovery_.OpenApiV3Document("", "v1");
  ASSERT_TRUE(core.has_value());
  EXPECT_TRUE((*core)["paths"].contains("/api/v1/namespaces/{name}"));
  EXPECT_TRUE((*core)["paths"].contains("/api/v1/namespaces/{namespace}/secrets/{name}"));
  auto crds = discovery_.OpenApiV3Document("apiextensions.k8s.io", "v1");
  EXPECT_TRUE(
      (*crds)["paths"].contains("/apis/apiextensions.k8s.io/v1/customresourcedefinitions/{name}"));
  EXPECT_FALSE(discovery_.OpenApiV3Document("nope.example", "v1").has_value());
}

}  // namespace
}  // namespace certforge::apiserver
