// The gateway's unary rpcs against a real local-apiserver: CRUD, errors, events, outages; each
// served by k8s-gateway and by local-apiserver's own process, outages by k8s-gateway alone.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "tests/integration/k8s_gateway/gateway_harness.h"
#include "tests/support/run_command.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using ::testing::HasSubstr;
using PatchType = kube::v1::PatchRequest;

// A Normal event about the Secret `object` ("crud"), from a controller of cert-manager.
kube::v1::EventRequest EventAbout(const nlohmann::json& object, const std::string& reason,
                                  const std::string& message, const std::string& component) {
  kube::v1::EventRequest request;
  auto* involved = request.mutable_involved_object();
  involved->set_api_version("v1");
  involved->set_kind("Secret");
  involved->set_namespace_("crud");
  involved->set_name(object["metadata"].value("name", ""));
  involved->set_uid(object["metadata"].value("uid", ""));
  request.set_type("Normal");
  request.set_reason(reason);
  request.set_message(message);
  request.set_component(component);
  return request;
}

class GatewayCrudTest : public ::testing::TestWithParam<GatewayAt> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(harness_.StartApiServer().ok()) << harness_.Logs();
    ASSERT_TRUE(harness_.StartGateway().ok()) << harness_.Logs();
    ASSERT_TRUE(harness_.CreateNamespace("crud").ok()) << harness_.Logs();
  }
  kube::GatewayClient& client() { return harness_.client(); }

  GatewayHarness harness_{{}, GetParam()};
};

INSTANTIATE_TEST_SUITE_P(Both, GatewayCrudTest, EveryGatewayAt(), GatewayAtName);

// What only a separate gateway process has: a peer that can go away, and its own shutdown.
class GatewayProcessCrudTest : public GatewayCrudTest {};
INSTANTIATE_TEST_SUITE_P(K8sGateway, GatewayProcessCrudTest,
                         ::testing::Values(GatewayAt::kGatewayProcess), GatewayAtName);

