// The gateway's Watch stream against a real local-apiserver, served by k8s-gateway and by
// local-apiserver's own process; across kill -9 and restarts of the API server (k8s-gateway).

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "tests/integration/k8s_gateway/gateway_harness.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using Event = kube::GatewayWatchEvent;
using Type = kube::v1::WatchEvent;
using PatchType = kube::v1::PatchRequest;

// Everything one watch delivered, safe to read while the watch runs.
class EventLog {
 public:
  bool Add(const Event& event) {
    std::lock_guard<std::mutex> lock(mu_);
    events_.push_back(event);
    return true;
  }
  std::vector<Event> Snapshot() {
    std::lock_guard<std::mutex> lock(mu_);
    return events_;
  }
  bool Has(Type::Type type, const std::string& name, const std::string& rv = "") {
    for (const Event& event : Snapshot()) {
      if (event.type == type && Name(event) == name && (rv.empty() || event.resource_version == rv))
        return true;
    }
    return false;
  }
  bool HasInitialEventsEnd() {
    for (const Event& event : Snapshot()) {
      if (event.type == Type::BOOKMARK && event.initial_events_end) return true;
    }
    return false;
  }
  static std::string Name(const Event& event) {
    return event.object.is_object() ? event.object["metadata"].value("name", "") : "";
  }
  std::string Describe() {
    std::string out;
    for (const Event& event : Snapshot()) {
      out += Type::Type_Name(event.type) + " " + Name(event) + " rv=" + event.resource_version +
             (event.initial_events_end ? " (initial events end)" : "") + "\n";
    }
    return out;
  }

 private:
  std::mutex mu_;
  std::vector<Event> events_;
};

class GatewayWatchTest : public ::testing::TestWithParam<GatewayAt> {
 protected:
  virtual std::vector<std::string> ApiServerArgs() const { return {}; }
  void SetUp() override {
    harness_ = std::make_unique<GatewayHarness>(ApiServerArgs(), GetParam());
    ASSERT_TRUE(harness().StartApiServer().ok()) << harness().Logs();
    ASSERT_TRUE(harness().StartGateway().ok()) << harness().Logs();
    ASSERT_TRUE(harness().CreateNamespace("watched").ok()) << harness().Logs();
  }
  void TearDown() override {
    canceller_.Cancel();
    if (watcher_.joinable()) watcher_.join();
  }
  kube::GatewayClient& client() { return harness_->client(); }

  void StartWatch(const kube::GatewayWatchOptions& options) {
    watcher_ = std::thread([this, options] {
      watch_status_ = client().Watch(
          kSecrets, "watched", options, [this](const Event& event) { return log_.Add(event); },
          &canceller_);
      watch_done_ = true;
    });
  }
  std::string Secret(const std::string& name) {
    auto created = client().Create(kSecrets, SecretObject("watched", name));
    EXPECT_TRUE(created.ok()) << created.status();
    return created.ok() ? RvOf(*created) : "";
  }
  std::string Touch(const std::string& name, const std::string& value) {
    auto patched = client().Patch(kSecrets, "watched", name, PatchType::MERGE,
                                  {{"metadata", {{"labels", {{"touched", value}}}}}});
    EXPECT_TRUE(patched.ok()) << patched.status();
    return patched.ok() ? RvOf(*patched) : "";
  }

  // Kill 9, wait until the gateway's reconnect backoff is at its cap, restart, change things
  // while the gateway is still disconnected; every change must arrive, once.
  // `noise_writes`: writes to other objects before the kill, enough to make local-apiserver
  // compact its history past what the gateway delivered last.
  void RestartScenario(int noise_writes = 0);

  GatewayHarness& harness() { return *harness_; }

  std::unique_ptr<GatewayHarness> harness_;
  EventLog log_;
  kube::GatewayClient::WatchCanceller canceller_;
  std::thread watcher_;
  absl::Status watch_status_;
  std::atomic<bool> watch_done_{false};
};

INSTANTIATE_TEST_SUITE_P(Both, GatewayWatchTest, EveryGatewayAt(), GatewayAtName);

// An API server that goes away and comes back: only a separate gateway outlives it.
class GatewayProcessWatchTest : public GatewayWatchTest {};
INSTANTIATE_TEST_SUITE_P(K8sGateway, GatewayProcessWatchTest,
                         ::testing::Values(GatewayAt::kGatewayProcess), GatewayAtName);

