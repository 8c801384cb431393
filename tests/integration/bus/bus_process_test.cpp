// The bus across real processes: workers survive a broker killed with SIGKILL and restarted on
// the same endpoint; a killed worker's job finishes elsewhere and a restarted worker comes back.

#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/bus/broker.h"
#include "tests/support/child_process.h"
#include "tests/support/local_apiserver_process.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace certforge::bus {
namespace {

using certforge::testing::BinDir;
using certforge::testing::ChildProcess;
using certforge::testing::ReadFile;
using certforge::testing::TempDir;
using certforge::testing::WaitFor;
using certforge::testing::WriteFile;
using std::chrono::milliseconds;
using std::chrono::seconds;

std::vector<std::string> Lines(const std::string& path) {
  std::vector<std::string> lines;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

// The pid a bus-test-worker put in front of an "echo" result line's payload.
std::string PidOf(const std::string& result_line) {
  auto payload = result_line.substr(result_line.rfind(' ') + 1);
  return payload.substr(0, payload.find(':'));
}

class BusProcessTest : public ::testing::Test {
 protected:
  BusProcessTest() : dir_("bus-it") {}

  std::unique_ptr<ChildProcess> StartWorker(const std::string& endpoint, const std::string& name,
                                            std::vector<std::string> extra = {}) {
    std::vector<std::string> argv = {BinDir() + "/bus-test-worker",
                                     "--endpoint",
                                     endpoint,
                                     "--service",
                                     "echo",
                                     "--heartbeat-ms",
                                     "100"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    return std::make_unique<ChildProcess>(argv, dir_.File(name + ".log"));
  }
  std::unique_ptr<ChildProcess> StartBroker(const std::string& endpoint, const std::string& name,
                                            int jobs) {
    std::filesystem::remove(dir_.File(name + ".endpoint"));
    return std::make_unique<ChildProcess>(
        std::vector<std::string>{BinDir() + "/bus-test-broker", "--endpoint", endpoint,
                                 "--endpoint-file", dir_.File(name + ".endpoint"), "--heartbeat-ms",
                                 "100", "--jobs", std::to_string(jobs), "--min-workers", "2",
                                 "--job-prefix", name, "--results-file",
                                 dir_.File(name + ".results")},
        dir_.File(name + ".log"));
  }
  std::string WaitForEndpoint(ChildProcess& broker, const std::string& name) {
    std::string file = dir_.File(name + ".endpoint");
    EXPECT_TRUE(WaitFor([&] { return std::filesystem::exists(file) || !broker.Running(); }))
        << broker.LogTail();
    return std::filesystem::exists(file) ? ReadFile(file) : "";
  }
  static BrokerOptions FastBroker() {
    BrokerOptions options;
    options.endpoint = "tcp://127.0.0.1:0";
    options.heartbeat_interval = milliseconds(100);
    return options;
  }

  TempDir dir_;
};

TEST_F(BusProcessTest, WorkersComeBackToABrokerKilledAndRestartedOnTheSameEndpoint) {
  auto broker = StartBroker("tcp://127.0.0.1:0", "first", 20);
  std::string endpoint = WaitForEndpoint(*broker, "first");
  ASSERT_FALSE(endpoint.empty());
  auto w1 = StartWorker(endpoint, "w1");
  auto w2 = StartWorker(endpoint, "w2");
  std::set<std::string> pids = {std::to_string(w1->pid()), std::to_string(w2->pid())};
  ASSERT_TRUE(WaitFor([&] { return Lines(dir_.File("first.results")).size() == 20; }))
      << broker->LogTail();

  broker->Kill9();
  ASSERT_TRUE(broker->Wait(seconds(10)).has_value());
  auto restarted = StartBroker(endpoint, "second", 20);
  ASSERT_EQ(WaitForEndpoint(*restarted, "second"), endpoint);
  ASSERT_TRUE(WaitFor([&] { return Lines(dir_.File("second.results")).size() == 20; }))
      << restarted->LogTail() << "\n--- w1 ---\n"
      << w1->LogTail() << "\n--- w2 ---\n"
      << w2->LogTail();
  std::set<std::string> served;
  for (const auto& line : Lines(dir_.File("second.results"))) {
    EXPECT_NE(line.find(" ok "), std::string::npos) << line;
    served.insert(PidOf(line));
  }
  EXPECT_EQ(served, pids);  // the very same worker processes, never restarted
  EXPECT_TRUE(w1->Running());
  EXPECT_TRUE(w2->Running());
  // They registered again on new sockets by themselves.
  for (auto* worker : {w1.get(), w2.get()}) {
    EXPECT_NE(ReadFile(worker->log_file()).find("reconnecting"), std::string::npos);
  }
}

TEST_F(BusProcessTest, KilledWorkersJobFinishesElsewhereAndARestartedWorkerComesBack) {
  auto broker = *Broker::Start(FastBroker());
  auto a = StartWorker(broker->endpoint(), "a", {"--capacity", "1"});
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("echo") == 1; })) << a->LogTail();
  std::mutex mu;
  std::vector<JobResult> results;
  auto collect = [&](const JobResult& r) {
    std::lock_guard lock(mu);
    results.push_back(r);
  };
  auto count = [&] {
    std::lock_guard lock(mu);
    return results.size();
  };
  broker->Submit("echo", "sleep", "long", "1500", collect);  // goes to a, the only worker
  ASSERT_TRUE(WaitFor([&] {
    return ReadFile(a->log_file()).find("job long") != std::string::npos;
  })) << a->LogTail();
  auto b = StartWorker(broker->endpoint(), "b", {"--capacity", "1"});
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("echo") == 2; }));
  a->Kill9();
  ASSERT_TRUE(WaitFor([&] { return count() == 1; }, seconds(20))) << b->LogTail();
  {
    std::lock_guard lock(mu);
    ASSERT_TRUE(results[0].status.ok()) << results[0].status;
    EXPECT_EQ(results[0].payload, std::to_string(b->pid()) + ":1500");
  }
  EXPECT_EQ(broker->WorkerCount("echo"), 1u);

  auto a2 = StartWorker(broker->endpoint(), "a2", {"--capacity", "1"});
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("echo") == 2; })) << a2->LogTail();
  broker->Submit("echo", "sleep", "s1", "300", collect);
  broker->Submit("echo", "sleep", "s2", "300", collect);
  ASSERT_TRUE(WaitFor([&] { return count() == 3; }));
  std::set<std::string> payloads;
  {
    std::lock_guard lock(mu);
    for (size_t i = 1; i < 3; ++i) payloads.insert(results[i].payload);
  }
  EXPECT_EQ(payloads, (std::set<std::string>{std::to_string(a2->pid()) + ":300",
                                             std::to_string(b->pid()) + ":300"}));
}

