// The watch protocol on the wire (curl -N): resuming from a resourceVersion, 410 Expired for a
// compacted one, resuming across a server restart, and the initial-events-end bookmark.

#include <sys/wait.h>

#include <sstream>

#include "tests/integration/local_apiserver/apiserver_test_base.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

struct Event {
  std::string type;
  std::string name;
  int64_t rv = 0;
  json object;
};

std::vector<Event> ParseEvents(const std::string& stream) {
  std::vector<Event> events;
  std::istringstream in(stream);
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    json e = json::parse(line, nullptr, false);
    if (e.is_discarded()) {
      ADD_FAILURE() << "not one JSON event per line: " << line;
      continue;
    }
    const json& meta = e["object"].value("metadata", json::object());
    events.push_back({e.value("type", ""), meta.value("name", ""),
                      std::stoll(meta.value("resourceVersion", "0")), e["object"]});
  }
  return events;
}

std::vector<std::pair<std::string, std::string>> TypesAndNames(const std::vector<Event>& events) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : events) out.emplace_back(e.type, e.name);
  return out;
}

class WatchProtocolTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer({"--watch-history", "5"}, false); }
  static void TearDownTestSuite() { StopSuiteServer(); }

  std::string Collection() { return "/api/v1/namespaces/" + Namespace() + "/configmaps"; }

  // Creates a ConfigMap; returns its resourceVersion.
  int64_t Create(const std::string& name) {
    auto r = Http("POST", Collection(),
                  R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name +
                      R"("},"data":{"a":"1"}})");
    EXPECT_EQ(r.code, 201) << r.body;
    return RvOf(r.body);
  }
  int64_t Update(const std::string& name, const std::string& value) {
    auto r = Http("PATCH", Collection() + "/" + name, R"({"data":{"a":")" + value + R"("}})",
                  "application/merge-patch+json");
    EXPECT_EQ(r.code, 200) << r.body;
    return RvOf(r.body);
  }
  static int64_t RvOf(const std::string& body) {
    json object = json::parse(body, nullptr, false);
    if (!object.is_object()) return 0;
    return std::stoll(object["metadata"].value("resourceVersion", "0"));
  }

  // A watch that the server ends after `timeout_seconds`: everything it sent.
  std::vector<Event> WatchFor(const std::string& query, int timeout_seconds = 1) {
    CommandResult r =
        server().Curl({"-N", server().server() + Collection() + "?watch=1&" + query +
                                 "&timeoutSeconds=" + std::to_string(timeout_seconds)});
    EXPECT_EQ(r.exit_code, 0) << r.Describe();
    return ParseEvents(r.out);
  }
};

TEST_F(WatchProtocolTest, ResumeDeliversExactlyTheLaterChanges) {
  Create("a");
  int64_t rv_b = Create("b");
  int64_t rv_a2 = Update("a", "2");
  int64_t rv_c = Create("c");
  auto deleted = Http("DELETE", Collection() + "/b");
  EXPECT_EQ(deleted.code, 200) << deleted.body;

  std::vector<Event> events = WatchFor("resourceVersion=" + std::to_string(rv_b));
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(TypesAndNames(events), (Pairs{{"MODIFIED", "a"}, {"ADDED", "c"}, {"DELETED", "b"}}));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].rv, rv_a2);
  EXPECT_EQ(events[0].object["data"]["a"], "2");
  EXPECT_EQ(events[1].rv, rv_c);
  EXPECT_GT(events[2].rv, rv_c);  // the deletion has its own revision
  EXPECT_EQ(events[0].object["kind"], "ConfigMap");
  EXPECT_EQ(events[0].object["apiVersion"], "v1");

  // From the newest revision there is nothing to send; from none, the current state.
  EXPECT_TRUE(WatchFor("resourceVersion=" + std::to_string(events[2].rv)).empty());
  EXPECT_EQ(TypesAndNames(WatchFor("")), (Pairs{{"ADDED", "a"}, {"ADDED", "c"}}));
  EXPECT_EQ(TypesAndNames(WatchFor("resourceVersion=0")), (Pairs{{"ADDED", "a"}, {"ADDED", "c"}}));
  // A field selector filters the resumed changes too.
  EXPECT_EQ(TypesAndNames(WatchFor("resourceVersion=" + std::to_string(rv_b) +
                                   "&fieldSelector=metadata.name%3Dc")),
            (Pairs{{"ADDED", "c"}}));

  auto bad = Http("GET", Collection() + "?watch=1&resourceVersion=abc");
  EXPECT_EQ(bad.code, 400) << bad.body;
}

