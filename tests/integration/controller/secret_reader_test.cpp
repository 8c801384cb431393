// The controller's Secret reader against a real gateway and local-apiserver: data follows each
// resourceVersion the informer reports, the informer is trusted for absence, and the
// controller's own writes and deletions count before the informer has seen them, and a read of a
// Secret the controller is writing waits for that write.

#include "services/controller/secret_reader.h"

#include <gtest/gtest.h>

#include <thread>

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
  EXPECT_EQ((**first)["data"]["key"], "b25l");

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
  EXPECT_EQ((**second)["data"]["key"], "dHdv");
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
  EXPECT_EQ((**own)["data"]["key"], "b25l");

  // Deleted by this controller: gone at once.
  reader_->Deleted("sr", "unseen");
  EXPECT_EQ(reader_->Get("sr", "unseen").status().code(), absl::StatusCode::kNotFound);
}

TEST_F(SecretReaderTest, ItsOwnDeletionCountsWhileTheInformerStillShowsTheSecret) {
  auto created = harness_.client().Create(kSecrets, Secret("gone", true, "b25l"));
  ASSERT_TRUE(created.ok());
  ASSERT_TRUE(WaitFor([&] { return informer_->Get("sr/gone") != nullptr; }));
  ASSERT_TRUE(reader_->Get("sr", "gone").ok());

  // Still in the API and in the informer: only this controller's word says it is gone, so a
  // NotFound here proves no live read was made.
  reader_->Deleted("sr", "gone");
  EXPECT_EQ(reader_->Get("sr", "gone").status().code(), absl::StatusCode::kNotFound);

  // A new version seen by the informer is a Secret made again: read live.
  json changed = *created;
  changed["data"]["key"] = "YWdhaW4=";
  auto updated = harness_.client().Update(kSecrets, changed);
  ASSERT_TRUE(updated.ok());
  const std::string rv = testing::RvOf(*updated);
  ASSERT_TRUE(WaitFor([&] {
    auto meta = informer_->Get("sr/gone");
    return meta && testing::RvOf(*meta) == rv;
  }));
  auto again = reader_->Get("sr", "gone");
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_EQ((**again)["data"]["key"], "YWdhaW4=");
}

TEST_F(SecretReaderTest, AReadDuringItsOwnWriteWaitsForTheWrite) {
  auto created = harness_.client().Create(kSecrets, Secret("busy", true, "b25l"));
  ASSERT_TRUE(created.ok());
  const std::string rv = testing::RvOf(*created);
  ASSERT_TRUE(WaitFor([&] { return informer_->Get("sr/busy") != nullptr; }));

  absl::StatusOr<std::shared_ptr<const json>> read = absl::UnknownError("not read");
  std::thread reader;
  {
    SecretReader::WriteInFlight in_flight(*reader_, "sr/busy");
    reader = std::thread([&] { read = reader_->Get("sr", "busy"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    // What the write returned, at the version the informer shows, differs from the API's data:
    // only a reader that waited for the write can see it.
    json written = *created;
    written["data"]["key"] = "d3JpdHRlbg==";
    reader_->Written(written);
  }
  reader.join();
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_EQ((**read)["data"]["key"], "d3JpdHRlbg==");
  EXPECT_EQ(testing::RvOf(**read), rv);
}

}  // namespace
}  // namespace certforge::controller
