// The controller's status writer against a real gateway and local-apiserver: a write starts
// from the newest copy the process knows, its own last write while the informer is behind it,
// and the informer's copy again once that has moved on.

#include "services/controller/status_writer.h"

#include <gtest/gtest.h>

#include "tests/integration/k8s_gateway/gateway_harness.h"
#include "tests/support/wait_for.h"

namespace certforge::controller {
namespace {

using nlohmann::json;
using testing::GatewayHarness;
using testing::kNamespaces;
using testing::RvOf;
using testing::WaitFor;

// Namespaces stand for any object with a status subresource.
class StatusWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(harness_.StartApiServer().ok());
    ASSERT_TRUE(harness_.StartGateway().ok()) << harness_.Logs();
    ASSERT_TRUE(harness_.CreateNamespace("sw").ok());
    informer_ =
        std::make_unique<kube::Informer>(harness_.client(), kube::Informer::Options{kNamespaces});
    informer_->Start();
    ASSERT_TRUE(informer_->WaitForSync(std::chrono::seconds(10)));
    ASSERT_TRUE(WaitFor([&] { return informer_->Get("sw") != nullptr; }));
    writer_ = std::make_unique<StatusWriter>(harness_.client());
    writer_->UseCache(kNamespaces, informer_.get());
  }
  void TearDown() override {
    if (informer_) informer_->Stop();
  }

  // Adds a condition of `type` (one writer per condition type, as the controllers do).
  absl::Status AddCondition(const std::string& type) {
    return writer_->Update(kNamespaces, "", "sw", [&](json& object) {
      object["status"]["conditions"].push_back(
          {{"type", type}, {"status", "True"}, {"reason", "Test"}, {"message", type}});
      return true;
    });
  }

  static std::vector<std::string> ConditionTypes(const json& object) {
    std::vector<std::string> types;
    for (const auto& c : object["status"].value("conditions", json::array())) {
      types.push_back(c.value("type", ""));
    }
    return types;
  }

  GatewayHarness harness_;
  std::unique_ptr<kube::Informer> informer_;
  std::unique_ptr<StatusWriter> writer_;
};

TEST_F(StatusWriterTest, StartsFromItsOwnWriteWhileTheInformerIsBehind) {
  const std::string before = RvOf(*informer_->Get("sw"));
  informer_->Stop();  // keeps its copies, sees no more changes

  ASSERT_TRUE(AddCondition("First").ok());
  EXPECT_EQ(RvOf(*informer_->Get("sw")), before);
  auto latest = writer_->Latest(kNamespaces, "sw");
  ASSERT_NE(latest, nullptr);
  EXPECT_NE(RvOf(*latest), before) << "our write, not the informer's stale copy";
  EXPECT_EQ(ConditionTypes(*latest), std::vector<std::string>{"First"});
  EXPECT_EQ(writer_->Latest(kNamespaces, "sw").get(), latest.get()) << "parsed once";

  ASSERT_TRUE(AddCondition("Second").ok());
  auto stored = harness_.client().Get(kNamespaces, "", "sw");
  ASSERT_TRUE(stored.ok()) << stored.status();
  EXPECT_EQ(ConditionTypes(*stored), (std::vector<std::string>{"First", "Second"}));
}

TEST_F(StatusWriterTest, TakesTheInformersCopyOnceItHasMovedOn) {
  ASSERT_TRUE(AddCondition("Ours").ok());
  auto ours = writer_->Latest(kNamespaces, "sw");
  ASSERT_NE(ours, nullptr);

  // Someone else writes after us; the informer sees it.
  json theirs = *ours;
  theirs["status"]["conditions"].push_back(
      {{"type", "Theirs"}, {"status", "True"}, {"reason", "Test"}, {"message", "x"}});
  auto foreign = harness_.client().UpdateStatus(kNamespaces, theirs);
  ASSERT_TRUE(foreign.ok()) << foreign.status();
  ASSERT_TRUE(WaitFor([&] { return RvOf(*informer_->Get("sw")) == RvOf(*foreign); }));

  auto latest = writer_->Latest(kNamespaces, "sw");
  ASSERT_NE(latest, nullptr);
  EXPECT_EQ(RvOf(*latest), RvOf(*foreign));
  ASSERT_TRUE(AddCondition("Next").ok());
  auto next = writer_->Latest(kNamespaces, "sw");
  ASSERT_NE(next, nullptr);
  EXPECT_EQ(ConditionTypes(*next), (std::vector<std::string>{"Ours", "Theirs", "Next"}));
}

TEST_F(StatusWriterTest, KnowsNothingTheInformerDoesNotHave) {
  EXPECT_EQ(writer_->Latest(kNamespaces, "absent"), nullptr);
  auto missing = writer_->Update(kNamespaces, "", "absent", [](json&) { return true; });
  EXPECT_EQ(missing.code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace certforge::controller