TEST_F(WatchProtocolTest, CompactedResourceVersionGetsExpired) {
  int64_t old_rv = Create("before");
  // More than 1000 commits: the store compacts its history down to the last 5 changes.
  CommandResult bulk = server().Curl(
      {"-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
       R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"bulk-"}})", "-w",
       "\nHTTP:%{http_code}\n", server().server() + Collection() + "?n=[1-1010]"});
  ASSERT_EQ(bulk.exit_code, 0) << bulk.err;
  size_t created = 0;
  for (size_t pos = 0; (pos = bulk.out.find("HTTP:201", pos)) != std::string::npos; ++pos) {
    ++created;
  }
  ASSERT_EQ(created, 1010u) << bulk.out.substr(0, 2000);

  auto started = std::chrono::steady_clock::now();
  std::vector<Event> events = WatchFor("resourceVersion=" + std::to_string(old_rv), 30);
  EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10))
      << "the stream must end after the error";
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].type, "ERROR");
  const json& status = events[0].object;
  EXPECT_EQ(status["kind"], "Status");
  EXPECT_EQ(status["status"], "Failure");
  EXPECT_EQ(status["code"], 410);
  EXPECT_EQ(status["reason"], "Expired");
  EXPECT_EQ(status.value("message", "")
                .rfind("too old resource version: " + std::to_string(old_rv) + " (", 0),
            0u)
      << status.dump();

  // A recent resourceVersion is still in the history.
  int64_t list_rv = RvOf(Http("GET", Collection()).body);
  int64_t rv = Update("before", "new");
  std::vector<Event> recent = WatchFor("resourceVersion=" + std::to_string(list_rv));
  ASSERT_EQ(recent.size(), 1u);
  EXPECT_EQ(recent[0].type, "MODIFIED");
  EXPECT_EQ(recent[0].rv, rv);
}

TEST_F(WatchProtocolTest, ResumeAfterRestartGetsTheChangesSinceTheLastSeenVersion) {
  int64_t rv_x = Create("x");
  const std::string url =
      server().server() + Collection() + "?watch=1&resourceVersion=" + std::to_string(rv_x);
  ChildProcess watch({"curl", "-sS", "-N", "--cacert", server().ca_file(), "-H",
                      "Authorization: Bearer " + server().token(), url},
                     server().data_dir() + "/restart-watch.log");
  int64_t rv_y = Create("y");
  ASSERT_TRUE(
      WaitFor([&] { return ParseEvents(ReadFile(watch.log_file())).size() == 1; }, seconds(10)));
  EXPECT_EQ(ParseEvents(ReadFile(watch.log_file()))[0].rv, rv_y);
  int64_t last_seen = rv_y;
  Update("x", "before-kill");  // made before the kill, maybe never seen by the first watch

  server().Kill9();
  // The open watch does not survive: its connection ends with the server.
  auto ended = watch.Wait(seconds(10));
  ASSERT_TRUE(ended.has_value());
  auto restarted = server().Start();
  ASSERT_TRUE(restarted.ok()) << restarted.message();
  Create("z");

  std::vector<Event> events = WatchFor("resourceVersion=" + std::to_string(last_seen));
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(TypesAndNames(events), (Pairs{{"MODIFIED", "x"}, {"ADDED", "z"}}));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].object["data"]["a"], "before-kill");
  EXPECT_GT(events[1].rv, events[0].rv);
}

TEST_F(WatchProtocolTest, InitialEventsEndWithABookmark) {
  int64_t rv_a = Create("a");
  int64_t rv_b = Create("b");
  std::vector<Event> events =
      WatchFor("sendInitialEvents=true&allowWatchBookmarks=true&resourceVersionMatch=NotOlderThan");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].type, "ADDED");
  EXPECT_EQ(events[0].rv, rv_a);
  EXPECT_EQ(events[1].type, "ADDED");
  EXPECT_EQ(events[1].rv, rv_b);
  EXPECT_EQ(events[2].type, "BOOKMARK");
  EXPECT_GE(events[2].rv, rv_b);
  EXPECT_EQ(events[2].object["kind"], "ConfigMap");
  EXPECT_EQ(events[2].object["metadata"]["annotations"]["k8s.io/initial-events-end"], "true");

  // Without allowWatchBookmarks there is no bookmark at all.
  std::vector<Event> plain = WatchFor("");
  EXPECT_EQ(plain.size(), 2u);
  for (const auto& e : plain) EXPECT_NE(e.type, "BOOKMARK");
}

}  // namespace
}  // namespace certforge::testing
