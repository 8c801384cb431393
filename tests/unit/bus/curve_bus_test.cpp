// CURVE on the bus: encrypted traffic, wrong keys never connect, ZAP admits only listed workers.

#include <gtest/gtest.h>

#include <thread>

#include "lib/bus/zap_authenticator.h"
#include "tests/support/wait_for.h"
#include "tests/unit/bus/bus_test_util.h"

namespace certforge::bus {
namespace {

using certforge::testing::WaitFor;
using namespace certforge::bus::testing;
using std::chrono::milliseconds;

class CurveBusTest : public ::testing::Test {
 protected:
  void SetUp() override {
    broker_keys_ = *GenerateCurveKeyPair();
    worker_keys_ = *GenerateCurveKeyPair();
    stranger_keys_ = *GenerateCurveKeyPair();
  }
  WorkerOptions CurveWorker(const Broker& broker, const CurveKeyPair& keys,
                            const std::string& broker_key) {
    auto options = FastWorkerOptions(broker.endpoint(), "signer");
    options.curve = keys;
    options.broker_public_key = broker_key;
    return options;
  }
  BrokerOptions CurveBroker(std::vector<std::string> authorized = {}) {
    auto options = FastBrokerOptions();
    options.curve = broker_keys_;
    options.authorized_clients = std::move(authorized);
    return options;
  }
  // Gives a worker that should not get in several liveness windows to try.
  static void ExpectNeverConnects(const Broker& broker, const Worker& worker) {
    auto until = std::chrono::steady_clock::now() + milliseconds(1200);
    while (std::chrono::steady_clock::now() < until) {
      ASSERT_FALSE(worker.connected());
      ASSERT_EQ(broker.WorkerCount("signer"), 0u);
      std::this_thread::sleep_for(milliseconds(50));
    }
  }

  CurveKeyPair broker_keys_, worker_keys_, stranger_keys_;
};

TEST_F(CurveBusTest, EncryptedJobsRun) {
  auto broker = StartBroker(CurveBroker());
  auto worker =
      StartWorker(CurveWorker(*broker, worker_keys_, broker_keys_.public_key), EchoHandler());
  ResultCollector done;
  broker->Submit("signer", "keygen", "k1", "secret material", done.Callback());
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_TRUE(done.results()[0].status.ok());
  EXPECT_EQ(done.results()[0].payload, "echo:secret material");
}

TEST_F(CurveBusTest, WorkerWithTheWrongBrokerKeyNeverConnects) {
  auto broker = StartBroker(CurveBroker());
  auto worker =
      StartWorker(CurveWorker(*broker, worker_keys_, stranger_keys_.public_key), EchoHandler());
  ExpectNeverConnects(*broker, *worker);
}

TEST_F(CurveBusTest, PlaintextWorkerNeverConnects) {
  auto broker = StartBroker(CurveBroker());
  auto worker = StartWorker(FastWorkerOptions(broker->endpoint(), "signer"), EchoHandler());
  ExpectNeverConnects(*broker, *worker);
}

TEST_F(CurveBusTest, AuthorizedClientsAdmitsOnlyListedKeys) {
  auto broker = StartBroker(CurveBroker({worker_keys_.public_key}));
  auto stranger =
      StartWorker(CurveWorker(*broker, stranger_keys_, broker_keys_.public_key), EchoHandler());
  ExpectNeverConnects(*broker, *stranger);
  auto member = StartWorker(CurveWorker(*broker, worker_keys_, broker_keys_.public_key),
                            EchoHandler("member"));
  ResultCollector done;
  broker->Submit("signer", "sign", "s1", "x", done.Callback());
  ASSERT_TRUE(done.WaitForCount(1));
  EXPECT_EQ(done.results()[0].payload, "member:x");
  EXPECT_EQ(broker->WorkerCount("signer"), 1u);
  EXPECT_FALSE(stranger->connected());
}

TEST_F(CurveBusTest, BrokerRejectsMalformedAuthorizedKeys) {
  EXPECT_FALSE(Broker::Start(CurveBroker({"not a key"})).ok());
}

TEST(ZapAuthenticator, AdmitsOnlyListedCurveKeys) {
  zmq::context_t context;
  auto listed = *GenerateCurveKeyPair();
  auto zap = ZapAuthenticator::Bind(context, {listed.public_key});
  ASSERT_TRUE(zap.ok()) << zap.status();
  uint8_t binary[32];
  ASSERT_NE(zmq_z85_decode(binary, listed.public_key.c_str()), nullptr);
  std::string key(reinterpret_cast<char*>(binary), sizeof(binary));
  EXPECT_TRUE((*zap)->Admits("CURVE", key));
  EXPECT_FALSE((*zap)->Admits("NULL", key));
  EXPECT_FALSE((*zap)->Admits("PLAIN", key));
  key[0] ^= 1;
  EXPECT_FALSE((*zap)->Admits("CURVE", key));
  EXPECT_FALSE((*zap)->Admits("CURVE", "short"));
  // One ZAP handler per context.
  EXPECT_FALSE(ZapAuthenticator::Bind(context, {}).ok());
}

}  // namespace
}  // namespace certforge::bus
