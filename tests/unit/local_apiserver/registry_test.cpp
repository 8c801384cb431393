#include "services/local-apiserver/registry.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <thread>

#include "lib/core/time_format.h"
#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;

std::string Rv(const json& object) { return object["metadata"].value("resourceVersion", ""); }

class RegistryTest : public ::testing::Test {
 protected:
  void SetUp() override { env_.RegisterWidgetCrd(); }

  Registry& registry() { return env_.registry(); }

  json CreateWidget(const std::string& name, int size) {
    return env_.MustCreate(env_.Widget("default"), WidgetBody(name, size));
  }

  // Every change waiting for `sub`, as "TYPE name rv".
  static std::vector<std::string> Events(WatchSubscription& sub) {
    std::vector<std::string> out;
    WatchChange change;
    while (sub.Next(milliseconds(0), &change) == WatchSubscription::Wait::kChange) {
      out.push_back(std::string(ChangeTypeName(change.type)) + " " +
                    (*change.object)["metadata"].value("name", "") + " " +
                    std::to_string(change.rv));
    }
    return out;
  }

  TestEnv env_;
};

TEST_F(RegistryTest, CreateSetsServerOwnedMetadata) {
  json body = ConfigMapBody("cm", {{"a", "1"}});
  body["metadata"]["uid"] = "client-uid";
  body["metadata"]["resourceVersion"] = "999";
  body["metadata"]["creationTimestamp"] = "2001-01-01T00:00:00Z";
  body["metadata"]["generation"] = 7;
  body["metadata"]["selfLink"] = "/api/v1/x";
  body["metadata"]["managedFields"] = json::array({{{"manager", "x"}}});
  auto before = std::chrono::system_clock::now() - std::chrono::seconds(1);
  auto result = registry().Create(env_.Core("configmaps", "default"), body, WriteOptions{});
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->created);
  const json& meta = (*result->object)["metadata"];
  EXPECT_EQ(meta["name"], "cm");
  EXPECT_EQ(meta["namespace"], "default");
  EXPECT_NE(meta["uid"], "client-uid");
  EXPECT_EQ(meta["uid"].get<std::string>().size(), 36u);
  EXPECT_EQ(Rv(*result->object), std::to_string(env_.store().revision()));
  auto created = core::ParseRfc3339(meta["creationTimestamp"].get<std::string>());
  ASSERT_TRUE(created.ok());
  EXPECT_GE(*created, std::chrono::time_point_cast<std::chrono::seconds>(before));
  EXPECT_FALSE(meta.contains("generation"));  // ConfigMaps do not track generation
  EXPECT_FALSE(meta.contains("selfLink"));
  EXPECT_FALSE(meta.contains("managedFields"));
  EXPECT_EQ(result->body, result->object->dump());

  json stored = env_.MustGet(env_.Core("configmaps", "default", "cm"));
  EXPECT_EQ(stored, *result->object);

  json widget = CreateWidget("w", 1);
  EXPECT_EQ(widget["metadata"]["generation"], 1);
  EXPECT_EQ(widget["spec"]["color"], "blue");  // schema default
}

TEST_F(RegistryTest, CreateTwiceIsAlreadyExists) {
  env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("dup"));
  auto again =
      registry().Create(env_.Core("configmaps", "default"), ConfigMapBody("dup"), WriteOptions{});
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(HttpCode(again.status()), 409);
  EXPECT_EQ(Reason(again.status()), "AlreadyExists");
  json status = StatusBody(again.status());
  EXPECT_EQ(status["message"], "configmaps \"dup\" already exists");
  EXPECT_EQ(status["details"], json({{"name", "dup"}, {"group", ""}, {"kind", "configmaps"}}));
}

TEST_F(RegistryTest, GenerateNameMakesUniqueNames) {
  json body = ConfigMapBody("");
  body["metadata"] = {{"generateName", "tok-"}};
  json a = env_.MustCreate(env_.Core("configmaps", "default"), body);
  json b = env_.MustCreate(env_.Core("configmaps", "default"), body);
  std::string name_a = a["metadata"]["name"], name_b = b["metadata"]["name"];
  EXPECT_EQ(name_a.rfind("tok-", 0), 0u);
  EXPECT_EQ(name_a.size(), 9u);
  EXPECT_NE(name_a, name_b);
  EXPECT_EQ(a["metadata"]["generateName"], "tok-");
}

