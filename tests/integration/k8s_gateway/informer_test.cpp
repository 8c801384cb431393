// The controllers' informer against a real gateway and local-apiserver: it lists what exists,
// follows every change, keeps its indexes and parsed copies in step, keeps only metadata when
// asked, and carries on across an API server restart.

#include "lib/kube/informer.h"

#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "tests/integration/k8s_gateway/gateway_harness.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using Type = kube::InformerEvent::Type;

json SecretWith(const std::string& name, const std::string& team, const std::string& value) {
  json secret = SecretObject("inf", name, {{"team", team}});
  secret["data"]["key"] = value;
  return secret;
}

class InformerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(harness_.StartApiServer().ok());
    ASSERT_TRUE(harness_.StartGateway().ok()) << harness_.Logs();
    ASSERT_TRUE(harness_.CreateNamespace("inf").ok());
  }

  std::unique_ptr<kube::Informer> Start(kube::Informer::Options options) {
    auto informer = std::make_unique<kube::Informer>(harness_.client(), options);
    informer->AddIndex("team", [](const json& s) {
      return std::vector<std::string>{
          s["metadata"].value("labels", json::object()).value("team", "")};
    });
    informer->AddHandler([this](const kube::InformerEvent& e) {
      std::lock_guard lock(mu_);
      events_.push_back({e.type, e.key});
    });
    informer->Start();
    EXPECT_TRUE(informer->WaitForSync(std::chrono::seconds(10))) << harness_.Logs();
    return informer;
  }

  // Waits a little: the informer stores a change (Get sees it) just before it tells handlers.
  bool Saw(Type type, const std::string& key) {
    return WaitFor([&] {
      std::lock_guard lock(mu_);
      for (const auto& [t, k] : events_) {
        if (t == type && k == key) return true;
      }
      return false;
    });
  }

  GatewayHarness harness_;
  std::mutex mu_;
  std::vector<std::pair<Type, std::string>> events_;
};

TEST_F(InformerTest, FollowsEveryChangeWithItsIndexesAndParsedCopies) {
  ASSERT_TRUE(harness_.client().Create(kSecrets, SecretWith("a", "x", "b25l")).ok());
  auto informer = Start({kSecrets, "inf"});
  auto a = informer->Get("inf/a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ((*a)["data"]["key"], "b25l");
  EXPECT_EQ(informer->Get("inf/a").get(), a.get()) << "a recently read object stays parsed";
  EXPECT_TRUE(Saw(Type::kAdded, "inf/a"));

  ASSERT_TRUE(harness_.client().Create(kSecrets, SecretWith("b", "x", "dHdv")).ok());
  ASSERT_TRUE(WaitFor([&] { return informer->Get("inf/b") != nullptr; }));
  EXPECT_EQ(informer->KeysByIndex("team", "x"), (std::vector<std::string>{"inf/a", "inf/b"}));

  json changed = *a;
  changed["data"]["key"] = "dGhyZWU=";
  changed["metadata"]["labels"]["team"] = "y";
  ASSERT_TRUE(harness_.client().Update(kSecrets, changed).ok());
  ASSERT_TRUE(WaitFor([&] { return (*informer->Get("inf/a"))["data"]["key"] == "dGhyZWU="; }))
      << "the parsed copy follows the update";
  EXPECT_TRUE(Saw(Type::kUpdated, "inf/a"));
  EXPECT_EQ(informer->KeysByIndex("team", "x"), std::vector<std::string>{"inf/b"});
  EXPECT_EQ(informer->KeysByIndex("team", "y"), std::vector<std::string>{"inf/a"});

  ASSERT_TRUE(harness_.client().Delete(kSecrets, "inf", "b").ok());
  ASSERT_TRUE(WaitFor([&] { return informer->Get("inf/b") == nullptr; }));
  EXPECT_TRUE(Saw(Type::kDeleted, "inf/b"));
  EXPECT_TRUE(informer->KeysByIndex("team", "x").empty());
  EXPECT_EQ(informer->size(), 1u);
  informer->Stop();
}

// An object changed again and again takes one place among the parsed copies, not one per change:
// it must not push the other recent objects out, nor its own newest copy.
TEST_F(InformerTest, AnObjectChangedOftenKeepsOnePlaceAmongTheParsedCopies) {
  ASSERT_TRUE(harness_.client().Create(kSecrets, SecretWith("a", "x", "b25l")).ok());
  ASSERT_TRUE(harness_.client().Create(kSecrets, SecretWith("b", "x", "dHdv")).ok());
  kube::Informer::Options options{kSecrets, "inf"};
  options.keep_parsed = 2;
  auto informer = Start(options);
  auto b = informer->Get("inf/b");
  ASSERT_NE(b, nullptr);
  for (const char* value : {"MQ==", "Mg==", "Mw==", "NA=="}) {
    json changed = *informer->Get("inf/a");
    changed["data"]["key"] = value;
    ASSERT_TRUE(harness_.client().Update(kSecrets, changed).ok());
    ASSERT_TRUE(WaitFor([&] { return (*informer->Get("inf/a"))["data"]["key"] == value; }));
  }
  auto a = informer->Get("inf/a");
  EXPECT_EQ(informer->Get("inf/a").get(), a.get()) << "the newest copy of a stays parsed";
  EXPECT_EQ(informer->Get("inf/b").get(), b.get()) << "b was not pushed out by a's changes";

  // A third object does push the oldest parsed copy out: b, parsed before a's changes.
  ASSERT_TRUE(harness_.client().Create(kSecrets, SecretWith("c", "x", "c2l4")).ok());
  ASSERT_TRUE(WaitFor([&] { return informer->Get("inf/c") != nullptr; }));
  EXPECT_EQ(informer->Get("inf/a").get(), a.get());
  EXPECT_NE(informer->Get("inf/b").get(), b.get());
  informer->Stop();
}

TEST_F(InformerTest, KeepsOnlyMetadataWhenAsked) {
  ASSERT_TRUE(harness_.client().Create(kSecrets, SecretWith("a", "x", "b25l")).ok());
  kube::Informer::Options options{kSecrets, "inf"};
  options.cache = kube::Informer::Cache::kMetadata;
  options.keep_parsed = 0;
  auto informer = Start(options);
  auto a = informer->Get("inf/a");
  ASSERT_NE(a, nullptr);
  EXPECT_FALSE(a->contains("data")) << a->dump();
  EXPECT_FALSE((*a)["metadata"].value("resourceVersion", "").empty());
  EXPECT_NE(informer->Get("inf/a").get(), a.get()) << "keep_parsed 0: parsed on each read";
  informer->Stop();
}

TEST_F(InformerTest, CarriesOnAcrossAnApiServerRestart) {
  auto informer = Start({kSecrets, "inf"});
  ASSERT_TRUE(harness_.apiserver().Restart().ok());
  ASSERT_TRUE(harness_.client().Create(kSecrets, SecretWith("c", "x", "b25l")).ok());
  EXPECT_TRUE(WaitFor([&] { return informer->Get("inf/c") != nullptr; }, std::chrono::seconds(30)))
      << harness_.Logs();
  informer->Stop();
}

}  // namespace
}  // namespace certforge::testing
