#include "services/local-apiserver/watch_stream.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

constexpr std::chrono::seconds kLive(10);  // a safety net: these streams end by hub shutdown
const std::function<bool()> kAlwaysWanted = [] { return true; };

class WatchStreamTest : public ::testing::Test {
 protected:
  WatchStreamTest() : env_(TestEnv::Options{/*watch_history=*/10}) {}

  void SetUp() override { env_.CreateNamespace("other"); }

  std::unique_ptr<WatchStream> Stream(WatchRequest request, const std::string& labels = "") {
    auto type = env_.Type("", "v1", "configmaps");
    auto filter = ObjectFilter::Create(*type, labels, "");
    EXPECT_TRUE(filter.ok()) << filter.status();
    auto stream = std::make_unique<WatchStream>(env_.store(), env_.hub(), type, std::move(*filter),
                                                std::move(request));
    auto started = stream->Start();
    EXPECT_TRUE(started.ok()) << started;
    return stream;
  }

  // Runs the stream until it ends (timeout, hub shutdown) and returns its events.
  // `after_event(n)` runs after the n-th event: changes made there arrive as live changes.
  static std::vector<json> Run(WatchStream& stream,
                               const std::function<void(size_t)>& after_event = nullptr) {
    std::vector<json> events;
    std::string pending;
    stream.Run(
        [&](std::string_view piece) {
          pending.append(piece);
          for (size_t nl; (nl = pending.find('\n')) != std::string::npos;) {
            events.push_back(json::parse(pending.substr(0, nl)));
            pending.erase(0, nl + 1);
            if (after_event) after_event(events.size());
          }
          return true;
        },
        kAlwaysWanted);
    EXPECT_TRUE(pending.empty()) << "unterminated event: " << pending;
    return events;
  }

  // "TYPE name" per event; "TYPE" alone for bookmarks and errors.
  static std::vector<std::string> Summary(const std::vector<json>& events) {
    std::vector<std::string> out;
    for (const auto& e : events) {
      std::string type = e["type"];
      std::string name = e["object"]["metadata"].value("name", "");
      out.push_back(name.empty() ? type : type + " " + name);
    }
    return out;
  }

  json Create(const std::string& ns, const std::string& name, const json& labels = nullptr) {
    json cm = ConfigMapBody(name);
    if (!labels.is_null()) cm["metadata"]["labels"] = labels;
    return env_.MustCreate(env_.Core("configmaps", ns), cm);
  }

  void Relabel(const std::string& ns, const std::string& name, const json& labels) {
    ASSERT_TRUE(env_.registry()
                    .Mutate(env_.Core("configmaps", ns, name),
                            [&](json& o) {
                              o["metadata"]["labels"] = labels;
                              return true;
                            })
                    .ok());
  }

  void Delete(const std::string& ns, const std::string& name) {
    ASSERT_TRUE(env_.registry().Delete(env_.Core("configmaps", ns, name), DeleteOptions{}).ok());
  }

  // A zero timeout ends the stream right after its starting state; live tests shut the hub
  // down to end it instead.
  static WatchRequest Request(const std::string& ns, const std::string& rv = "",
                              std::chrono::seconds timeout = std::chrono::seconds(0)) {
    WatchRequest request;
    request.ns = ns;
    request.resource_version = rv;
    request.timeout = timeout;
    return request;
  }

  TestEnv env_;
};

TEST_F(WatchStreamTest, StartsWithTheCurrentObjects) {
  Create("default", "b");
  Create("default", "a");
  Create("other", "c");
  for (const std::string rv : {"", "0"}) {
    auto stream = Stream(Request("default", rv));
    auto events = Run(*stream);
    EXPECT_EQ(Summary(events), (std::vector<std::string>{"ADDED a", "ADDED b"})) << rv;
    EXPECT_EQ(events[0]["object"]["kind"], "ConfigMap");
  }
  auto all = Stream(Request(""));
  EXPECT_EQ(Summary(Run(*all)), (std::vector<std::string>{"ADDED a", "ADDED b", "ADDED c"}));
}