TEST_F(RegistryTest, NamespaceMustExistAndNotBeTerminating) {
  auto missing =
      registry().Create(env_.Core("secrets", "nowhere"), SecretBody("s"), WriteOptions{});
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(HttpCode(missing.status()), 404);
  EXPECT_EQ(StatusBody(missing.status())["details"]["kind"], "namespaces");
  EXPECT_EQ(StatusBody(missing.status())["details"]["name"], "nowhere");

  env_.CreateNamespace("doomed");
  auto deleted = registry().Delete(env_.Core("namespaces", "", "doomed"), DeleteOptions{});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_FALSE(deleted->gone);  // waits on spec.finalizers
  EXPECT_EQ((*deleted->object)["status"]["phase"], "Terminating");
  auto refused = registry().Create(env_.Core("secrets", "doomed"), SecretBody("s"), WriteOptions{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(HttpCode(refused.status()), 403);
  EXPECT_EQ(Reason(refused.status()), "Forbidden");
  EXPECT_EQ(StatusBody(refused.status())["message"],
            "secrets \"s\" is forbidden: unable to create new content in namespace doomed "
            "because it is being terminated");
}

TEST_F(RegistryTest, UpdateWithStaleResourceVersionConflicts) {
  json cm = env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm", {{"a", "1"}}));
  json first = cm;
  first["data"]["a"] = "2";
  auto updated = registry().Update(env_.Core("configmaps", "default", "cm"), first, WriteOptions{});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_GT(std::stoll(Rv(*updated->object)), std::stoll(Rv(cm)));

  json stale = cm;  // still carries the first resourceVersion
  stale["data"]["a"] = "3";
  auto conflict =
      registry().Update(env_.Core("configmaps", "default", "cm"), stale, WriteOptions{});
  ASSERT_FALSE(conflict.ok());
  EXPECT_EQ(HttpCode(conflict.status()), 409);
  EXPECT_EQ(Reason(conflict.status()), "Conflict");
  EXPECT_EQ(StatusBody(conflict.status())["message"],
            "Operation cannot be fulfilled on configmaps \"cm\": the object has been modified; "
            "please apply your changes to the latest version and try again");
  EXPECT_EQ(env_.MustGet(env_.Core("configmaps", "default", "cm"))["data"]["a"], "2");
}

TEST_F(RegistryTest, UpdateWithoutResourceVersionWins) {
  json cm = env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm", {{"a", "1"}}));
  json body = ConfigMapBody("cm", {{"a", "9"}});
  auto updated = registry().Update(env_.Core("configmaps", "default", "cm"), body, WriteOptions{});
  ASSERT_TRUE(updated.ok()) << updated.status();
  const json& meta = (*updated->object)["metadata"];
  EXPECT_EQ(meta["uid"], cm["metadata"]["uid"]);
  EXPECT_EQ(meta["creationTimestamp"], cm["metadata"]["creationTimestamp"]);
  EXPECT_EQ((*updated->object)["data"]["a"], "9");
  EXPECT_FALSE(updated->created);

  auto missing =
      registry().Update(env_.Core("configmaps", "default", "nope"), ConfigMapBody("nope"), {});
  EXPECT_EQ(HttpCode(missing.status()), 404);
  auto renamed =
      registry().Update(env_.Core("configmaps", "default", "cm"), ConfigMapBody("other"), {});
  EXPECT_EQ(HttpCode(renamed.status()), 400);
}

// As kube-apiserver: an update that would store the same object again (its resourceVersion
// aside) stores nothing and keeps the resourceVersion; any other difference is a new revision.
TEST_F(RegistryTest, UpdateThatChangesNothingStoresNothing) {
  json cm = env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm", {{"a", "1"}}));
  auto scope = env_.Core("configmaps", "default", "cm");
  auto update = [&](const json& body) {
    auto result = registry().Update(scope, body, WriteOptions{});
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result->object : json();
  };
  int64_t rev = env_.store().revision();
  EXPECT_EQ(Rv(update(cm)), Rv(cm));
  json without_rv = cm;
  without_rv["metadata"].erase("resourceVersion");
  EXPECT_EQ(Rv(update(without_rv)), Rv(cm));
  EXPECT_EQ(env_.store().revision(), rev);

  json labelled = cm;
  labelled["metadata"]["labels"] = {{"tier", "web"}};
  cm = update(labelled);
  EXPECT_EQ(env_.store().revision(), ++rev);
  json other_data = cm;
  other_data["data"]["a"] = "2";
  cm = update(other_data);
  EXPECT_EQ(env_.store().revision(), ++rev);
  json more = cm;
  more["binaryData"] = {{"b", "AA=="}};
  cm = update(more);
  EXPECT_EQ(env_.store().revision(), ++rev);
  json fewer = cm;
  fewer.erase("data");
  cm = update(fewer);
  EXPECT_EQ(env_.store().revision(), ++rev);
  EXPECT_FALSE(env_.MustGet(scope).contains("data"));
}

TEST_F(RegistryTest, GenerationFollowsSpecOnly) {
  CreateWidget("w", 1);
  auto scope = env_.Widget("default", "w");
  auto status_scope = env_.Widget("default", "w", "status");
  struct Step {
    const char* what;
    ObjectScope scope;
    std::function<void(json&)> edit;
    int want_generation;
  };
  const Step steps[] = {
      {"labels", scope,
       [](json& o) {
         o["metadata"]["labels"] = {{"a", "b"}};
       },
       1},
      {"annotations", scope,
       [](json& o) {
         o["metadata"]["annotations"] = {{"a", "b"}};
       },
       1},
      {"spec", scope, [](json& o) { o["spec"]["size"] = 2; }, 2},
      {"same spec", scope, [](json& o) { o["spec"]["size"] = 2; }, 2},
      {"status", status_scope,
       [](json& o) {
         o["status"] = {{"ready", true}};
       },
       2},
      {"status on main", scope,
       [](json& o) {
         o["status"] = {{"ready", false}};
       },
       2},
      {"spec again", scope, [](json& o) { o["spec"]["tags"] = {"x"}; }, 3},
      {"client generation", scope, [](json& o) { o["metadata"]["generation"] = 42; }, 3},
  };
  for (const auto& step : steps) {
    json object = env_.MustGet(scope);
    step.edit(object);
    auto result = registry().Update(step.scope, object, WriteOptions{});
    ASSERT_TRUE(result.ok()) << step.what << ": " << result.status();
    EXPECT_EQ((*result->object)["metadata"]["generation"], step.want_generation) << step.what;
  }
}

TEST_F(RegistryTest, StatusSubresourceRules) {
  json created = env_.MustCreate(env_.Widget("default"), [] {
    json w = WidgetBody("w", 1);
    w["status"] = {{"ready", true}};  // dropped: status is not set through the main resource
    return w;
  }());
  EXPECT_FALSE(created.contains("status"));

  // A status write changes status only: spec and metadata edits in the same body are ignored.
  json status_write = created;
  status_write["status"] = {{"ready", true}, {"observedSize", 1}};
  status_write["spec"]["size"] = 50;
  status_write["metadata"]["labels"] = {{"sneaky", "yes"}};
  auto after_status =
      registry().Update(env_.Widget("default", "w", "status"), status_write, WriteOptions{});
  ASSERT_TRUE(after_status.ok()) << after_status.status();
  EXPECT_EQ((*after_status->object)["status"], json({{"ready", true}, {"observedSize", 1}}));
  EXPECT_EQ((*after_status->object)["spec"]["size"], 1);
  EXPECT_FALSE((*after_status->object)["metadata"].contains("labels"));

  // A main write keeps the stored status, whatever the body says (even without one).
  json main_write = *after_status->object;
  main_write.erase("status");
  main_write["spec"]["size"] = 3;
  auto after_main = registry().Update(env_.Widget("default", "w"), main_write, WriteOptions{});
  ASSERT_TRUE(after_main.ok()) << after_main.status();
  EXPECT_EQ((*after_main->object)["spec"]["size"], 3);
  EXPECT_EQ((*after_main->object)["status"], json({{"ready", true}, {"observedSize", 1}}));

  // Status writes honour resourceVersion too; a status write without status removes it.
  auto stale = registry().Update(env_.Widget("default", "w", "status"), status_write, {});
  EXPECT_EQ(HttpCode(stale.status()), 409);
  json clear = *after_main->object;
  clear.erase("status");
  auto cleared = registry().Update(env_.Widget("default", "w", "status"), clear, {});
  ASSERT_TRUE(cleared.ok()) << cleared.status();
  EXPECT_FALSE(cleared->object->contains("status"));
}

TEST_F(RegistryTest, MergeJsonAndStrategicPatches) {
  json cm = ConfigMapBody("cm", {{"a", "1"}, {"b", "2"}});
  cm["metadata"]["finalizers"] = {"example.com/one"};
  env_.MustCreate(env_.Core("configmaps", "default"), cm);
  auto scope = env_.Core("configmaps", "default", "cm");
  struct Case {
    const char* what;
    PatchType type;
    std::string patch;
    json want_data;
    json want_finalizers;
  };
  const Case cases[] = {
      {"merge",
       PatchType::kMerge,
       R"({"data":{"a":null,"c":"3"}})",
       {{"b", "2"}, {"c", "3"}},
       {"example.com/one"}},
      {"merge replaces lists",
       PatchType::kMerge,
       R"({"metadata":{"finalizers":["example.com/two"]}})",
       {{"b", "2"}, {"c", "3"}},
       {"example.com/two"}},
      // Patch items first, then the server's own, as apimachinery's mergeSortedSlice orders them.
      {"strategic merges finalizers as a set",
       PatchType::kStrategic,
       R"({"metadata":{"finalizers":["example.com/three"]},"data":{"d":"4"}})",
       {{"b", "2"}, {"c", "3"}, {"d", "4"}},
       {"example.com/three", "example.com/two"}},
      {"json",
       PatchType::kJson,
       R"([{"op":"remove","path":"/data/b"},{"op":"add","path":"/data/e","value":"5"},
           {"op":"remove","path":"/metadata/finalizers"}])",
       {{"c", "3"}, {"d", "4"}, {"e", "5"}},
       nullptr},
  };
  for (const auto& c : cases) {
    auto result = registry().Patch(scope, c.type, c.patch, WriteOptions{});
    ASSERT_TRUE(result.ok()) << c.what << ": " << result.status();
    EXPECT_EQ((*result->object)["data"], c.want_data) << c.what;
    json finalizers = (*result->object)["metadata"].value("finalizers", json());
    EXPECT_EQ(finalizers, c.want_finalizers) << c.what;
    EXPECT_FALSE(result->created);
  }
}

