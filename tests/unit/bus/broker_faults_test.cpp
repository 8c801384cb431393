// Faults between broker and workers: silent peers, timeouts, restarts and malformed frames,
// played by real Broker/Worker objects against hand-driven ZeroMQ sockets.

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>
#include <zmq_addon.hpp>

#include "tests/support/wait_for.h"
#include "tests/unit/bus/bus_test_util.h"

namespace certforge::bus {
namespace {

using certforge::testing::WaitFor;
using namespace certforge::bus::testing;
using std::chrono::milliseconds;

void SendEnvelope(zmq::socket_t& dealer, const Envelope& envelope) {
  dealer.send(zmq::buffer(EncodeEnvelope(envelope)));
}

TEST(BusFaults, SilentWorkerIsDroppedAndItsJobGoesToAnother) {
  auto broker = StartBroker(FastBrokerOptions());
  zmq::context_t context;
  zmq::socket_t silent(context, zmq::socket_type::dealer);
  silent.set(zmq::sockopt::linger, 0);
  silent.connect(broker->endpoint());
  auto ready = MakeEnvelope(Envelope::READY, "signer");
  ready.set_capacity(1);
  SendEnvelope(silent, ready);
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("signer") == 1; }));

  ResultCollector done;
  broker->Submit("signer", "sign", "j1", "p", done.Callback());
  auto job = ReceiveKind(silent, Envelope::JOB, std::chrono::seconds(5));
  ASSERT_TRUE(job.has_value());
  EXPECT_EQ(job->job_id(), "j1");
  // The silent worker holds j1; a real one joins and gets it once the silent one is dropped.
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "signer"), EchoHandler("real"));
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_EQ(done.results()[0].payload, "real:p");
  EXPECT_EQ(broker->WorkerCount("signer"), 1u);
  // Its late answer is refused, and it is told to register again.
  auto late = MakeEnvelope(Envelope::RESULT, "signer", "j1");
  late.set_payload("stale");
  SendEnvelope(silent, late);
  EXPECT_TRUE(ReceiveKind(silent, Envelope::DISCONNECT, std::chrono::seconds(5)).has_value());
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(done.count(), 1u);
}

TEST(BusFaults, JobTimeoutSendsTheJobToAnotherWorkerAndIgnoresTheFirstResult) {
  auto options = FastBrokerOptions();
  options.job_timeout = milliseconds(500);
  auto broker = StartBroker(options);
  Gate stuck;
  std::atomic<int> slow_runs{0};
  auto slow = StartWorker(FastWorkerOptions(broker->endpoint(), "acme-worker", 1),
                          [&](const std::string&, const std::string&,
                              const std::string&) -> absl::StatusOr<std::string> {
                            ++slow_runs;
                            stuck.Wait();
                            return "slow";
                          });
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("acme-worker") == 1; }));
  ResultCollector done;
  broker->Submit("acme-worker", "poll", "order-7", "", done.Callback());
  ASSERT_TRUE(WaitFor([&] { return slow_runs == 1; }));
  auto fast =
      StartWorker(FastWorkerOptions(broker->endpoint(), "acme-worker", 1), EchoHandler("fast"));
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_EQ(done.results()[0].payload, "fast:");
  stuck.Open();  // the slow worker answers late
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(done.count(), 1u);
  EXPECT_EQ(broker->PendingJobs("acme-worker"), 0u);
}

TEST(BusFaults, WorkerReconnectsWithBackoffWhenTheBrokerIsSilent) {
  // A ROUTER that never answers: the worker must give up on each socket and come back with a
  // new one (a new identity), waiting longer each time.
  zmq::context_t context;
  zmq::socket_t router(context, zmq::socket_type::router);
  router.set(zmq::sockopt::linger, 0);
  router.bind("tcp://127.0.0.1:0");
  auto options = FastWorkerOptions(router.get(zmq::sockopt::last_endpoint), "signer");
  options.heartbeat_interval = milliseconds(50);
  options.reconnect_min = milliseconds(100);
  options.reconnect_max = milliseconds(400);
  auto worker = StartWorker(options, EchoHandler());
  std::vector<std::chrono::steady_clock::time_point> ready_at;
  std::set<std::string> identities;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (ready_at.size() < 4 && std::chrono::steady_clock::now() < deadline) {
    std::string identity;
    if (ReceiveKind(router, Envelope::READY, milliseconds(2000), &identity)) {
      ready_at.push_back(std::chrono::steady_clock::now());
      identities.insert(identity);
    }
    EXPECT_FALSE(worker->connected());
  }
  ASSERT_EQ(ready_at.size(), 4u);
  EXPECT_EQ(identities.size(), 4u);
  // Gaps are the liveness window (150 ms) plus a backoff of 100, 200, 400 ms.
  auto gap = [&](int i) { return ready_at[i + 1] - ready_at[i]; };
  EXPECT_GE(gap(0), milliseconds(200));
  EXPECT_GE(gap(2), milliseconds(500));
  EXPECT_GT(gap(2), gap(0));
}