TEST_F(WatchStreamTest, LiveChangesFollowTheInitialStateWithoutDuplicates) {
  Create("default", "before");
  auto stream = Stream(Request("default", "", kLive));
  // Committed after the subscription but before the initial list is read: sent once.
  Create("default", "raced");
  auto events = Run(*stream, [&](size_t n) {
    if (n != 2) return;  // the initial state is complete
    Create("default", "later");
    Relabel("default", "later", {{"x", "y"}});
    Create("other", "elsewhere");
    Delete("default", "before");
    env_.hub().Shutdown();
  });
  EXPECT_EQ(Summary(events), (std::vector<std::string>{"ADDED before", "ADDED raced", "ADDED later",
                                                       "MODIFIED later", "DELETED before"}));
  // Event objects carry their revision.
  EXPECT_EQ(events.back()["object"]["metadata"]["resourceVersion"],
            std::to_string(env_.store().revision()));
}

TEST_F(WatchStreamTest, ResumesFromAResourceVersion) {
  json a = Create("default", "a");
  std::string rv = a["metadata"]["resourceVersion"];
  Create("default", "b");
  Relabel("default", "a", {{"v", "2"}});
  Create("other", "c");
  Delete("default", "b");

  auto stream = Stream(Request("default", rv, kLive));
  Create("default", "live");
  env_.hub().Shutdown();
  EXPECT_EQ(Summary(Run(*stream)),
            (std::vector<std::string>{"ADDED b", "MODIFIED a", "DELETED b", "ADDED live"}));

  auto current = Stream(Request("", std::to_string(env_.store().revision())));
  EXPECT_TRUE(Run(*current).empty());
}

TEST_F(WatchStreamTest, MalformedResourceVersionIsBadRequest) {
  auto type = env_.Type("", "v1", "configmaps");
  for (const std::string rv : {"abc", "12x", "-5"}) {
    WatchStream stream(env_.store(), env_.hub(), type, *ObjectFilter::Create(*type, "", ""),
                       Request("", rv));
    auto s = stream.Start();
    EXPECT_EQ(HttpCode(s), 400) << rv;
    EXPECT_EQ(StatusBody(s)["message"], "invalid resource version: " + rv);
  }
}

TEST_F(WatchStreamTest, CompactedResourceVersionIsExpired) {
  // Compaction runs every 1000 changes and keeps watch_history (10) of them.
  std::vector<Mutation> batch;
  for (int64_t rv = env_.store().revision() + 1; batch.size() < 1000; ++rv) {
    ObjectRecord r{"leases.coordination.k8s.io", "default", "l", "uid", rv, "{}", "{}", false, 0};
    batch.push_back({ChangeType::kModified, r, {}});
  }
  ASSERT_TRUE(env_.store().Commit(batch).ok());
  int64_t compacted = env_.store().compacted_revision();
  ASSERT_GT(compacted, 1);

  auto stream = Stream(Request("default", "1"));
  auto events = Run(*stream);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0]["type"], "ERROR");
  const json& status = events[0]["object"];
  EXPECT_EQ(status["kind"], "Status");
  EXPECT_EQ(status["code"], 410);
  EXPECT_EQ(status["reason"], "Expired");
  EXPECT_EQ(status["message"],
            "too old resource version: 1 (" + std::to_string(compacted + 1) + ")");

  // The oldest revision still in history resumes.
  auto ok = Stream(Request("default", std::to_string(compacted)));
  EXPECT_TRUE(Run(*ok).empty());
}