TEST_F(RegistryTest, PatchErrors) {
  env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm", {{"a", "1"}}));
  CreateWidget("w", 1);
  auto cm = env_.Core("configmaps", "default", "cm");
  struct Case {
    const char* what;
    ObjectScope scope;
    PatchType type;
    std::string patch;
    int want_code;
    std::string want_reason;
  };
  const Case cases[] = {
      {"strategic on a custom resource", env_.Widget("default", "w"), PatchType::kStrategic,
       R"({"spec":{"size":2}})", 415, "UnsupportedMediaType"},
      {"not json", cm, PatchType::kMerge, "{", 400, "BadRequest"},
      {"json patch must be a list", cm, PatchType::kJson, R"({"op":"add"})", 400, "BadRequest"},
      {"merge patch must be an object", cm, PatchType::kMerge, "[1]", 400, "BadRequest"},
      {"malformed json patch", cm, PatchType::kJson, R"([{"op":"explode","path":"/a"}])", 400,
       "BadRequest"},
      {"json patch that cannot apply", cm, PatchType::kJson,
       R"([{"op":"remove","path":"/data/missing"}])", 422, "Invalid"},
      {"missing object", env_.Core("configmaps", "default", "nope"), PatchType::kMerge, "{}", 404,
       "NotFound"},
      {"stale resourceVersion in a merge patch", cm, PatchType::kMerge,
       R"({"metadata":{"resourceVersion":"1"},"data":{"a":"2"}})", 409, "Conflict"},
      {"invalid result", cm, PatchType::kMerge, R"({"data":{"bad key":"x"}})", 422, "Invalid"},
  };
  for (const auto& c : cases) {
    auto result = registry().Patch(c.scope, c.type, c.patch, WriteOptions{});
    ASSERT_FALSE(result.ok()) << c.what;
    EXPECT_EQ(HttpCode(result.status()), c.want_code) << c.what << ": " << result.status();
    EXPECT_EQ(Reason(result.status()), c.want_reason) << c.what;
  }
  EXPECT_EQ(env_.MustGet(cm)["data"], json({{"a", "1"}}));
}

