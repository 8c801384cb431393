// The kubectl commands that watch: `get -w` shows changes as they happen, `wait` follows a
// condition (and its observedGeneration), and `delete` blocks on finalizers.

#include <sys/wait.h>

#include <regex>
#include <thread>

#include "tests/integration/local_apiserver/apiserver_test_base.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;
using WordLines = std::vector<std::vector<std::string>>;

std::string ReadyStatus(int observed_generation) {
  return R"({"status":{"conditions":[{"type":"Ready","status":"True","reason":"Ready",)"
         R"("message":"ok","observedGeneration":)" +
         std::to_string(observed_generation) + "}]}}";
}

// Drops the AGE word (it moves with time) from the lines of `get -w --show-labels`.
WordLines WithoutAge(WordLines lines) {
  for (auto& words : lines) {
    if (words.size() >= 2) words.erase(words.end() - 2);
  }
  return lines;
}

int ExitCode(std::optional<int> status) {
  return status && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1;
}

class WatchWaitTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer(); }
  static void TearDownTestSuite() { StopSuiteServer(); }
};

TEST_F(WatchWaitTest, GetWatchShowsLabelAndStatusChanges) {
  const std::string& ns = Namespace();
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "w1", "w1-tls"));
  auto watch =
      KubectlInBackground({"get", "certificates", "-n", ns, "-w", "--show-labels"}, "get-w.log");
  std::string log = watch->log_file();
  ASSERT_TRUE(WaitFor([&] { return Words(ReadFile(log)).size() >= 2; }, seconds(20)))
      << ReadFile(log);

  KubectlOk(InNs({"label", "certificate", "w1", "stage=two"}));
  ASSERT_TRUE(WaitFor([&] { return Words(ReadFile(log)).size() >= 3; }, seconds(20)))
      << ReadFile(log);
  KubectlOk(InNs({"patch", "certificate", "w1", "--subresource=status", "--type=merge", "-p",
                  ReadyStatus(1)}));
  ASSERT_TRUE(WaitFor([&] { return Words(ReadFile(log)).size() >= 4; }, seconds(20)))
      << ReadFile(log);
  // Nothing else happened to w1, so nothing else may be printed.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_TRUE(watch->Running()) << ReadFile(log);

  WordLines expected = {{"NAME", "READY", "SECRET", "LABELS"},
                        {"w1", "w1-tls", "<none>"},
                        {"w1", "w1-tls", "stage=two"},
                        {"w1", "True", "w1-tls", "stage=two"}};
  EXPECT_EQ(WithoutAge(Words(ReadFile(log))), expected) << ReadFile(log);

  // A new object shows up too.
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "w2", "w2-tls"));
  ASSERT_TRUE(WaitFor([&] { return Words(ReadFile(log)).size() >= 5; }, seconds(20)))
      << ReadFile(log);
  EXPECT_EQ(Words(ReadFile(log))[4][0], "w2");
}

TEST_F(WatchWaitTest, WaitForReadyFollowsStatusAndGeneration) {
  const std::string& ns = Namespace();
  KubectlOk({"apply", "-f", "-"}, CertificateYaml(ns, "ready", "ready-tls"));

  // Not ready yet: kubectl gives up at its timeout.
  CommandResult early =
      Kubectl(InNs({"wait", "--for=condition=Ready", "certificate/ready", "--timeout=2s"}));
  EXPECT_EQ(early.exit_code, 1) << early.Describe();
  EXPECT_EQ(early.err, "error: timed out waiting for the condition on certificates/ready\n");

  // A wait under way sees the status patch arrive.
  auto wait = KubectlInBackground(
      {"wait", "-n", ns, "--for=condition=Ready", "certificate/ready", "--timeout=20s"},
      "wait.log");
  std::this_thread::sleep_for(std::chrono::seconds(1));
  ASSERT_TRUE(wait->Running()) << ReadFile(wait->log_file());
  auto patched_at = std::chrono::steady_clock::now();
  KubectlOk(InNs({"patch", "certificate", "ready", "--subresource=status", "--type=merge", "-p",
                  ReadyStatus(1)}));
  EXPECT_EQ(ExitCode(wait->Wait(seconds(25))), 0) << ReadFile(wait->log_file());
  EXPECT_LT(std::chrono::steady_clock::now() - patched_at, seconds(10));
  EXPECT_EQ(ReadFile(wait->log_file()), "certificate.cert-manager.io/ready condition met\n");

  // A status write leaves generation alone; a spec change bumps it, and then a condition
  // observed at the old generation no longer counts.
  json before = GetJson(InNs({"certificate", "ready"}));
  EXPECT_EQ(before["metadata"]["generation"], 1);
  KubectlOk(InNs({"patch", "certificate", "ready", "--type=merge", "-p",
                  R"({"spec":{"dnsNames":["other.example.com"]}})"}));
  json after = GetJson(InNs({"certificate", "ready"}));
  EXPECT_EQ(after["metadata"]["generation"], 2);
  CommandResult stale =
      Kubectl(InNs({"wait", "--for=condition=Ready", "certificate/ready", "--timeout=2s"}));
  EXPECT_EQ(stale.exit_code, 1) << stale.Describe();
  KubectlOk(InNs({"patch", "certificate", "ready", "--subresource=status", "--type=merge", "-p",
                  ReadyStatus(2)}));
  EXPECT_EQ(
      KubectlOk(InNs({"wait", "--for=condition=Ready", "certificate/ready", "--timeout=20s"})),
      "certificate.cert-manager.io/ready condition met\n");

  CommandResult missing =
      Kubectl(InNs({"wait", "--for=condition=Ready", "certificate/nope", "--timeout=2s"}));
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_EQ(missing.err,
            "Error from server (NotFound): certificates.cert-manager.io \"nope\" not found\n");
}

