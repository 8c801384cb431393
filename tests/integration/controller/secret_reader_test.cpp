// The controller's Secret reader against a real gateway and local-apiserver: data follows each
// resourceVersion the informer reports, the informer is trusted for absence, and the
// controller's own writes and deletions count before the informer has seen them.

#include "services/controller/secret_reader.h"

#include <gtest/gtest.h>

#include "tests/integration/k8s_gateway/gateway_harness.h"
#include "tests/support/wait_for.h"

namespace certforge::controller {
namespace {

using nlohmann::json;
using testing::GatewayHarness;
using testing::kSecrets;
using testing::WaitFor;

class SecretReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(harness_.StartApiServer().ok());
    ASSERT_TRUE(harness_.StartGateway().ok()) << harness_.Logs();
    ASSERT_TRUE(harness_.CreateNamespace("sr").ok());
    // Only Secrets labelled watched=yes are known to the informer: the others stand for
    // Secrets it has not seen yet.
    kube::Informer::Options options{kSecrets, "sr"};
    options.label_selector = "watched=yes";
    options.cache = kube::Informer::Cache::kMetadata;
    informer_ = std::make_unique<kube::Informer>(harness_.client(), options);
    informer_->Start();
    ASSERT_TRUE(informer_->WaitForSync(std::chrono::seconds(10)));
    reader_ = std::make_unique<SecretReader>(harness_.client(), *informer_);
  }
  void TearDown() override {
    if (informer_) informer_->Stop();
  }

  json Secret(const std::string& name, bool watched, const std::string& value) {
    json secret = testing::SecretObject("sr", name, {{"watched", watched ? "yes" : "no"}});
    secret["data"]["key"] = value;
    return secret;
  }

  GatewayHarness harness_;
  std::unique_ptr<kube::Informer> informer_;
  std::unique_ptr<SecretReader> reader_;
};

TEST_F(SecretReaderTest, DataFollowsTheResourceVersion) {
  auto created = harness_.client().Create(kSecrets, Secret("a", true, "b25l"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(WaitFor([&] { return informer_->Get("sr/a") != nullptr; }));
  auto first = reader_->Get("sr", "a");
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_EQ((*first)["data"]["key"], "b25l");

  json changed = *created;
  changed["data"]["key"] = "dHdv";
  auto updated = harness_.client().Update(kSecrets, changed);
  ASSERT_TRUE(updated.ok());
  const std::string rv = testing::RvOf(*updated);
  ASSERT_TRUE(WaitFor([&] {
    auto meta = informer_->Get("sr/a");
    return meta && testing::RvOf(*meta) == rv;
  }));
  auto second = reader_->Get("sr", "a");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ((*second)["data"]["key"], "dHdv");
}

TEST_F(SecretReaderTest, TrustsTheInformerForAbsenceButNotForItsOwnWrites) {
  // Exists in the API, unknown to the informer: taken not to exist (its event would wake us).
  auto unseen = harness_.client().Create(kSecrets, Secret("unseen", false, "b25l"));
  ASSERT_TRUE(unseen.ok());
  auto missing = reader_->Get("sr", "unseen");
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(missing.status().message(), "secrets \"unseen\" not found");

  // Written by this controller: served before the informer knows it.
  reader_->Written(*unseen);
  auto own = reader_->Get("sr", "unseen");
  ASSERT_TRUE(own.ok()) << own.status();
  EXPECT_EQ((*own)["data"]["key"], "b25l");

  // Deleted by this controller: gone at once.
  reader_->Deleted("sr", "unseen");
  EXPECT_EQ(reader_->Get("sr", "unseen").status().code(), absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace certforge::controller