TEST_F(RegistryTest, JsonPatchWithResourceVersionPrecondition) {
  json cm = env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm", {{"a", "1"}}));
  auto scope = env_.Core("configmaps", "default", "cm");
  auto patch = [](const std::string& rv, const std::string& value) {
    return R"([{"op":"test","path":"/metadata/resourceVersion","value":")" + rv +
           R"("},{"op":"replace","path":"/data/a","value":")" + value + R"("}])";
  };
  auto ok = registry().Patch(scope, PatchType::kJson, patch(Rv(cm), "2"), WriteOptions{});
  ASSERT_TRUE(ok.ok()) << ok.status();
  EXPECT_EQ((*ok->object)["data"]["a"], "2");

  auto stale = registry().Patch(scope, PatchType::kJson, patch(Rv(cm), "3"), WriteOptions{});
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(HttpCode(stale.status()), 422);

  // Replacing the resourceVersion with a stale one is a precondition too.
  std::string replace = R"([{"op":"replace","path":"/metadata/resourceVersion","value":")" +
                        Rv(cm) + R"("},{"op":"replace","path":"/data/a","value":"4"}])";
  auto conflict = registry().Patch(scope, PatchType::kJson, replace, WriteOptions{});
  EXPECT_EQ(HttpCode(conflict.status()), 409);
  EXPECT_EQ(env_.MustGet(scope)["data"]["a"], "2");
}