void GatewayWatchTest::RestartScenario(int noise_writes) {
  std::map<std::string, std::string> initial = {
      {"s1", Secret("s1")}, {"s2", Secret("s2")}, {"s3", Secret("s3")}};
  StartWatch({.list_first = true});
  ASSERT_TRUE(WaitFor([&] { return log_.HasInitialEventsEnd(); }))
      << log_.Describe() << harness().Logs();
  auto first = log_.Snapshot();
  ASSERT_EQ(first.size(), 4u) << log_.Describe();
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(first[i].type, Type::ADDED);
    EXPECT_EQ(first[i].resource_version, initial[EventLog::Name(first[i])]);
    EXPECT_EQ(first[i].object["kind"], "Secret");
  }

  std::string s1_rv = Touch("s1", "before-kill");
  ASSERT_TRUE(WaitFor([&] { return log_.Has(Type::MODIFIED, "s1", s1_rv); })) << log_.Describe();

  if (noise_writes > 0) {
    ASSERT_TRUE(harness().CreateNamespace("noise").ok());
    // In parallel, to keep the test short.
    constexpr int kWriters = 8;
    std::atomic<int> failures{0};
    std::vector<std::thread> writers;
    for (int w = 0; w < kWriters; ++w) {
      writers.emplace_back([&, w] {
        const kube::GroupVersionResource configmaps{"", "v1", "configmaps"};
        nlohmann::json map = {
            {"apiVersion", "v1"},
            {"kind", "ConfigMap"},
            {"metadata", {{"name", "noise-" + std::to_string(w)}, {"namespace", "noise"}}},
            {"data", {{"n", "0"}}}};
        if (!client().Create(configmaps, map).ok()) ++failures;
        for (int i = 1; i < noise_writes / kWriters; ++i) {
          auto patched = client().Patch(configmaps, "noise", "noise-" + std::to_string(w),
                                        PatchType::MERGE, {{"data", {{"n", std::to_string(i)}}}});
          if (!patched.ok()) ++failures;
        }
      });
    }
    for (auto& writer : writers) writer.join();
    ASSERT_EQ(failures.load(), 0) << harness().Logs();
  }
  harness().apiserver().Kill9();
  // Long enough for the gateway's reconnect backoff to reach its 5s cap, so the changes below
  // are made while its watch is disconnected.
  std::this_thread::sleep_for(std::chrono::seconds(7));
  ASSERT_TRUE(harness().apiserver().Start().ok()) << harness().Logs();
  auto deleted = client().Delete(kSecrets, "watched", "s2");
  ASSERT_TRUE(deleted.ok()) << deleted.status() << harness().Logs();
  std::string s4_rv = Secret("s4");
  std::string s3_rv = Touch("s3", "after-restart");
  std::string s5_rv = Secret("s5");

  EXPECT_TRUE(WaitFor([&] {
    return log_.Has(Type::DELETED, "s2") && log_.Has(Type::ADDED, "s4", s4_rv) &&
           log_.Has(Type::MODIFIED, "s3", s3_rv) && log_.Has(Type::ADDED, "s5", s5_rv);
  })) << log_.Describe()
      << harness().Logs();
  std::string s1_after = Touch("s1", "later");
  EXPECT_TRUE(WaitFor([&] { return log_.Has(Type::MODIFIED, "s1", s1_after); })) << log_.Describe();

  // Nothing delivered twice at the same resourceVersion.
  std::set<std::pair<std::string, std::string>> seen;
  std::map<std::string, std::string> view;  // what a client applying the events believes
  for (const Event& event : log_.Snapshot()) {
    if (event.type == Type::BOOKMARK) continue;
    std::string name = EventLog::Name(event);
    EXPECT_TRUE(seen.insert({name, event.resource_version}).second)
        << "twice: " << name << "@" << event.resource_version << "\n"
        << log_.Describe();
    if (event.type == Type::DELETED) {
      view.erase(name);
    } else {
      view[name] = event.resource_version;
    }
  }
  auto listed = client().List(kSecrets, "watched");
  ASSERT_TRUE(listed.ok()) << listed.status();
  std::map<std::string, std::string> truth;
  for (const auto& item : (*listed)["items"]) truth[item["metadata"]["name"]] = RvOf(item);
  EXPECT_EQ(view, truth) << log_.Describe();

  canceller_.Cancel();
  auto cancelled_at = std::chrono::steady_clock::now();
  watcher_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - cancelled_at, std::chrono::seconds(3));
  EXPECT_TRUE(watch_status_.ok()) << watch_status_;
}

