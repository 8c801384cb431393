// Status conditions as cert-manager's apiutil sets them: lastTransitionTime moves only with the
// status, observedGeneration follows Certificates (not CertificateRequests).

#include "services/controller/conditions.h"

#include <gtest/gtest.h>

#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using test::At;
using test::json;

json Certificate(int generation) {
  return {{"metadata", {{"name", "web"}, {"generation", generation}}}, {"spec", json::object()}};
}

const json* Ready(const json& object) { return FindCondition(object, "Ready"); }

TEST(SetCondition, AddsAConditionWithEveryField) {
  json c = Certificate(2);
  EXPECT_TRUE(
      SetCondition(c, "Ready", "False", "DoesNotExist", "no Secret", At("2026-01-01T00:00:00Z")));
  ASSERT_EQ(c["status"]["conditions"].size(), 1u);
  EXPECT_EQ(c["status"]["conditions"][0], json({{"type", "Ready"},
                                                {"status", "False"},
                                                {"reason", "DoesNotExist"},
                                                {"message", "no Secret"},
                                                {"lastTransitionTime", "2026-01-01T00:00:00Z"},
                                                {"observedGeneration", 2}}));
}

struct Step {
  std::string name;
  std::string status, reason, message;
  int generation;
  std::string now;
  bool changed;
  std::string transition;  // expected lastTransitionTime afterwards
};

TEST(SetCondition, TransitionTimeMovesOnlyWithTheStatus) {
  const std::vector<Step> steps = {
      {"first", "False", "Pending", "waiting", 1, "2026-01-01T00:00:00Z", true,
       "2026-01-01T00:00:00Z"},
      {"identical", "False", "Pending", "waiting", 1, "2026-01-01T01:00:00Z", false,
       "2026-01-01T00:00:00Z"},
      {"same status, new reason", "False", "Failed", "it failed", 1, "2026-01-01T02:00:00Z", true,
       "2026-01-01T00:00:00Z"},
      {"same status, new generation", "False", "Failed", "it failed", 2, "2026-01-01T03:00:00Z",
       true, "2026-01-01T00:00:00Z"},
      {"status changes", "True", "Ready", "up to date", 2, "2026-01-01T04:00:00Z", true,
       "2026-01-01T04:00:00Z"},
      {"status changes back", "False", "Expired", "expired", 2, "2026-01-01T05:00:00Z", true,
       "2026-01-01T05:00:00Z"},
  };
  json c = Certificate(1);
  for (const Step& s : steps) {
    SCOPED_TRACE(s.name);
    c["metadata"]["generation"] = s.generation;
    EXPECT_EQ(SetCondition(c, "Ready", s.status, s.reason, s.message, At(s.now)), s.changed);
    const json* ready = Ready(c);
    ASSERT_NE(ready, nullptr);
    EXPECT_EQ((*ready)["status"], s.status);
    EXPECT_EQ((*ready)["reason"], s.reason);
    EXPECT_EQ((*ready)["message"], s.message);
    EXPECT_EQ((*ready)["lastTransitionTime"], s.transition);
    EXPECT_EQ((*ready)["observedGeneration"], s.generation);
    EXPECT_EQ(c["status"]["conditions"].size(), 1u);
  }
}

TEST(SetCondition, OtherConditionsAreLeftAlone) {
  json c = Certificate(1);
  SetCondition(c, "Ready", "False", "DoesNotExist", "m", At("2026-01-01T00:00:00Z"));
  SetCondition(c, "Issuing", "True", "DoesNotExist", "m", At("2026-01-01T00:00:01Z"));
  SetCondition(c, "Ready", "True", "Ready", "ok", At("2026-01-01T00:00:02Z"));
  ASSERT_EQ(c["status"]["conditions"].size(), 2u);
  EXPECT_EQ(c["status"]["conditions"][0]["type"], "Ready");
  EXPECT_EQ(c["status"]["conditions"][1]["type"], "Issuing");
  EXPECT_EQ(c["status"]["conditions"][1]["lastTransitionTime"], "2026-01-01T00:00:01Z");
}

TEST(SetCondition, NoObservedGenerationForRequestsOrWithoutAGeneration) {
  json request = {{"metadata", {{"name", "web-1"}, {"generation", 1}}}};
  EXPECT_TRUE(SetCondition(request, "Approved", "True", "cert-manager.io", "approved",
                           At("2026-01-01T00:00:00Z"), /*with_observed_generation=*/false));
  EXPECT_FALSE(FindCondition(request, "Approved")->contains("observedGeneration"));

  json fresh = {{"metadata", {{"name", "web"}}}};
  SetCondition(fresh, "Ready", "False", "Pending", "m", At("2026-01-01T00:00:00Z"));
  EXPECT_FALSE(FindCondition(fresh, "Ready")->contains("observedGeneration"));
}

