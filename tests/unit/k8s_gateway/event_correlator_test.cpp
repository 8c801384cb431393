#include "services/k8s-gateway/event_correlator.h"

#include <gtest/gtest.h>

#include "services/k8s-gateway/event_recorder.h"

namespace certforge::k8sgw {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

kube::v1::EventRequest Request(const std::string& uid, const std::string& reason,
                               const std::string& message, const std::string& type = "Normal",
                               const std::string& component = "certforge") {
  kube::v1::EventRequest request;
  auto* object = request.mutable_involved_object();
  object->set_api_version("cert-manager.io/v1");
  object->set_kind("Certificate");
  object->set_namespace_("default");
  object->set_name("web");
  object->set_uid(uid);
  request.set_type(type);
  request.set_reason(reason);
  request.set_message(message);
  request.set_component(component);
  return request;
}

TEST(EventCorrelationKeyTest, SameEventSameKey) {
  EXPECT_EQ(EventCorrelationKey(Request("u1", "Issuing", "done")),
            EventCorrelationKey(Request("u1", "Issuing", "done")));
}

TEST(EventCorrelationKeyTest, AnyDifferenceMakesANewKey) {
  const std::string base = EventCorrelationKey(Request("u1", "Issuing", "done"));
  EXPECT_NE(base, EventCorrelationKey(Request("u2", "Issuing", "done")));
  EXPECT_NE(base, EventCorrelationKey(Request("u1", "Issued", "done")));
  EXPECT_NE(base, EventCorrelationKey(Request("u1", "Issuing", "done!")));
  EXPECT_NE(base, EventCorrelationKey(Request("u1", "Issuing", "done", "Warning")));
  EXPECT_NE(base, EventCorrelationKey(Request("u1", "Issuing", "done", "Normal", "other")));
  // Field boundaries cannot be forged by moving text between fields.
  EXPECT_NE(EventCorrelationKey(Request("u1", "ab", "c")),
            EventCorrelationKey(Request("u1", "a", "bc")));
}

TEST(EventCorrelatorTest, FindsWithinTheWindowOnly) {
  EventCorrelator correlator(10, minutes(10));
  EventCorrelator::TimePoint t0{};
  correlator.Remember("k", {.namespace_ = "ns", .name = "web.1", .count = 3, .last_seen = t0});
  auto found = correlator.Find("k", t0 + minutes(9));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "web.1");
  EXPECT_EQ(found->count, 3);
  EXPECT_FALSE(correlator.Find("k", t0 + minutes(10) + seconds(1)).has_value());
  EXPECT_EQ(correlator.size(), 0u) << "an expired entry is dropped";
  EXPECT_FALSE(correlator.Find("other", t0).has_value());
}

TEST(EventCorrelatorTest, EvictsTheLeastRecentlyUsed) {
  EventCorrelator correlator(2, minutes(10));
  EventCorrelator::TimePoint t0{};
  correlator.Remember("a", {.name = "a", .last_seen = t0});
  correlator.Remember("b", {.name = "b", .last_seen = t0});
  correlator.Remember("a", {.name = "a", .count = 2, .last_seen = t0});  // a is now the newest
  correlator.Remember("c", {.name = "c", .last_seen = t0});
  EXPECT_EQ(correlator.size(), 2u);
  EXPECT_TRUE(correlator.Find("a", t0).has_value());
  EXPECT_FALSE(correlator.Find("b", t0).has_value());
  EXPECT_TRUE(correlator.Find("c", t0).has_value());
  correlator.Forget("a");
  EXPECT_FALSE(correlator.Find("a", t0).has_value());
}

TEST(EventRecorderTest, NamesAndObjectsLikeClientGo) {
  EventCorrelator::TimePoint at{std::chrono::nanoseconds(0x17d2a0b1c3e4f567LL)};
  EXPECT_EQ(EventName("web", at), "web.17d2a0b1c3e4f567");
  EXPECT_EQ(EventName("x", EventCorrelator::TimePoint{std::chrono::nanoseconds(255)}),
            "x.00000000000000ff");

  auto request = Request("u1", "Issuing", "Issued the certificate");
  EXPECT_EQ(EventNamespace(request), "default");
  request.mutable_involved_object()->set_namespace_("prod");
  EXPECT_EQ(EventNamespace(request), "prod");
  auto event = NewEventObject(request, "web.abc", at);
  EXPECT_EQ(event["apiVersion"], "v1");
  EXPECT_EQ(event["kind"], "Event");
  EXPECT_EQ(event["metadata"]["name"], "web.abc");
  EXPECT_EQ(event["metadata"]["namespace"], "prod");
  EXPECT_EQ(event["involvedObject"]["kind"], "Certificate");
  EXPECT_EQ(event["involvedObject"]["uid"], "u1");
  EXPECT_EQ(event["involvedObject"]["namespace"], "prod");
  EXPECT_EQ(event["reason"], "Issuing");
  EXPECT_EQ(event["type"], "Normal");
  EXPECT_EQ(event["source"]["component"], "certforge");
  EXPECT_EQ(event["reportingComponent"], "certforge");
  EXPECT_EQ(event["count"], 1);
  EXPECT_EQ(event["firstTimestamp"], event["lastTimestamp"]);

  kube::v1::EventRequest cluster_scoped = Request("u2", "Ready", "ok");
  cluster_scoped.mutable_involved_object()->set_namespace_("");
  EXPECT_EQ(EventNamespace(cluster_scoped), "default");
  EXPECT_FALSE(NewEventObject(cluster_scoped, "n", at)["involvedObject"].contains("namespace"));
}

}  // namespace
}  // namespace certforge::k8sgw
