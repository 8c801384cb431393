#include "services/local-apiserver/garbage_collector.h"

#include <gtest/gtest.h>

#include <thread>

#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

json OwnerRef(const json& owner, const std::string& kind) {
  return {{"apiVersion", "v1"},
          {"kind", kind},
          {"name", owner["metadata"]["name"]},
          {"uid", owner["metadata"]["uid"]}};
}

class GarbageCollectorTest : public ::testing::Test {
 protected:
  GarbageCollectorTest() : gc_(env_.registry(), env_.catalog(), std::chrono::seconds(3600)) {}

  void SetUp() override { env_.RegisterWidgetCrd(); }

  // Sweeps until a pass changes nothing (each pass is one level of the deletion cascade).
  void SweepUntilQuiet() {
    for (int i = 0; i < 10; ++i) {
      int64_t before = env_.store().revision();
      gc_.Sweep();
      if (env_.store().revision() == before) return;
    }
    ADD_FAILURE() << "the garbage collector never settled";
  }

  bool Exists(const ObjectScope& scope) { return env_.registry().Get(scope).ok(); }

  json CreateConfigMap(const std::string& ns, const std::string& name,
                       const json& owners = json::array(), const json& finalizers = nullptr) {
    json body = ConfigMapBody(name);
    if (!owners.empty()) body["metadata"]["ownerReferences"] = owners;
    if (!finalizers.is_null()) body["metadata"]["finalizers"] = finalizers;
    return env_.MustCreate(env_.Core("configmaps", ns), body);
  }

  void Delete(const ObjectScope& scope, const std::string& propagation = "") {
    DeleteOptions options;
    options.propagation = propagation;
    auto result = env_.registry().Delete(scope, options);
    ASSERT_TRUE(result.ok()) << result.status();
  }

  void ReleaseFinalizers(const ObjectScope& scope) {
    ASSERT_TRUE(env_.registry()
                    .Mutate(scope,
                            [](json& o) {
                              o["metadata"].erase("finalizers");
                              return true;
                            })
                    .ok());
  }

  TestEnv env_;
  GarbageCollector gc_;
};

TEST_F(GarbageCollectorTest, BackgroundDeletionRemovesDependentsOfAGoneOwner) {
  json owner = CreateConfigMap("default", "owner");
  json refs = json::array({OwnerRef(owner, "ConfigMap")});
  CreateConfigMap("default", "child", refs);
  json secret = SecretBody("secret-child");
  secret["metadata"]["ownerReferences"] = refs;
  env_.MustCreate(env_.Core("secrets", "default"), secret);
  CreateConfigMap("default", "unrelated");

  gc_.Sweep();  // the owner is alive: nothing to do
  EXPECT_TRUE(Exists(env_.Core("configmaps", "default", "child")));

  Delete(env_.Core("configmaps", "default", "owner"));
  SweepUntilQuiet();
  EXPECT_FALSE(Exists(env_.Core("configmaps", "default", "child")));
  EXPECT_FALSE(Exists(env_.Core("secrets", "default", "secret-child")));
  EXPECT_TRUE(Exists(env_.Core("configmaps", "default", "unrelated")));
  EXPECT_TRUE(env_.store().MissingOwners()->empty());
}

TEST_F(GarbageCollectorTest, DanglingReferenceIsDroppedWhenAnotherOwnerRemains) {
  json first = CreateConfigMap("default", "first");
  json second = CreateConfigMap("default", "second");
  CreateConfigMap("default", "shared",
                  json::array({OwnerRef(first, "ConfigMap"), OwnerRef(second, "ConfigMap")}));
  Delete(env_.Core("configmaps", "default", "first"));
  SweepUntilQuiet();
  json shared = env_.MustGet(env_.Core("configmaps", "default", "shared"));
  EXPECT_EQ(shared["metadata"]["ownerReferences"], json::array({OwnerRef(second, "ConfigMap")}));
  EXPECT_TRUE(env_.store().Dependents(first["metadata"]["uid"])->empty());
}

TEST_F(GarbageCollectorTest, OrphanPropagationKeepsDependentsWithoutTheReference) {
  json owner = CreateConfigMap("default", "owner");
  CreateConfigMap("default", "child", json::array({OwnerRef(owner, "ConfigMap")}));
  Delete(env_.Core("configmaps", "default", "owner"), "Orphan");
  EXPECT_TRUE(Exists(env_.Core("configmaps", "default", "owner")));  // waits for the collector
  SweepUntilQuiet();
  EXPECT_FALSE(Exists(env_.Core("configmaps", "default", "owner")));
  json child = env_.MustGet(env_.Core("configmaps", "default", "child"));
  EXPECT_TRUE(child["metadata"].value("ownerReferences", json::array()).empty()) << child.dump();
}

