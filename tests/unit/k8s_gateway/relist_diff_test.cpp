#include "services/k8s-gateway/relist_diff.h"

#include <gtest/gtest.h>

namespace certforge::k8sgw {
namespace {

using Type = kube::v1::WatchEvent;

nlohmann::json Object(const std::string& ns, const std::string& name, const std::string& rv) {
  nlohmann::json metadata = {{"name", name}, {"resourceVersion", rv}};
  if (!ns.empty()) metadata["namespace"] = ns;
  return {{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", metadata}};
}

// As a list page holds it: JSON text.
std::string Obj(const std::string& ns, const std::string& name, const std::string& rv) {
  return Object(ns, name, rv).dump();
}

struct Summary {
  kube::v1::WatchEvent::Type type;
  std::string key;
  std::string rv;
  bool operator==(const Summary&) const = default;
};

std::vector<Summary> Summarize(const std::vector<kube::v1::WatchEvent>& events) {
  std::vector<Summary> out;
  for (const auto& event : events) {
    auto object = nlohmann::json::parse(event.object_json());
    out.push_back({event.type(), IndexKey(object), event.resource_version()});
  }
  return out;
}

TEST(RelistDiffTest, KeysAndVersions) {
  EXPECT_EQ(IndexKey(Object("ns", "a", "1")), "ns/a");
  EXPECT_EQ(IndexKey(Object("", "node", "1")), "/node");
  EXPECT_EQ(ResourceVersionOf(Object("ns", "a", "17")), "17");
  EXPECT_EQ(ResourceVersionOf(nlohmann::json::object()), "");
}

TEST(RelistDiffTest, FromNothingEverythingIsAdded) {
  DeliveredIndex next;
  auto events =
      RelistDiff({}, {Obj("ns", "a", "1"), Obj("ns", "b", "2")}, "5", "v1", "Secret", &next);
  EXPECT_EQ(Summarize(events),
            (std::vector<Summary>{{Type::ADDED, "ns/a", "1"}, {Type::ADDED, "ns/b", "2"}}));
  EXPECT_EQ(next, (DeliveredIndex{{"ns/a", "1"}, {"ns/b", "2"}}));
}

TEST(RelistDiffTest, SendsOnlyTheDifference) {
  DeliveredIndex delivered = {
      {"ns/same", "3"}, {"ns/changed", "4"}, {"ns/gone", "5"}, {"/cluster-gone", "6"}};
  std::vector<std::string> listed = {Obj("ns", "new", "9"), Obj("ns", "same", "3"),
                                     Obj("ns", "changed", "8")};
  DeliveredIndex next;
  auto events = RelistDiff(delivered, listed, "10", "v1", "Secret", &next);
  EXPECT_EQ(Summarize(events), (std::vector<Summary>{{Type::ADDED, "ns/new", "9"},
                                                     {Type::MODIFIED, "ns/changed", "8"},
                                                     {Type::DELETED, "/cluster-gone", "10"},
                                                     {Type::DELETED, "ns/gone", "10"}}));
  EXPECT_EQ(next, (DeliveredIndex{{"ns/new", "9"}, {"ns/same", "3"}, {"ns/changed", "8"}}));
}

TEST(RelistDiffTest, DeletedEventsCarryAMinimalObject) {
  auto events = RelistDiff({{"prod/web-tls", "7"}, {"/global", "3"}}, {}, "12",
                           "cert-manager.io/v1", "Certificate", nullptr);
  ASSERT_EQ(events.size(), 2u);
  auto global = nlohmann::json::parse(events[0].object_json());
  EXPECT_EQ(global,
            (nlohmann::json{{"apiVersion", "cert-manager.io/v1"},
                            {"kind", "Certificate"},
                            {"metadata", {{"name", "global"}, {"resourceVersion", "12"}}}}));
  auto web = nlohmann::json::parse(events[1].object_json());
  EXPECT_EQ(web["metadata"]["namespace"], "prod");
  EXPECT_EQ(web["metadata"]["name"], "web-tls");
  EXPECT_EQ(web["metadata"]["resourceVersion"], "12");
  EXPECT_EQ(events[1].type(), Type::DELETED);
}

TEST(RelistDiffTest, ListedObjectsAreRelayedAsTheirText) {
  std::string listed = R"({"apiVersion":"v1","kind":"Secret",)"
                       R"("metadata":{"name":"a","namespace":"ns","resourceVersion":"4"},)"
                       R"("data":{"tls.crt":"LS0t"},"type":"kubernetes.io/tls"})";
  auto events = RelistDiff({}, {listed}, "5", "v1", "Secret", nullptr);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].object_json(), listed);
  EXPECT_EQ(events[0].resource_version(), "4");
}

TEST(RelistDiffTest, NothingChangedMeansNoEvents) {
  DeliveredIndex delivered = {{"ns/a", "1"}};
  DeliveredIndex next;
  EXPECT_TRUE(RelistDiff(delivered, {Obj("ns", "a", "1")}, "3", "v1", "Secret", &next).empty());
  EXPECT_EQ(next, delivered);
}

}  // namespace
}  // namespace certforge::k8sgw