TEST_P(GatewayCrudTest, SecretLifecycle) {
  auto created = client().Create(kSecrets, SecretObject("crud", "one", {{"app", "web"}}));
  ASSERT_TRUE(created.ok()) << created.status() << harness_.Logs();
  EXPECT_EQ((*created)["metadata"]["name"], "one");
  EXPECT_FALSE(RvOf(*created).empty());
  ASSERT_TRUE(client().Create(kSecrets, SecretObject("crud", "two", {{"app", "db"}})).ok());

  auto again = client().Create(kSecrets, SecretObject("crud", "one"));
  EXPECT_EQ(again.status().code(), absl::StatusCode::kAlreadyExists);
  ASSERT_TRUE(kube::KubeErrorFromStatus(again.status()).has_value());
  EXPECT_EQ(kube::KubeErrorFromStatus(again.status())->reason(), "AlreadyExists");

  auto got = client().Get(kSecrets, "crud", "one");
  ASSERT_TRUE(got.ok()) << got.status();
  EXPECT_EQ((*got)["data"]["key"], "dmFsdWU=");
  EXPECT_EQ(RvOf(*got), RvOf(*created));

  auto listed = client().List(kSecrets, "crud", {.label_selector = "app=web"});
  ASSERT_TRUE(listed.ok()) << listed.status();
  ASSERT_EQ((*listed)["items"].size(), 1u) << listed->dump();
  EXPECT_EQ((*listed)["items"][0]["metadata"]["name"], "one");
  EXPECT_EQ((*listed)["items"][0]["kind"], "Secret");
  EXPECT_FALSE((*listed)["metadata"]["resourceVersion"].get<std::string>().empty());
  auto all = client().List(kSecrets, "crud");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ((*all)["items"].size(), 2u);

  nlohmann::json updated = *got;
  updated["data"]["key"] = "bmV3";
  auto put = client().Update(kSecrets, updated);
  ASSERT_TRUE(put.ok()) << put.status();
  EXPECT_NE(RvOf(*put), RvOf(*got));
  // The same body again carries the old resourceVersion: a conflict, not AlreadyExists.
  auto stale = client().Update(kSecrets, updated);
  EXPECT_EQ(stale.status().code(), absl::StatusCode::kAborted) << stale.status();
  ASSERT_TRUE(kube::KubeErrorFromStatus(stale.status()).has_value());
  EXPECT_EQ(kube::KubeErrorFromStatus(stale.status())->reason(), "Conflict");
  EXPECT_EQ(kube::KubeErrorFromStatus(stale.status())->http_code(), 409);

  auto merged = client().Patch(kSecrets, "crud", "one", PatchType::MERGE,
                               {{"metadata", {{"labels", {{"tier", "front"}}}}}});
  ASSERT_TRUE(merged.ok()) << merged.status();
  EXPECT_EQ((*merged)["metadata"]["labels"]["tier"], "front");
  EXPECT_EQ((*merged)["metadata"]["labels"]["app"], "web");
  auto json_patched = client().Patch(
      kSecrets, "crud", "one", PatchType::JSON,
      nlohmann::json::array(
          {{{"op", "add"}, {"path", "/metadata/annotations"}, {"value", {{"note", "hi"}}}}}));
  ASSERT_TRUE(json_patched.ok()) << json_patched.status();
  EXPECT_EQ((*json_patched)["metadata"]["annotations"]["note"], "hi");
  EXPECT_EQ((*json_patched)["data"]["key"], "bmV3");

  auto deleted = client().Delete(kSecrets, "crud", "one");
  ASSERT_TRUE(deleted.ok()) << deleted.status();
  EXPECT_TRUE(deleted->is_null()) << deleted->dump();
  auto gone = client().Get(kSecrets, "crud", "one");
  EXPECT_EQ(gone.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(kube::KubeErrorFromStatus(gone.status())->reason(), "NotFound");
  EXPECT_EQ(client().Delete(kSecrets, "crud", "one").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(GatewayCrudTest, DeleteHonoursFinalizersAndPreconditions) {
  nlohmann::json secret = SecretObject("crud", "held");
  secret["metadata"]["finalizers"] = {"certforge.io/test"};
  auto created = client().Create(kSecrets, secret);
  ASSERT_TRUE(created.ok()) << created.status();

  auto wrong_uid = client().Delete(kSecrets, "crud", "held", {.precondition_uid = "not-the-uid"});
  EXPECT_EQ(wrong_uid.status().code(), absl::StatusCode::kAborted) << wrong_uid.status();

  auto pending = client().Delete(kSecrets, "crud", "held",
                                 {.precondition_uid = (*created)["metadata"]["uid"],
                                  .propagation = kube::v1::DeleteRequest::FOREGROUND});
  ASSERT_TRUE(pending.ok()) << pending.status();
  ASSERT_TRUE(pending->is_object()) << "the object is still there while finalizers hold it";
  EXPECT_TRUE((*pending)["metadata"].contains("deletionTimestamp")) << pending->dump();

  ASSERT_TRUE(client()
                  .Patch(kSecrets, "crud", "held", PatchType::MERGE,
                         {{"metadata", {{"finalizers", nullptr}}}})
                  .ok());
  EXPECT_TRUE(WaitFor([&] {
    return client().Get(kSecrets, "crud", "held").status().code() == absl::StatusCode::kNotFound;
  }));
}

TEST_P(GatewayCrudTest, DryRunChangesNothing) {
  auto dry = client().Create(kSecrets, SecretObject("crud", "dry"), {.dry_run = true});
  ASSERT_TRUE(dry.ok()) << dry.status();
  EXPECT_EQ(client().Get(kSecrets, "crud", "dry").status().code(), absl::StatusCode::kNotFound);
}

TEST_P(GatewayCrudTest, ListPaginatesTransparently) {
  for (int i = 0; i < 7; ++i) {
    ASSERT_TRUE(client().Create(kSecrets, SecretObject("crud", "page-" + std::to_string(i))).ok());
  }
  kube::GatewayClient small_pages(kube::GatewayClient::Connect(harness_.address()),
                                  {.page_size = 3});
  // One raw page: the gateway passes limit and continue through.
  auto stub = kube::v1::KubeGateway::NewStub(kube::GatewayClient::Connect(harness_.address()));
  kube::v1::ListRequest request;
  request.mutable_resource()->set_version("v1");
  request.mutable_resource()->set_resource("secrets");
  request.set_namespace_("crud");
  request.set_limit(3);
  grpc::ClientContext context;
  kube::v1::ListResponse page;
  ASSERT_TRUE(stub->List(&context, request, &page).ok());
  EXPECT_EQ(page.items_size(), 3);
  EXPECT_FALSE(page.continue_token().empty());
  EXPECT_FALSE(page.resource_version().empty());

  auto listed = small_pages.List(kSecrets, "crud");
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::set<std::string> names;
  for (const auto& item : (*listed)["items"]) names.insert(item["metadata"]["name"]);
  EXPECT_EQ(names.size(), 7u);
}

TEST_P(GatewayCrudTest, InvalidCustomResourceCarriesTheFieldCause) {
  nlohmann::json crd = {
      {"apiVersion", "apiextensions.k8s.io/v1"},
      {"kind", "CustomResourceDefinition"},
      {"metadata", {{"name", "widgets.test.certforge.io"}}},
      {"spec",
       {{"group", "test.certforge.io"},
        {"scope", "Namespaced"},
        {"names",
         {{"plural", "widgets"},
          {"singular", "widget"},
          {"kind", "Widget"},
          {"listKind", "WidgetList"}}},
        {"versions",
         nlohmann::json::array(
             {{{"name", "v1"},
               {"served", true},
               {"storage", true},
               {"schema",
                {{"openAPIV3Schema",
                  {{"type", "object"},
                   {"properties",
                    {{"spec",
                      {{"type", "object"},
                       {"required", {"color"}},
                       {"properties",
                        {{"color", {{"type", "string"}}},
                         {"replicas", {{"type", "integer"}, {"minimum", 1}}}}}}}}}}}}}}})}}}};
  auto created = client().Create(kCrds, crd);
  ASSERT_TRUE(created.ok()) << created.status() << harness_.Logs();
  const kube::GroupVersionResource widgets{"test.certforge.io", "v1", "widgets"};
  ASSERT_TRUE(WaitFor([&] { return client().List(widgets, "crud").ok(); })) << harness_.Logs();

  auto bad = client().Create(widgets, {{"apiVersion", "test.certforge.io/v1"},
                                       {"kind", "Widget"},
                                       {"metadata", {{"name", "w1"}, {"namespace", "crud"}}},
                                       {"spec", {{"color", "red"}, {"replicas", "three"}}}});
  ASSERT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << bad.status();
  auto error = kube::KubeErrorFromStatus(bad.status());
  ASSERT_TRUE(error.has_value());
  EXPECT_EQ(error->http_code(), 422);
  EXPECT_EQ(error->reason(), "Invalid");
  ASSERT_GE(error->causes_size(), 1);
  EXPECT_THAT(error->causes(0).field(), HasSubstr("spec.replicas"));

  auto missing = client().Create(widgets, {{"apiVersion", "test.certforge.io/v1"},
                                           {"kind", "Widget"},
                                           {"metadata", {{"name", "w2"}, {"namespace", "crud"}}},
                                           {"spec", {{"replicas", 2}}}});
  ASSERT_EQ(missing.status().code(), absl::StatusCode::kInvalidArgument);
  auto missing_error = kube::KubeErrorFromStatus(missing.status());
  ASSERT_TRUE(missing_error.has_value());
  ASSERT_GE(missing_error->causes_size(), 1);
  EXPECT_THAT(missing_error->causes(0).field(), HasSubstr("spec.color"));
  EXPECT_EQ(missing_error->causes(0).reason(), "FieldValueRequired");

  auto good = client().Create(widgets, {{"apiVersion", "test.certforge.io/v1"},
                                        {"kind", "Widget"},
                                        {"metadata", {{"name", "w3"}, {"namespace", "crud"}}},
                                        {"spec", {{"color", "blue"}, {"replicas", 2}}}});
  ASSERT_TRUE(good.ok()) << good.status();
  // Strategic merge patch does not apply to custom resources.
  auto smp =
      client().Patch(widgets, "crud", "w3", PatchType::STRATEGIC, {{"spec", {{"replicas", 3}}}});
  EXPECT_EQ(smp.status().code(), absl::StatusCode::kFailedPrecondition) << smp.status();
  // Server-side apply needs a field manager; with one it works.
  auto apply = client().Patch(widgets, "crud", "w3", PatchType::APPLY,
                              {{"apiVersion", "test.certforge.io/v1"},
                               {"kind", "Widget"},
                               {"metadata", {{"name", "w3"}, {"namespace", "crud"}}},
                               {"spec", {{"color", "green"}}}},
                              {.field_manager = "certforge-test", .force = true});
  ASSERT_TRUE(apply.ok()) << apply.status();
  EXPECT_EQ((*apply)["spec"]["color"], "green");
  EXPECT_EQ(client()
                .Patch(widgets, "crud", "w3", PatchType::APPLY, {{"spec", {{"color", "x"}}}})
                .status()
                .code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_P(GatewayCrudTest, RepeatedEventIsCountedOnce) {
  auto secret = client().Create(kSecrets, SecretObject("crud", "evented"));
  ASSERT_TRUE(secret.ok()) << secret.status();
  std::string uid = (*secret)["metadata"]["uid"];
  kube::v1::EventRequest request =
      EventAbout(*secret, "Issuing", "Issued the certificate", "cert-manager-certificates-issuing");

  auto first = client().RecordEvent(request);
  ASSERT_TRUE(first.ok()) << first.status() << harness_.Logs();
  EXPECT_EQ(first->count(), 1);
  EXPECT_THAT(first->name(), ::testing::StartsWith("evented."));
  auto second = client().RecordEvent(request);
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_EQ(second->name(), first->name());
  EXPECT_EQ(second->count(), 2);

  auto result = harness_.apiserver().Kubectl({"get", "events", "-n", "crud", "-o", "json"});
  ASSERT_EQ(result.exit_code, 0) << result.Describe();
  auto events = nlohmann::json::parse(result.out);
  int matching = 0;
  for (const auto& event : events["items"]) {
    if (event["involvedObject"].value("uid", "") != uid) continue;
    ++matching;
    EXPECT_EQ(event["count"], 2) << event.dump();
    EXPECT_EQ(event["reason"], "Issuing");
    EXPECT_EQ(event["source"]["component"], "cert-manager-certificates-issuing");
    EXPECT_EQ(event["metadata"]["name"], first->name());
  }
  EXPECT_EQ(matching, 1) << result.out;

  request.set_message("Something else");
  auto other = client().RecordEvent(request);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(other->name(), first->name());
  EXPECT_EQ(other->count(), 1);
}

// A batch records each event as RecordEvent would, and one bad event does not stop the others.
TEST_P(GatewayCrudTest, EventBatchRecordsEachEvent) {
  auto secret = client().Create(kSecrets, SecretObject("crud", "batched"));
  ASSERT_TRUE(secret.ok()) << secret.status();
  kube::v1::EventRequest request =
      EventAbout(*secret, "Generated", "Stored new private key in temporary Secret",
                 "cert-manager-certificates-key-manager");

  kube::v1::EventBatch batch;
  *batch.add_events() = request;
  kube::v1::EventRequest nowhere = request;  // its namespace does not exist: refused
  nowhere.mutable_involved_object()->set_namespace_("no-such-namespace");
  *batch.add_events() = nowhere;
  *batch.add_events() = request;  // a repeat: counted on the first
  request.set_reason("Requested");
  *batch.add_events() = request;

  auto recorded = client().RecordEvents(batch);
  ASSERT_TRUE(recorded.ok()) << recorded.status() << harness_.Logs();
  EXPECT_EQ(recorded->failed(), 1);
  ASSERT_EQ(recorded->recorded_size(), 3);
  EXPECT_EQ(recorded->recorded(0).count(), 1);
  EXPECT_EQ(recorded->recorded(1).name(), recorded->recorded(0).name());
  EXPECT_EQ(recorded->recorded(1).count(), 2);
  EXPECT_NE(recorded->recorded(2).name(), recorded->recorded(0).name());

  auto result = harness_.apiserver().Kubectl(
      {"get", "events", "-n", "crud", "--field-selector", "involvedObject.name=batched", "-o",
       "jsonpath={range .items[*]}{.reason}={.count} {end}"});
  ASSERT_EQ(result.exit_code, 0) << result.Describe();
  EXPECT_THAT(result.out, HasSubstr("Generated=2"));
  EXPECT_THAT(result.out, HasSubstr("Requested=1"));
}

TEST_P(GatewayProcessCrudTest, UnavailableWhileTheApiServerIsDown) {
  auto version = client().ServerVersion();
  ASSERT_TRUE(version.ok()) << version.status();
  EXPECT_THAT(version->git_version(), ::testing::StartsWith("v1."));
  EXPECT_EQ(version->server(), harness_.apiserver().server());
  std::string readyz = "http://127.0.0.1:" + std::to_string(harness_.healthz_port()) + "/readyz";
  EXPECT_EQ(RunCommand({"curl", "-sS", readyz}).out, "ok");

  harness_.apiserver().Kill9();
  auto down = client().Get(kSecrets, "crud", "anything");
  EXPECT_EQ(down.status().code(), absl::StatusCode::kUnavailable) << down.status();
  EXPECT_EQ(client().ServerVersion().status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(client().Create(kSecrets, SecretObject("crud", "x")).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_TRUE(WaitFor(
      [&] {
        return RunCommand({"curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", readyz}).out ==
               "503";
      },
      std::chrono::seconds(30), std::chrono::milliseconds(500)));
  EXPECT_EQ(RunCommand({"curl", "-sS",
                        "http://127.0.0.1:" + std::to_string(harness_.healthz_port()) + "/healthz"})
                .out,
            "ok");

  ASSERT_TRUE(harness_.apiserver().Start().ok()) << harness_.Logs();
  EXPECT_TRUE(WaitFor([&] { return client().Get(kNamespaces, "", "crud").ok(); }))
      << harness_.Logs();
  EXPECT_EQ(RunCommand({"curl", "-sS", readyz}).out, "ok");
}

// Served by local-apiserver, on the Unix socket the standalone stack's controller dials.
class GatewayInApiServerCrudTest : public GatewayCrudTest {};
INSTANTIATE_TEST_SUITE_P(InLocalApiServer, GatewayInApiServerCrudTest,
                         ::testing::Values(GatewayAt::kApiServerProcess), GatewayAtName);

TEST_P(GatewayInApiServerCrudTest, SocketIsTheOwnersAlone) {
  struct stat info {};
  ASSERT_EQ(stat(harness_.address().substr(5).c_str(), &info), 0) << harness_.address();
  EXPECT_TRUE(S_ISSOCK(info.st_mode));
  EXPECT_EQ(info.st_mode & 0777, 0600u);
}

TEST_P(GatewayProcessCrudTest, StopsCleanlyOnSigterm) {
  EXPECT_EQ(harness_.StopGateway(), 0) << harness_.GatewayLog();
  EXPECT_THAT(harness_.GatewayLog(), HasSubstr("stopped"));
}

}  // namespace
}  // namespace certforge::testing