TEST_F(GarbageCollectorTest, ForegroundPropagationDeletesDependentsFirst) {
  json owner = CreateConfigMap("default", "owner");
  json refs = json::array({OwnerRef(owner, "ConfigMap")});
  CreateConfigMap("default", "child", refs);
  CreateConfigMap("default", "held", refs, json::array({"example.com/hold"}));
  Delete(env_.Core("configmaps", "default", "owner"), "Foreground");

  gc_.Sweep();
  // The owner stays, marked, while any dependent exists.
  json marked = env_.MustGet(env_.Core("configmaps", "default", "owner"));
  EXPECT_TRUE(marked["metadata"].contains("deletionTimestamp"));
  SweepUntilQuiet();
  EXPECT_FALSE(Exists(env_.Core("configmaps", "default", "child")));
  EXPECT_TRUE(Exists(env_.Core("configmaps", "default", "held")));
  EXPECT_TRUE(Exists(env_.Core("configmaps", "default", "owner")));

  ReleaseFinalizers(env_.Core("configmaps", "default", "held"));
  SweepUntilQuiet();
  EXPECT_FALSE(Exists(env_.Core("configmaps", "default", "held")));
  EXPECT_FALSE(Exists(env_.Core("configmaps", "default", "owner")));
}

TEST_F(GarbageCollectorTest, NamespaceDeletionRemovesItsContentsThenItself) {
  env_.CreateNamespace("doomed");
  CreateConfigMap("doomed", "plain");
  CreateConfigMap("doomed", "held", json::array(), json::array({"example.com/hold"}));
  env_.MustCreate(env_.Core("secrets", "doomed"), SecretBody("s"));
  env_.MustCreate(env_.Widget("doomed"), WidgetBody("w", 1));
  CreateConfigMap("default", "elsewhere");
  auto ns = env_.Core("namespaces", "", "doomed");

  Delete(ns);
  SweepUntilQuiet();
  EXPECT_FALSE(Exists(env_.Core("configmaps", "doomed", "plain")));
  EXPECT_FALSE(Exists(env_.Core("secrets", "doomed", "s")));
  EXPECT_FALSE(Exists(env_.Widget("doomed", "w")));
  EXPECT_TRUE(Exists(env_.Core("configmaps", "doomed", "held")));
  json terminating = env_.MustGet(ns);
  EXPECT_EQ(terminating["status"]["phase"], "Terminating");
  EXPECT_EQ(terminating["spec"]["finalizers"], json({"kubernetes"}));

  ReleaseFinalizers(env_.Core("configmaps", "doomed", "held"));
  SweepUntilQuiet();
  EXPECT_FALSE(Exists(ns));
  EXPECT_TRUE(env_.store().ResourcesInNamespace("doomed")->empty());
  EXPECT_TRUE(Exists(env_.Core("configmaps", "default", "elsewhere")));
}

TEST_F(GarbageCollectorTest, CrdDeletionRemovesInstancesThenTheCrd) {
  env_.CreateNamespace("other");
  env_.MustCreate(env_.Widget("default"), WidgetBody("a", 1));
  env_.MustCreate(env_.Widget("other"), WidgetBody("b", 2));
  auto crd =
      env_.Scope("apiextensions.k8s.io", "customresourcedefinitions", "", "widgets.example.com");
  Delete(crd);
  EXPECT_TRUE(Exists(crd));
  ResourceTypePtr terminating = env_.catalog().Find("example.com", "v1", "widgets");
  ASSERT_NE(terminating, nullptr);
  EXPECT_TRUE(terminating->terminating);

  SweepUntilQuiet();
  EXPECT_FALSE(Exists(crd));
  EXPECT_EQ(env_.catalog().Find("example.com", "v1", "widgets"), nullptr);
  EXPECT_EQ(env_.catalog().Find("example.com", "v1beta1", "widgets"), nullptr);
  ListQuery all{"widgets.example.com"};
  int left = 0;
  ASSERT_TRUE(env_.store().List(all, [&](ObjectRecord&&) { return ++left > 0; }).ok());
  EXPECT_EQ(left, 0);
}

TEST_F(GarbageCollectorTest, EventsExpire) {
  // An old event, written straight to the store: the registry always stamps "now".
  int64_t old_created =
      std::chrono::duration_cast<std::chrono::seconds>(
          (std::chrono::system_clock::now() - std::chrono::hours(2)).time_since_epoch())
          .count();
  json old_event = {{"apiVersion", "v1"},
                    {"kind", "Event"},
                    {"metadata", {{"name", "old"}, {"namespace", "default"}, {"uid", "old-uid"}}},
                    {"involvedObject", {{"kind", "ConfigMap"}, {"name", "x"}}}};
  ObjectRecord record{"events", "default",        "old", "old-uid",  env_.store().revision() + 1,
                      "{}",     old_event.dump(), false, old_created};
  ASSERT_TRUE(env_.store().Commit({Mutation{ChangeType::kAdded, record, {}}}).ok());
  json fresh = old_event;
  fresh["metadata"] = {{"name", "fresh"}};
  env_.MustCreate(env_.Core("events", "default"), fresh);

  gc_.Sweep();
  EXPECT_FALSE(Exists(env_.Core("events", "default", "old")));
  EXPECT_TRUE(Exists(env_.Core("events", "default", "fresh")));
}

TEST_F(GarbageCollectorTest, BackgroundThreadWakesOnDeletion) {
  env_.registry().AddObserver([this](const CommittedChange& c) { gc_.OnCommit(c); });
  json owner = CreateConfigMap("default", "owner");
  CreateConfigMap("default", "child", json::array({OwnerRef(owner, "ConfigMap")}));
  gc_.Start();
  Delete(env_.Core("configmaps", "default", "owner"));
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (Exists(env_.Core("configmaps", "default", "child")) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  gc_.Stop();
  EXPECT_FALSE(Exists(env_.Core("configmaps", "default", "child")));
}

}  // namespace
}  // namespace certforge::apiserver