TEST_F(WatchWaitTest, DeleteWaitsForFinalizers) {
  const std::string& ns = Namespace();
  std::string manifest = CertificateYaml(ns, "held", "held-tls");
  manifest.replace(manifest.find("  namespace:"), 0, "  finalizers: [example.com/hold]\n");
  KubectlOk({"apply", "-f", "-"}, manifest);

  auto del = KubectlInBackground({"delete", "-n", ns, "certificate", "held", "--timeout=60s"},
                                 "delete.log");
  json marked;
  ASSERT_TRUE(WaitFor(
      [&] {
        marked = GetJson(InNs({"certificate", "held"}));
        return marked.is_object() && marked["metadata"].contains("deletionTimestamp");
      },
      seconds(20)));
  EXPECT_EQ(marked["metadata"]["finalizers"], json::array({"example.com/hold"}));
  EXPECT_TRUE(std::regex_match(marked["metadata"].value("deletionTimestamp", ""),
                               std::regex("[0-9-]{10}T[0-9:]{8}Z")));

  // While deleting, a new finalizer is refused (422), whichever way it is added.
  CommandResult added = Kubectl(
      InNs({"patch", "certificate", "held", "--type=json", "-p",
            R"([{"op":"add","path":"/metadata/finalizers/-","value":"example.com/more"}])"}));
  EXPECT_EQ(added.exit_code, 1);
  EXPECT_EQ(added.err,
            "The Certificate \"held\" is invalid: metadata.finalizers: Forbidden: no new "
            "finalizers can be added if the object is being deleted, found new finalizers "
            "[]string{\"example.com/more\"}\n");
  auto http = Http("PATCH", "/apis/cert-manager.io/v1/namespaces/" + ns + "/certificates/held",
                   R"({"metadata":{"finalizers":["example.com/hold","example.com/more"]}})",
                   "application/merge-patch+json");
  EXPECT_EQ(http.code, 422) << http.body;
  EXPECT_EQ(json::parse(http.body, nullptr, false).value("reason", ""), "Invalid");

  // kubectl has said "deleted" but is still waiting for the object to go.
  std::this_thread::sleep_for(std::chrono::seconds(1));
  EXPECT_TRUE(del->Running()) << ReadFile(del->log_file());
  EXPECT_TRUE(GetJson(InNs({"certificate", "held"})).is_object());

  KubectlOk(InNs({"patch", "certificate", "held", "--type=merge", "-p",
                  R"({"metadata":{"finalizers":null}})"}));
  EXPECT_EQ(ExitCode(del->Wait(seconds(20))), 0) << ReadFile(del->log_file());
  EXPECT_EQ(ReadFile(del->log_file()), "certificate.cert-manager.io \"held\" deleted\n");
  CommandResult gone = Kubectl(InNs({"get", "certificate", "held"}));
  EXPECT_EQ(gone.exit_code, 1);
  EXPECT_EQ(gone.err,
            "Error from server (NotFound): certificates.cert-manager.io \"held\" not found\n");
}

}  // namespace
}  // namespace certforge::testing