TEST_F(RegistryTest, ApplyCreatesWhenMissingAndNeedsAFieldManager) {
  auto scope = env_.Core("configmaps", "default", "applied");
  std::string yaml = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  a: b\n";

  auto no_manager = registry().Patch(scope, PatchType::kApply, yaml, WriteOptions{});
  ASSERT_FALSE(no_manager.ok());
  EXPECT_EQ(HttpCode(no_manager.status()), 422);
  json status = StatusBody(no_manager.status());
  EXPECT_EQ(status["details"]["causes"][0]["field"], "fieldManager");
  EXPECT_EQ(status["details"]["causes"][0]["reason"], "FieldValueRequired");

  WriteOptions options;
  options.field_manager = "tests";
  auto created = registry().Patch(scope, PatchType::kApply, yaml, options);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_TRUE(created->created);
  EXPECT_EQ((*created->object)["data"], json({{"a", "b"}}));

  auto merged = registry().Patch(scope, PatchType::kApply, R"({"data":{"c":"d"}})", options);
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_FALSE(merged->created);
  EXPECT_EQ((*merged->object)["data"], json({{"a", "b"}, {"c", "d"}}));

  auto renamed = registry().Patch(env_.Core("configmaps", "default", "other"), PatchType::kApply,
                                  yaml, options);
  EXPECT_EQ(HttpCode(renamed.status()), 400);
  auto no_namespace = registry().Patch(env_.Core("configmaps", "nowhere", "applied"),
                                       PatchType::kApply, yaml, options);
  EXPECT_EQ(HttpCode(no_namespace.status()), 404);
}

TEST_F(RegistryTest, DeleteWaitsForFinalizersThenPublishesDeleted) {
  auto sub = env_.hub().Subscribe("configmaps", "default");
  json cm = ConfigMapBody("held");
  cm["metadata"]["finalizers"] = {"example.com/hold"};
  json created = env_.MustCreate(env_.Core("configmaps", "default"), cm);
  auto scope = env_.Core("configmaps", "default", "held");

  auto deleted = registry().Delete(scope, DeleteOptions{});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_FALSE(deleted->gone);
  const json& meta = (*deleted->object)["metadata"];
  EXPECT_TRUE(core::ParseRfc3339(meta.value("deletionTimestamp", "")).ok());
  EXPECT_EQ(meta["deletionGracePeriodSeconds"], 0);
  json stored = env_.MustGet(scope);
  EXPECT_EQ(stored["metadata"]["deletionTimestamp"], meta["deletionTimestamp"]);
  EXPECT_EQ(env_.store().Get("configmaps", "default", "held").value()->deleting, true);

  // No new finalizers while deleting; the deletionTimestamp cannot be removed.
  json more = stored;
  more["metadata"]["finalizers"].push_back("example.com/more");
  more["metadata"].erase("deletionTimestamp");
  auto refused = registry().Update(scope, more, WriteOptions{});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(HttpCode(refused.status()), 422);
  EXPECT_EQ(StatusBody(refused.status())["details"]["causes"][0]["reason"], "FieldValueForbidden");

  // Removing the last finalizer completes the deletion.
  json release = stored;
  release["metadata"].erase("finalizers");
  auto released = registry().Update(scope, release, WriteOptions{});
  ASSERT_TRUE(released.ok()) << released.status();
  EXPECT_EQ(HttpCode(registry().Get(scope).status()), 404);

  int64_t rv = env_.store().revision();
  EXPECT_EQ(Events(*sub), (std::vector<std::string>{
                              "ADDED held " + std::to_string(rv - 2),
                              "MODIFIED held " + std::to_string(rv - 1),
                              "DELETED held " + std::to_string(rv),
                          }));
  EXPECT_EQ(HttpCode(registry().Delete(scope, DeleteOptions{}).status()), 404);
}

