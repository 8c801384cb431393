// Durability: kill -9 in the middle of a stream of writes loses no acknowledged write, and
// resourceVersions keep growing across the restart.

#include <atomic>
#include <mutex>
#include <thread>

#include "tests/integration/local_apiserver/apiserver_test_base.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

struct Acknowledged {
  std::string name;
  int64_t rv = 0;
};

class DurabilityTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer({}, /*apply_crds=*/false); }
  static void TearDownTestSuite() { StopSuiteServer(); }
};

TEST_F(DurabilityTest, KillNineLosesNoAcknowledgedWrite) {
  const std::string collection = "/api/v1/namespaces/" + Namespace() + "/configmaps";
  std::mutex mu;
  std::vector<Acknowledged> acked;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};

  // One write after another, as fast as curl goes; a write counts once its 201 came back.
  std::thread writer([&] {
    for (int i = 0; !stop; ++i) {
      std::string name = "cm-" + std::to_string(i);
      json body = {{"apiVersion", "v1"},
                   {"kind", "ConfigMap"},
                   {"metadata", {{"name", name}}},
                   {"data", {{"index", std::to_string(i)}}}};
      CommandResult r =
          server().Curl({"-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
                         body.dump(), "-w", "\n%{http_code}", server().server() + collection});
      auto nl = r.out.rfind('\n');
      if (r.exit_code == 0 && nl != std::string::npos && r.out.substr(nl + 1) == "201") {
        json created = json::parse(r.out.substr(0, nl), nullptr, false);
        std::lock_guard lock(mu);
        acked.push_back({name, std::stoll(created["metadata"].value("resourceVersion", "0"))});
      } else {
        ++failures;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
    }
  });
  bool enough = WaitFor(
      [&] {
        std::lock_guard lock(mu);
        return acked.size() >= 40;
      },
      seconds(60));
  server().Kill9();
  // Writes keep being attempted against the dead server for a moment: none may count.
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  stop = true;
  writer.join();
  ASSERT_TRUE(enough) << "writes were too slow: " << acked.size() << "\n" << LogTail();
  EXPECT_GT(failures.load(), 0) << "the kill did not interrupt the stream of writes";

  auto restarted = server().Start();
  ASSERT_TRUE(restarted.ok()) << restarted.message();

  int64_t max_rv = 0;
  for (size_t i = 0; i < acked.size(); ++i) {
    const Acknowledged& a = acked[i];
    if (i > 0) {
      EXPECT_GT(a.rv, acked[i - 1].rv) << a.name;
    }
    max_rv = std::max(max_rv, a.rv);
    auto got = Http("GET", collection + "/" + a.name);
    ASSERT_EQ(got.code, 200) << a.name << " was acknowledged (rv " << a.rv << ") and lost";
    json object = json::parse(got.body);
    EXPECT_EQ(object["metadata"]["resourceVersion"], std::to_string(a.rv)) << a.name;
    EXPECT_EQ(object["data"]["index"], a.name.substr(3));
  }
  // At most the one write in flight at the kill may exist beyond the acknowledged ones.
  json list = GetJson(InNs({"configmaps"}));
  size_t stored = list["items"].size();
  EXPECT_GE(stored, acked.size());
  EXPECT_LE(stored, acked.size() + 1);

  // New writes continue the sequence, whether by curl or by kubectl on the same kubeconfig.
  auto after = Http("POST", collection,
                    R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"after"}})");
  ASSERT_EQ(after.code, 201) << after.body;
  int64_t after_rv =
      std::stoll(json::parse(after.body)["metadata"]["resourceVersion"].get<std::string>());
  EXPECT_GT(after_rv, max_rv);
  KubectlOk(InNs({"create", "configmap", "after-kubectl", "--from-literal=a=b"}));
  json by_kubectl = GetJson(InNs({"configmap", "after-kubectl"}));
  EXPECT_GT(std::stoll(by_kubectl["metadata"]["resourceVersion"].get<std::string>()), after_rv);
  json listed = json::parse(Http("GET", collection).body, nullptr, false);
  EXPECT_GT(std::stoll(listed["metadata"].value("resourceVersion", "0")), after_rv);
}

}  // namespace
}  // namespace certforge::testing