int InitialEventsEnds(EventLog& log) {
  int count = 0;
  for (const Event& event : log.Snapshot()) count += event.initial_events_end ? 1 : 0;
  return count;
}

TEST_P(GatewayProcessWatchTest, ListFirstWatchSurvivesAKill9AndRestartOfTheApiServer) {
  RestartScenario();
  // local-apiserver kept its history across the restart: the gateway resumed, no relist.
  EXPECT_EQ(InitialEventsEnds(log_), 1) << log_.Describe();
}

// With almost no watch history the resume answers 410 Expired: the gateway relists and sends
// only the difference (the DELETE made while it was away arrives as DELETED).
class GatewayWatchCompactedTest : public GatewayWatchTest {
 protected:
  std::vector<std::string> ApiServerArgs() const override { return {"--watch-history", "2"}; }
};
INSTANTIATE_TEST_SUITE_P(K8sGateway, GatewayWatchCompactedTest,
                         ::testing::Values(GatewayAt::kGatewayProcess), GatewayAtName);

TEST_P(GatewayWatchCompactedTest, ExpiredResumeRelistsAndSendsTheDifference) {
  RestartScenario(/*noise_writes=*/1008);  // local-apiserver compacts every 1000 writes
  EXPECT_EQ(InitialEventsEnds(log_), 2) << log_.Describe() << harness().GatewayLog();
  for (const Event& event : log_.Snapshot()) {
    if (event.type == Type::DELETED && EventLog::Name(event) == "s2") {
      EXPECT_EQ(event.object["kind"], "Secret");
      EXPECT_EQ(event.object["apiVersion"], "v1");
      EXPECT_EQ(event.object["metadata"]["namespace"], "watched");
    }
  }
}

TEST_P(GatewayWatchTest, WatchFromAResourceVersionSeesOnlyLaterChanges) {
  Secret("old");
  auto listed = client().List(kSecrets, "watched");
  ASSERT_TRUE(listed.ok());
  std::string from = (*listed)["metadata"]["resourceVersion"];
  StartWatch({.resource_version = from});
  std::string rv = Secret("new");
  ASSERT_TRUE(WaitFor([&] { return log_.Has(Type::ADDED, "new", rv); })) << log_.Describe();
  EXPECT_FALSE(log_.Has(Type::ADDED, "old"));
  EXPECT_FALSE(log_.HasInitialEventsEnd());
}

TEST_P(GatewayWatchTest, WatchEndsWhenTheClientCancels) {
  StartWatch({.list_first = true});
  ASSERT_TRUE(WaitFor([&] { return log_.HasInitialEventsEnd(); })) << harness().Logs();
  auto start = std::chrono::steady_clock::now();
  canceller_.Cancel();
  watcher_.join();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  // The gateway dropped its side too: it still serves, and a new watch starts fine.
  EventLog second;
  kube::GatewayClient::WatchCanceller stop_second;
  std::thread again([&] {
    absl::Status ended = client().Watch(
        kSecrets, "watched", {.list_first = true},
        [&](const Event& event) { return second.Add(event); }, &stop_second);
    EXPECT_TRUE(ended.ok()) << ended;
  });
  EXPECT_TRUE(WaitFor([&] { return second.HasInitialEventsEnd(); }));
  stop_second.Cancel();
  again.join();
}

TEST_P(GatewayWatchTest, ShutdownEndsOpenWatches) {
  StartWatch({.list_first = true});
  ASSERT_TRUE(WaitFor([&] { return log_.HasInitialEventsEnd(); })) << harness().Logs();
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(harness().StopGateway(), 0) << harness().GatewayLog();
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_TRUE(WaitFor([&] { return watch_done_.load(); }, std::chrono::seconds(5)));
  EXPECT_EQ(watch_status_.code(), absl::StatusCode::kUnavailable) << watch_status_;
}

TEST_P(GatewayWatchTest, BadRequestsEndTheStreamWithTheError) {
  absl::Status status = client().Watch({"nonexistent.example.com", "v1", "things"}, "watched",
                                       {.list_first = true}, [](const Event&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kNotFound) << status;
  status = client().Watch({"", "", "secrets"}, "watched", {}, [](const Event&) { return true; });
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
}

}  // namespace
}  // namespace certforge::testing