TEST_F(RegistryTest, DeleteWithoutFinalizersIsImmediate) {
  auto sub = env_.hub().Subscribe("configmaps", "");
  env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm"));
  auto deleted = registry().Delete(env_.Core("configmaps", "default", "cm"), DeleteOptions{});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(deleted->gone);
  EXPECT_EQ(Rv(*deleted->object), std::to_string(env_.store().revision()));
  EXPECT_FALSE(env_.store().Get("configmaps", "default", "cm")->has_value());
  auto events = Events(*sub);
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].rfind("DELETED cm", 0), 0u);
}

TEST_F(RegistryTest, DeletePreconditionsAndPropagationFinalizers) {
  json cm = env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm"));
  auto scope = env_.Core("configmaps", "default", "cm");
  std::string uid = cm["metadata"]["uid"];

  DeleteOptions wrong_uid;
  wrong_uid.precondition_uid = "other";
  auto by_uid = registry().Delete(scope, wrong_uid);
  EXPECT_EQ(HttpCode(by_uid.status()), 409);
  EXPECT_EQ(StatusBody(by_uid.status())["message"],
            "Operation cannot be fulfilled on configmaps \"cm\": Precondition failed: UID in "
            "precondition: other, UID in object meta: " +
                uid);

  DeleteOptions wrong_rv;
  wrong_rv.precondition_resource_version = "1";
  auto by_rv = registry().Delete(scope, wrong_rv);
  EXPECT_EQ(HttpCode(by_rv.status()), 409);
  EXPECT_EQ(StatusBody(by_rv.status())["message"],
            "Operation cannot be fulfilled on configmaps \"cm\": Precondition failed: "
            "ResourceVersion in precondition: 1, ResourceVersion in object meta: " +
                Rv(cm));

  DeleteOptions dry;
  dry.dry_run = true;
  auto dry_run = registry().Delete(scope, dry);
  ASSERT_TRUE(dry_run.ok());
  EXPECT_TRUE(dry_run->gone);
  EXPECT_TRUE(env_.store().Get("configmaps", "default", "cm")->has_value());

  for (const auto& [propagation, finalizer] : std::vector<std::pair<std::string, std::string>>{
           {"Orphan", "orphan"}, {"Foreground", "foregroundDeletion"}}) {
    std::string name = "by-" + finalizer;
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody(name));
    DeleteOptions options;
    options.propagation = propagation;
    auto result = registry().Delete(env_.Core("configmaps", "default", name), options);
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_FALSE(result->gone) << propagation;
    EXPECT_EQ((*result->object)["metadata"]["finalizers"], json({finalizer})) << propagation;
  }

  DeleteOptions right;
  right.precondition_uid = uid;
  right.precondition_resource_version = Rv(cm);
  auto deleted = registry().Delete(scope, right);
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(deleted->gone);
}

TEST_F(RegistryTest, DeletingAgainChangesNothing) {
  json cm = ConfigMapBody("held");
  cm["metadata"]["finalizers"] = {"example.com/hold"};
  env_.MustCreate(env_.Core("configmaps", "default"), cm);
  auto scope = env_.Core("configmaps", "default", "held");
  auto first = registry().Delete(scope, DeleteOptions{});
  ASSERT_TRUE(first.ok()) << first.status();
  int64_t rev = env_.store().revision();

  // As kube-apiserver: a pending deletion is not rewritten, not even to add the finalizer of
  // another propagation policy.
  DeleteOptions foreground;
  foreground.propagation = "Foreground";
  auto again = registry().Delete(scope, foreground);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_FALSE(again->gone);
  EXPECT_EQ(env_.store().revision(), rev);
  EXPECT_EQ((*again->object)["metadata"]["finalizers"], json({"example.com/hold"}));
  EXPECT_EQ((*again->object)["metadata"]["deletionTimestamp"],
            (*first->object)["metadata"]["deletionTimestamp"]);
  EXPECT_EQ(Rv(*again->object), std::to_string(rev));
}

