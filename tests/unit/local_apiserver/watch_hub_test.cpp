#include "services/local-apiserver/watch_hub.h"

#include <gtest/gtest.h>

#include <thread>

namespace certforge::apiserver {
namespace {

using std::chrono::milliseconds;
using Wait = WatchSubscription::Wait;

WatchChange Change(int64_t rv, const std::string& resource, const std::string& ns,
                   ChangeType type = ChangeType::kAdded) {
  std::string name = "o";
  name += std::to_string(rv);  // not "o" + ...: g++ 12 warns falsely (-Wrestrict) on that
  auto object = std::make_shared<const nlohmann::json>(
      nlohmann::json{{"metadata", {{"name", name}, {"namespace", ns}}}});
  return WatchChange{rv, type,   resource,
                     ns, object, std::make_shared<const std::string>(object->dump())};
}

// The revisions waiting in a subscription's queue, without blocking.
std::vector<int64_t> Drain(WatchSubscription& sub) {
  std::vector<int64_t> out;
  WatchChange change;
  while (sub.Next(milliseconds(0), &change) == Wait::kChange) out.push_back(change.rv);
  return out;
}

TEST(WatchHubTest, FansOutByResourceAndNamespace) {
  WatchHub hub;
  auto secrets_a = hub.Subscribe("secrets", "a");
  auto secrets_all = hub.Subscribe("secrets", "");
  auto configmaps_all = hub.Subscribe("configmaps", "");
  auto namespaces = hub.Subscribe("namespaces", "");
  EXPECT_EQ(hub.watcher_count(), 4u);

  hub.Publish(Change(1, "secrets", "a"));
  hub.Publish(Change(2, "secrets", "b"));
  hub.Publish(Change(3, "configmaps", "a"));
  hub.Publish(Change(4, "namespaces", ""));

  EXPECT_EQ(Drain(*secrets_a), std::vector<int64_t>{1});
  EXPECT_EQ(Drain(*secrets_all), (std::vector<int64_t>{1, 2}));
  EXPECT_EQ(Drain(*configmaps_all), std::vector<int64_t>{3});
  EXPECT_EQ(Drain(*namespaces), std::vector<int64_t>{4});
}

TEST(WatchHubTest, DeliversTheSharedChange) {
  WatchHub hub;
  auto sub = hub.Subscribe("secrets", "");
  WatchChange published = Change(7, "secrets", "a", ChangeType::kModified);
  hub.Publish(published);
  WatchChange got;
  ASSERT_EQ(sub->Next(milliseconds(0), &got), Wait::kChange);
  EXPECT_EQ(got.rv, 7);
  EXPECT_EQ(got.type, ChangeType::kModified);
  EXPECT_EQ(got.resource, "secrets");
  EXPECT_EQ(got.ns, "a");
  EXPECT_EQ(got.object.get(), published.object.get());  // not copied per watcher
  EXPECT_EQ(*got.body, *published.body);
  EXPECT_EQ(sub->Next(milliseconds(1), &got), Wait::kTimeout);
}

TEST(WatchHubTest, OverflowClosesOnlyTheSlowSubscriber) {
  WatchHub hub(/*max_queue=*/2);
  auto slow = hub.Subscribe("secrets", "");
  auto fast = hub.Subscribe("secrets", "");
  for (int64_t rv = 1; rv <= 3; ++rv) {
    hub.Publish(Change(rv, "secrets", "a"));
    if (rv < 3) {
      EXPECT_EQ(Drain(*fast), std::vector<int64_t>{rv});
    }
  }
  EXPECT_EQ(Drain(*fast), std::vector<int64_t>{3});
  // The slow one lost its queue and is closed: it must re-watch from its last revision.
  WatchChange change;
  EXPECT_EQ(slow->Next(milliseconds(0), &change), Wait::kClosed);
  hub.Publish(Change(4, "secrets", "a"));
  EXPECT_EQ(slow->Next(milliseconds(0), &change), Wait::kClosed);
  EXPECT_EQ(Drain(*fast), std::vector<int64_t>{4});
}

TEST(WatchHubTest, ShutdownWakesWaitersAndClosesLaterSubscriptions) {
  WatchHub hub;
  auto sub = hub.Subscribe("secrets", "");
  hub.Publish(Change(1, "secrets", "a"));
  Wait first = Wait::kTimeout;
  Wait second = Wait::kTimeout;
  auto started = std::chrono::steady_clock::now();
  std::thread waiter([&] {
    WatchChange change;
    first = sub->Next(milliseconds(0), &change);
    second = sub->Next(std::chrono::seconds(20), &change);
  });
  std::this_thread::sleep_for(milliseconds(50));
  hub.Shutdown();
  waiter.join();
  EXPECT_EQ(first, Wait::kChange);
  EXPECT_EQ(second, Wait::kClosed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));

  auto late = hub.Subscribe("secrets", "");
  WatchChange change;
  EXPECT_EQ(late->Next(milliseconds(0), &change), Wait::kClosed);
  hub.Publish(Change(2, "secrets", "a"));
  EXPECT_EQ(late->Next(milliseconds(0), &change), Wait::kClosed);
}

TEST(WatchHubTest, QueuedChangesAreStillDeliveredAfterShutdown) {
  WatchHub hub;
  auto sub = hub.Subscribe("secrets", "");
  hub.Publish(Change(1, "secrets", "a"));
  hub.Publish(Change(2, "secrets", "a"));
  hub.Shutdown();
  EXPECT_EQ(Drain(*sub), (std::vector<int64_t>{1, 2}));
  WatchChange change;
  EXPECT_EQ(sub->Next(milliseconds(0), &change), Wait::kClosed);
}

TEST(WatchHubTest, QuietRevision) {
  WatchHub hub;
  hub.SetPublishedRevision(5);
  auto sub = hub.Subscribe("secrets", "a");
  EXPECT_EQ(sub->QuietRevision(), 5);
  hub.Publish(Change(6, "secrets", "a"));
  EXPECT_EQ(sub->QuietRevision(), 0);  // something waits: no safe bookmark yet
  EXPECT_EQ(Drain(*sub), std::vector<int64_t>{6});
  EXPECT_EQ(sub->QuietRevision(), 6);
  // Changes this watcher does not see still move its quiet revision forward.
  hub.Publish(Change(7, "configmaps", "a"));
  hub.Publish(Change(8, "secrets", "b"));
  EXPECT_EQ(sub->QuietRevision(), 8);
}

TEST(WatchHubTest, DestroyedSubscriptionsLeaveTheHub) {
  WatchHub hub;
  auto a = hub.Subscribe("secrets", "");
  {
    auto b = hub.Subscribe("secrets", "");
    EXPECT_EQ(hub.watcher_count(), 2u);
  }
  EXPECT_EQ(hub.watcher_count(), 1u);
  hub.Publish(Change(1, "secrets", "a"));  // must not touch the destroyed one
  EXPECT_EQ(Drain(*a), std::vector<int64_t>{1});
}

}  // namespace
}  // namespace certforge::apiserver