TEST(SetCondition, KeepsATransitionTimeFromTheServer) {
  // A condition read back with a fractional time is not rewritten for the same status.
  json c = Certificate(1);
  c["status"]["conditions"] = json::array({{{"type", "Ready"},
                                            {"status", "True"},
                                            {"reason", "Ready"},
                                            {"message", "ok"},
                                            {"lastTransitionTime", "2025-12-31T23:00:00.5Z"},
                                            {"observedGeneration", 1}}});
  EXPECT_FALSE(SetCondition(c, "Ready", "True", "Ready", "ok", At("2026-01-01T00:00:00Z")));
  EXPECT_EQ((*Ready(c))["lastTransitionTime"], "2025-12-31T23:00:00.5Z");
}

TEST(ConditionReaders, MissingPieces) {
  const std::vector<json> objects = {
      json::object(),
      {{"status", nullptr}},
      {{"status", {{"conditions", "not a list"}}}},
      {{"status", {{"conditions", json::array({"not an object"})}}}},
      {{"status", {{"conditions", json::array({{{"type", "Issuing"}, {"status", "True"}}})}}}},
  };
  for (const json& o : objects) {
    SCOPED_TRACE(o.dump());
    EXPECT_EQ(FindCondition(o, "Ready"), nullptr);
    EXPECT_FALSE(ConditionIs(o, "Ready", "True"));
    EXPECT_EQ(ConditionReason(o, "Ready"), "");
  }
  const json o = objects.back();
  EXPECT_TRUE(ConditionIs(o, "Issuing", "True"));
  EXPECT_FALSE(ConditionIs(o, "Issuing", "False"));
  EXPECT_EQ(ConditionReason(o, "Issuing"), "");
}

TEST(RemoveCondition, RemovesOnlyThatType) {
  json c = Certificate(1);
  SetCondition(c, "Ready", "False", "r", "m", At("2026-01-01T00:00:00Z"));
  SetCondition(c, "Issuing", "True", "r", "m", At("2026-01-01T00:00:00Z"));
  EXPECT_TRUE(RemoveCondition(c, "Issuing"));
  EXPECT_EQ(FindCondition(c, "Issuing"), nullptr);
  ASSERT_NE(Ready(c), nullptr);
  EXPECT_FALSE(RemoveCondition(c, "Issuing"));
  EXPECT_TRUE(RemoveCondition(c, "Ready"));
  EXPECT_TRUE(c["status"]["conditions"].empty());

  json bare = Certificate(1);
  EXPECT_FALSE(RemoveCondition(bare, "Ready"));
  json no_conditions = {{"status", {{"revision", 1}}}};
  EXPECT_FALSE(RemoveCondition(no_conditions, "Ready"));
}

// Whatever a client wrote into status, the helpers neither throw nor lose valid conditions.
TEST(Conditions, MalformedStatusDoesNotThrow) {
  json odd = Certificate(1);
  odd["status"]["conditions"] = json::array({"junk", {{"type", "Ready"}, {"status", "True"}}});
  EXPECT_NO_THROW(SetCondition(odd, "Issuing", "True", "r", "m", At("2026-01-01T00:00:00Z")));
  EXPECT_TRUE(ConditionIs(odd, "Issuing", "True"));
  EXPECT_NO_THROW(EXPECT_TRUE(RemoveCondition(odd, "Ready")));
  EXPECT_EQ(FindCondition(odd, "Ready"), nullptr);

  json not_a_list = Certificate(1);
  not_a_list["status"]["conditions"] = "junk";
  EXPECT_NO_THROW(EXPECT_FALSE(RemoveCondition(not_a_list, "Ready")));
  EXPECT_TRUE(SetCondition(not_a_list, "Ready", "True", "Ready", "ok", At("2026-01-01T00:00:00Z")));
  EXPECT_EQ(not_a_list["status"]["conditions"].size(), 1u);

  json no_metadata = json::object();
  EXPECT_NO_THROW(
      SetCondition(no_metadata, "Ready", "True", "Ready", "ok", At("2026-01-01T00:00:00Z")));
  EXPECT_TRUE(ConditionIs(no_metadata, "Ready", "True"));
}

}  // namespace
}  // namespace certforge::controller