TEST_F(RegistryTest, NamespaceUpdateWithoutSpecKeepsItsFinalizer) {
  env_.CreateNamespace("team");
  auto scope = env_.Core("namespaces", "", "team");
  // What `kubectl replace -f` of a manifest with metadata only sends.
  json body = {{"apiVersion", "v1"},
               {"kind", "Namespace"},
               {"metadata", {{"name", "team"}, {"labels", {{"a", "b"}}}}}};
  auto updated = registry().Update(scope, body, WriteOptions{});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ((*updated->object)["spec"]["finalizers"], json({"kubernetes"}));
  EXPECT_EQ((*updated->object)["status"]["phase"], "Active");
  // So deleting it still waits for its contents to be removed.
  auto deleted = registry().Delete(scope, DeleteOptions{});
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_FALSE(deleted->gone);
}

TEST_F(RegistryTest, WritesThroughAnyVersionAreStoredAtTheStorageVersion) {
  auto beta = ObjectScope{env_.Type("example.com", "v1beta1", "widgets"), "default", "", ""};
  json body = WidgetBody("w", 1);
  body["apiVersion"] = "example.com/v1beta1";
  auto created = registry().Create(beta, body, WriteOptions{});
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ((*created->object)["apiVersion"], "example.com/v1beta1");  // answered as asked
  auto stored = env_.store().Get("widgets.example.com", "default", "w");
  ASSERT_TRUE(stored.ok() && stored->has_value());
  EXPECT_EQ(json::parse((*stored)->body)["apiVersion"], "example.com/v1");

  beta.name = "w";
  auto patched = registry().Patch(beta, PatchType::kMerge, R"({"spec":{"size":2}})", {});
  ASSERT_TRUE(patched.ok()) << patched.status();
  EXPECT_EQ((*patched->object)["apiVersion"], "example.com/v1beta1");
  stored = env_.store().Get("widgets.example.com", "default", "w");
  EXPECT_EQ(json::parse((*stored)->body)["apiVersion"], "example.com/v1");
}

// Concurrent writers share commits (group commit): every write is acknowledged with its own
// revision, revisions have no gaps, readable at once, and watchers see each write once, in order.
TEST_F(RegistryTest, ConcurrentWritesAreAllCommittedAndPublishedInOrder) {
  auto sub = env_.hub().Subscribe("configmaps", "default");
  constexpr int kThreads = 6;
  constexpr int kWrites = 40;
  std::vector<std::vector<int64_t>> revisions(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string name = "cm-" + std::to_string(t);
      auto scope = env_.Core("configmaps", "default", name);
      auto created = registry().Create(env_.Core("configmaps", "default"), ConfigMapBody(name),
                                       WriteOptions{});
      if (!created.ok()) return;
      revisions[t].push_back(std::stoll(Rv(*created->object)));
      for (int i = 0; i < kWrites; ++i) {
        // No resourceVersion: each update reads, then wins whatever else is staged meanwhile.
        auto updated = registry().Update(scope, ConfigMapBody(name, {{"i", std::to_string(i)}}),
                                         WriteOptions{});
        if (!updated.ok()) return;
        revisions[t].push_back(std::stoll(Rv(*updated->object)));
        // Acknowledged means readable.
        auto read = registry().Get(scope);
        if (!read.ok() || Rv(**read) != Rv(*updated->object)) return;
      }
    });
  }
  for (auto& thread : threads) thread.join();

  std::set<int64_t> all;
  for (const auto& mine : revisions) {
    ASSERT_EQ(mine.size(), static_cast<size_t>(kWrites + 1));
    EXPECT_TRUE(std::is_sorted(mine.begin(), mine.end()));
    all.insert(mine.begin(), mine.end());
  }
  ASSERT_EQ(all.size(), static_cast<size_t>(kThreads * (kWrites + 1)));
  EXPECT_EQ(*all.rbegin() - *all.begin() + 1, static_cast<int64_t>(all.size()));
  EXPECT_EQ(env_.store().revision(), *all.rbegin());

  std::vector<std::string> events = Events(*sub);
  ASSERT_EQ(events.size(), all.size());
  int64_t previous = 0;
  for (const std::string& event : events) {
    int64_t rv = std::stoll(event.substr(event.rfind(' ') + 1));
    EXPECT_GT(rv, previous);
    previous = rv;
  }
}