TEST_F(WatchStreamTest, SelectorTransitionsBecomeAddedAndDeleted) {
  Create("default", "in", {{"app", "web"}});
  Create("default", "out", {{"app", "db"}});
  auto stream = Stream(Request("default", "", kLive), "app=web");
  auto events = Run(*stream, [&](size_t n) {
    if (n != 1) return;
    Relabel("default", "in", {{"app", "db"}});    // leaves the selection
    Relabel("default", "out", {{"app", "web"}});  // enters it
    Relabel("default", "out", {{"app", "web"}, {"v", "2"}});
    Relabel("default", "in", {{"app", "db"}, {"v", "2"}});  // invisible before and after
    Create("default", "new-web", {{"app", "web"}});
    Create("default", "new-db", {{"app", "db"}});
    Delete("default", "new-db");
    Delete("default", "out");
    env_.hub().Shutdown();
  });
  EXPECT_EQ(Summary(events),
            (std::vector<std::string>{"ADDED in", "DELETED in", "ADDED out", "MODIFIED out",
                                      "ADDED new-web", "DELETED out"}));
}

TEST_F(WatchStreamTest, SendInitialEventsEndsWithABookmark) {
  Create("default", "a");
  WatchRequest request = Request("default");
  request.send_initial_events = true;
  request.allow_bookmarks = true;
  auto stream = Stream(request);
  auto events = Run(*stream);
  ASSERT_EQ(Summary(events), (std::vector<std::string>{"ADDED a", "BOOKMARK"}));
  const json& bookmark = events[1]["object"];
  EXPECT_EQ(bookmark["kind"], "ConfigMap");
  EXPECT_EQ(bookmark["apiVersion"], "v1");
  EXPECT_EQ(bookmark["metadata"]["resourceVersion"], std::to_string(env_.store().revision()));
  EXPECT_EQ(bookmark["metadata"]["annotations"]["k8s.io/initial-events-end"], "true");

  // Without allowWatchBookmarks there is no bookmark.
  request.allow_bookmarks = false;
  EXPECT_EQ(Summary(Run(*Stream(request))), std::vector<std::string>{"ADDED a"});
}

TEST_F(WatchStreamTest, TableEvents) {
  Create("default", "a");
  WatchRequest request = Request("default");
  request.table = true;
  auto events = Run(*Stream(request));
  ASSERT_EQ(events.size(), 1u);
  const json& table = events[0]["object"];
  EXPECT_EQ(table["kind"], "Table");
  EXPECT_EQ(table["rows"][0]["cells"][0], "a");
  EXPECT_EQ(table["rows"][0]["object"]["kind"], "PartialObjectMetadata");
}

// Changes already queued when the stream wakes go out in one write (one chunk, one send).
TEST_F(WatchStreamTest, QueuedChangesGoOutInOneWrite) {
  auto stream = Stream(Request("default", std::to_string(env_.store().revision()), kLive));
  Create("default", "first");  // replayed from the store: the first write
  std::vector<std::string> writes;
  stream->Run(
      [&](std::string_view piece) {
        writes.emplace_back(piece);
        if (writes.size() == 1) {  // queued while the stream is busy writing
          Create("default", "a");
          Create("default", "b");
          Relabel("default", "a", {{"x", "y"}});
          env_.hub().Shutdown();
        }
        return true;
      },
      kAlwaysWanted);
  ASSERT_EQ(writes.size(), 2u);
  EXPECT_EQ(std::count(writes[1].begin(), writes[1].end(), '\n'), 3);
  EXPECT_EQ(json::parse(writes[1].substr(0, writes[1].find('\n')))["object"]["metadata"]["name"],
            "a");
}

TEST_F(WatchStreamTest, StopsWhenTheClientLeaves) {
  Create("default", "a");
  Create("default", "b");
  auto stream = Stream(Request("default"));
  int writes = 0;
  stream->Run([&](std::string_view) { return ++writes < 1; }, kAlwaysWanted);
  EXPECT_EQ(writes, 1);
}

// A client that stops wanting events while none flow (an in-process watcher cancelled) is let go
// within about a second, not kept until the watch's timeout.
TEST_F(WatchStreamTest, StopsWhenNoLongerWantedWhileIdle) {
  auto stream = Stream(Request("default", std::to_string(env_.store().revision()), kLive));
  int asked = 0;
  stream->Run([](std::string_view) { return true; }, [&] { return ++asked < 2; });
  EXPECT_EQ(asked, 2);  // asked once a second: the stream ended on the second answer
}

}  // namespace
}  // namespace certforge::apiserver