TEST_F(BusProcessTest, TerminatedWorkerSaysGoodbyeBeforeItsHeartbeatsWouldLapse) {
  auto options = FastBroker();
  options.heartbeat_interval = seconds(5);  // a lapse would take 15 s
  auto broker = *Broker::Start(options);
  auto worker = StartWorker(broker->endpoint(), "w");
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("echo") == 1; })) << worker->LogTail();
  worker->Signal(SIGTERM);
  ASSERT_TRUE(worker->Wait(seconds(5)).has_value());
  EXPECT_TRUE(WaitFor([&] { return broker->WorkerCount("echo") == 0; }, seconds(3)));
}

TEST_F(BusProcessTest, CurveWorkerWithKeyFilesIsAdmittedAndAStrangerIsNot) {
  auto broker_keys = *GenerateCurveKeyPair();
  auto member_keys = *GenerateCurveKeyPair();
  auto stranger_keys = *GenerateCurveKeyPair();
  WriteFile(dir_.File("member.pub"), member_keys.public_key + "\n");
  WriteFile(dir_.File("member.key"), member_keys.secret_key + "\n");
  WriteFile(dir_.File("stranger.pub"), stranger_keys.public_key + "\n");
  WriteFile(dir_.File("stranger.key"), stranger_keys.secret_key + "\n");
  auto options = FastBroker();
  options.curve = broker_keys;
  options.authorized_clients = {member_keys.public_key};
  auto broker = *Broker::Start(options);
  auto keys = [&](const std::string& who) {
    return std::vector<std::string>{"--curve-public-key-file", dir_.File(who + ".pub"),
                                    "--curve-secret-key-file", dir_.File(who + ".key"),
                                    "--broker-public-key",     broker_keys.public_key};
  };
  auto stranger = StartWorker(broker->endpoint(), "stranger", keys("stranger"));
  auto member = StartWorker(broker->endpoint(), "member", keys("member"));
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("echo") == 1; })) << member->LogTail();
  std::mutex mu;
  std::vector<JobResult> results;
  for (int i = 0; i < 4; ++i) {
    broker->Submit("echo", "echo", absl::StrCat("c", i), "x", [&](const JobResult& r) {
      std::lock_guard lock(mu);
      results.push_back(r);
    });
  }
  ASSERT_TRUE(WaitFor([&] {
    std::lock_guard lock(mu);
    return results.size() == 4;
  }));
  for (const auto& r : results) EXPECT_EQ(r.payload, std::to_string(member->pid()) + ":x");
  EXPECT_EQ(broker->WorkerCount("echo"), 1u);
  // Key material never reaches the logs.
  for (const auto& log : {member->log_file(), stranger->log_file()}) {
    std::string text = ReadFile(log);
    for (const auto& key : {member_keys.secret_key, stranger_keys.secret_key,
                            broker_keys.secret_key, member_keys.public_key}) {
      EXPECT_EQ(text.find(key), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace certforge::bus