// A write that collides with one staged but not yet committed commits it before answering, so
// that the retry (here, GuaranteedUpdate's own) reads it instead of failing.
TEST_F(RegistryTest, StaleWritersRetryAgainstStagedWrites) {
  env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("shared"));
  auto scope = env_.Core("configmaps", "default", "shared");
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 30; ++i) {
        auto updated = registry().Update(
            scope, ConfigMapBody("shared", {{"w", std::to_string(t * 100 + i)}}), WriteOptions{});
        if (!updated.ok()) ++failures;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(Rv(**registry().Get(scope)), std::to_string(env_.store().revision()));
}

TEST_F(RegistryTest, DryRunStoresNothing) {
  WriteOptions dry;
  dry.dry_run = true;
  int64_t rev = env_.store().revision();
  auto created = registry().Create(env_.Core("configmaps", "default"), ConfigMapBody("cm"), dry);
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ((*created->object)["metadata"]["name"], "cm");
  EXPECT_FALSE((*created->object)["metadata"].contains("resourceVersion"));
  EXPECT_EQ(env_.store().revision(), rev);
  EXPECT_EQ(HttpCode(registry().Get(env_.Core("configmaps", "default", "cm")).status()), 404);
}

TEST_F(RegistryTest, MutateSkipsUnchangedObjects) {
  env_.MustCreate(env_.Core("configmaps", "default"), ConfigMapBody("cm", {{"a", "1"}}));
  auto scope = env_.Core("configmaps", "default", "cm");
  int64_t rev = env_.store().revision();
  EXPECT_TRUE(registry().Mutate(scope, [](json&) { return false; }).ok());
  EXPECT_EQ(env_.store().revision(), rev);
  EXPECT_TRUE(registry()
                  .Mutate(scope,
                          [](json& o) {
                            o["data"]["a"] = "2";
                            return true;
                          })
                  .ok());
  EXPECT_EQ(env_.store().revision(), rev + 1);
  EXPECT_EQ(env_.MustGet(scope)["data"]["a"], "2");
  EXPECT_EQ(HttpCode(registry().Mutate(env_.Core("configmaps", "default", "nope"),
                                       [](json&) { return true; })),
            404);
}

TEST_F(RegistryTest, GetServesTheRequestedVersion) {
  CreateWidget("w", 1);
  auto beta = ObjectScope{env_.Type("example.com", "v1beta1", "widgets"), "default", "w", ""};
  json object = env_.MustGet(beta);
  EXPECT_EQ(object["apiVersion"], "example.com/v1beta1");
  EXPECT_EQ(object["spec"]["size"], 1);
  EXPECT_EQ(env_.MustGet(env_.Widget("default", "w"))["apiVersion"], "example.com/v1");
}

TEST_F(RegistryTest, CrdWritesAreServedAtOnce) {
  EXPECT_NE(env_.catalog().Find("example.com", "v1", "widgets"), nullptr);
  EXPECT_NE(env_.catalog().Find("example.com", "v1beta1", "widgets"), nullptr);
  json crd = env_.MustGet(
      env_.Scope("apiextensions.k8s.io", "customresourcedefinitions", "", "widgets.example.com"));
  EXPECT_EQ(crd["metadata"]["finalizers"], json({"customresourcecleanup.apiextensions.k8s.io"}));
  EXPECT_EQ(crd["status"]["acceptedNames"]["kind"], "Widget");
  EXPECT_EQ(crd["status"]["storedVersions"], json({"v1"}));
  EXPECT_EQ(crd["metadata"]["generation"], 1);

  // Dropping a version stops serving it before the write returns.
  crd["spec"]["versions"].erase(0);
  auto updated = registry().Update(
      env_.Scope("apiextensions.k8s.io", "customresourcedefinitions", "", "widgets.example.com"),
      crd, WriteOptions{});
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ((*updated->object)["metadata"]["generation"], 2);
  EXPECT_EQ(env_.catalog().Find("example.com", "v1beta1", "widgets"), nullptr);
  EXPECT_NE(env_.catalog().Find("example.com", "v1", "widgets"), nullptr);
}

}  // namespace
}  // namespace certforge::apiserver