TEST(BusFaults, RestartedBrokerOnTheSameEndpointGetsTheWorkerBack) {
  auto broker = StartBroker(FastBrokerOptions());
  std::string endpoint = broker->endpoint();
  auto worker = StartWorker(FastWorkerOptions(endpoint, "signer"), EchoHandler());
  ASSERT_TRUE(WaitFor([&] { return worker->connected(); }));
  broker.reset();
  ASSERT_TRUE(WaitFor([&] { return !worker->connected(); }));
  auto options = FastBrokerOptions();
  options.endpoint = endpoint;
  broker = StartBroker(options);
  ASSERT_TRUE(WaitFor([&] { return broker->WorkerCount("signer") == 1; }));
  ResultCollector done;
  broker->Submit("signer", "sign", "after-restart", "x", done.Callback());
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_EQ(done.results()[0].payload, "echo:x");
  EXPECT_TRUE(worker->connected());
}

TEST(BusFaults, BrokerDropsMalformedFramesAndKeepsWorking) {
  auto broker = StartBroker(FastBrokerOptions());
  zmq::context_t context;
  zmq::socket_t rogue(context, zmq::socket_type::dealer);
  rogue.set(zmq::sockopt::linger, 0);
  rogue.connect(broker->endpoint());
  rogue.send(zmq::str_buffer("\xff\xfe not protobuf"));
  Envelope future = MakeEnvelope(Envelope::READY, "signer");
  future.set_capacity(1);
  future.set_version(kEnvelopeVersion + 1);
  rogue.send(zmq::buffer(future.SerializeAsString()));  // no re-stamping: version 2 goes out
  rogue.send(zmq::str_buffer("part"), zmq::send_flags::sndmore);
  rogue.send(zmq::str_buffer("two"));
  rogue.send(zmq::str_buffer(""));
  std::this_thread::sleep_for(milliseconds(200));
  EXPECT_EQ(broker->WorkerCount("signer"), 0u);  // the version-2 READY did not register
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "signer"), EchoHandler());
  ResultCollector done;
  broker->Submit("signer", "sign", "j", "ok", done.Callback());
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_EQ(done.results()[0].payload, "echo:ok");
}

TEST(BusFaults, WorkerDropsMalformedFramesAndKeepsWorking) {
  zmq::context_t context;
  zmq::socket_t router(context, zmq::socket_type::router);
  router.set(zmq::sockopt::linger, 0);
  router.bind("tcp://127.0.0.1:0");
  auto options = FastWorkerOptions(router.get(zmq::sockopt::last_endpoint), "signer");
  options.heartbeat_interval = milliseconds(1000);  // no reconnects during the test
  auto worker = StartWorker(options, EchoHandler());
  std::string identity;
  ASSERT_TRUE(ReceiveKind(router, Envelope::READY, std::chrono::seconds(5), &identity));
  auto to_worker = [&](const std::string& body) {
    router.send(zmq::buffer(identity), zmq::send_flags::sndmore);
    router.send(zmq::buffer(body));
  };
  to_worker("\x08\x01\x10 garbage \xff");
  Envelope future = MakeEnvelope(Envelope::JOB, "signer", "from-the-future");
  future.set_version(kEnvelopeVersion + 1);
  to_worker(future.SerializeAsString());
  Envelope job = MakeEnvelope(Envelope::JOB, "signer", "good");
  job.set_payload("p");
  to_worker(EncodeEnvelope(job));
  auto result = ReceiveKind(router, Envelope::RESULT, std::chrono::seconds(5));
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ(result->job_id(), "good");
  EXPECT_EQ(result->payload(), "echo:p");
  EXPECT_EQ(result->version(), kEnvelopeVersion);
  EXPECT_FALSE(ReceiveKind(router, Envelope::RESULT, milliseconds(300)).has_value());
  EXPECT_TRUE(worker->connected());
}

TEST(BusFaults, WorkerReRegistersWhenTheBrokerSaysDisconnect) {
  zmq::context_t context;
  zmq::socket_t router(context, zmq::socket_type::router);
  router.set(zmq::sockopt::linger, 0);
  router.bind("tcp://127.0.0.1:0");
  auto options = FastWorkerOptions(router.get(zmq::sockopt::last_endpoint), "signer");
  options.heartbeat_interval = milliseconds(1000);
  auto worker = StartWorker(options, EchoHandler());
  std::string first, second;
  ASSERT_TRUE(ReceiveKind(router, Envelope::READY, std::chrono::seconds(5), &first));
  router.send(zmq::buffer(first), zmq::send_flags::sndmore);
  router.send(zmq::buffer(EncodeEnvelope(MakeEnvelope(Envelope::DISCONNECT))));
  // Well before the 3 s liveness window: the DISCONNECT itself made it reconnect.
  ASSERT_TRUE(ReceiveKind(router, Envelope::READY, std::chrono::seconds(2), &second));
  EXPECT_NE(first, second);
}

}  // namespace
}  // namespace certforge::bus
