// kill -9 in the middle of a burst of 200 Certificates: a signer, then the controller. Everything
// still ends Ready, every Secret's key belongs to its certificate, and no revision was requested
// twice.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <thread>

#include "tests/integration/pki/pki_fixture.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;

constexpr int kBurst = 200;

class CrashRecovery : public PkiTest {
 protected:
  std::optional<CertforgeStackOptions> OwnStackOptions() const override {
    return CertforgeStackOptions{2, {"--certificate-request-minimum-backoff-duration", "1h"}};
  }

  static std::string Name(int i) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "burst-%03d", i);
    return buf;
  }

  // kubectl apply of the whole burst, in the background: issuance starts with the first
  // Certificates while kubectl is still sending the rest, and the kill must land in between.
  void StartBurst() {
    applier_ = std::thread([this] { ApplyBurst(); });
  }
  void FinishBurst() {
    if (applier_.joinable()) applier_.join();
  }
  void TearDown() override { FinishBurst(); }

  void ApplyBurst() {
    std::string yaml;
    for (int i = 0; i < kBurst; ++i) {
      yaml += Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: $NAME, namespace: $NS}
spec:
  secretName: $NAME-tls
  dnsNames: [$NAME.example.com]
  privateKey: {algorithm: ECDSA}
  issuerRef: {name: ca, kind: Issuer}
---
)",
                   {{"NAME", Name(i)}, {"NS", ns_}});
    }
    auto applied = stack().Apply(yaml);
    EXPECT_TRUE(applied.ok()) << applied.message();
  }

  int CountReady() {
    int ready = 0;
    for (const auto& c : List("certificates", ns_)) {
      std::string name = c["metadata"].value("name", "");
      if (name.rfind("burst-", 0) == 0 && ConditionField(c, "Ready", "status") == "True") ++ready;
    }
    return ready;
  }

  // Waits until `at_least` of the burst are Ready; returns how many were when it looked.
  int WaitUntilReady(int at_least, std::chrono::seconds timeout) {
    int ready = 0;
    WaitFor([&] { return (ready = CountReady()) >= at_least; }, timeout,
            std::chrono::milliseconds(200));
    return ready;
  }

  std::thread applier_;

  void ExpectBurstIssuedOnce() {
    int ready = WaitUntilReady(kBurst, std::chrono::seconds(240));
    ASSERT_EQ(ready, kBurst) << Describe("certificates", "") << "\n"
                             << stack().Kubectl({"get", "certificates", "-n", ns_}).out;

    // Every Secret's private key belongs to its certificate.
    std::set<std::string> secrets;
    for (const auto& s : List("secrets", ns_)) {
      std::string name = s["metadata"].value("name", "");
      if (name.rfind("burst-", 0) != 0) continue;
      if (s["metadata"]
              .value("labels", json::object())
              .contains("cert-manager.io/next-private-key")) {
        continue;  // a temporary key Secret still being cleaned up; checked below
      }
      secrets.insert(name);
      std::string key = DataValue(s, "tls.key");
      std::string crt = DataValue(s, "tls.crt");
      EXPECT_FALSE(key.empty() || crt.empty()) << name;
      EXPECT_EQ(PublicKeyOfKey(key), PublicKeyOfCertificate(crt)) << name;
    }
    EXPECT_EQ(secrets.size(), static_cast<size_t>(kBurst));

    // One request per certificate and revision, and every certificate at revision 1.
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> by_revision;
    for (const auto& r : List("certificaterequests", ns_)) {
      json annotations = r["metadata"].value("annotations", json::object());
      std::string cert = annotations.value("cert-manager.io/certificate-name", "");
      if (cert.rfind("burst-", 0) != 0) continue;
      by_revision[{cert, annotations.value("cert-manager.io/certificate-revision", "")}].push_back(
          r["metadata"].value("name", ""));
    }
    EXPECT_EQ(by_revision.size(), static_cast<size_t>(kBurst));
    for (const auto& [key, names] : by_revision) {
      EXPECT_EQ(names.size(), 1u) << key.first << " revision " << key.second << ": "
                                  << ::testing::PrintToString(names);
      EXPECT_EQ(key.second, "1") << key.first;
    }
    for (const auto& c : List("certificates", ns_)) {
      std::string name = c["metadata"].value("name", "");
      if (name.rfind("burst-", 0) == 0) {
        EXPECT_EQ(c["status"].value("revision", 0), 1) << name;
      }
    }

    // The temporary private key Secrets all go once issuing is over.
    std::string left;
    bool cleaned = WaitFor(
        [&] {
          left = stack()
                     .Kubectl({"get", "secrets", "-n", ns_, "-l",
                               "cert-manager.io/next-private-key=true", "-o", "name"})
                     .out;
          return left.empty();
        },
        std::chrono::seconds(30), std::chrono::milliseconds(500));
    EXPECT_TRUE(cleaned) << left;
  }
};

TEST_F(CrashRecovery, SignerKilledMidBurst) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  StartBurst();
  // As soon as issuance is under way: the first Ready comes well before the last.
  int ready_at_kill = WaitUntilReady(1, std::chrono::seconds(120));
  stack().KillSigner9(0);
  ASSERT_LT(ready_at_kill, kBurst) << "the burst was over before the kill";
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto restarted = stack().StartSigner(0);
  ASSERT_TRUE(restarted.ok()) << restarted.message();
  FinishBurst();
  ASSERT_NO_FATAL_FAILURE(ExpectBurstIssuedOnce());
  EXPECT_TRUE(stack().SignerRunning(0));
  EXPECT_TRUE(stack().SignerRunning(1));
  EXPECT_TRUE(stack().ControllerRunning());
}

TEST_F(CrashRecovery, ControllerKilledMidBurst) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  StartBurst();
  // As soon as issuance is under way: the first Ready comes well before the last.
  int ready_at_kill = WaitUntilReady(1, std::chrono::seconds(120));
  stack().KillController9();
  ASSERT_LT(ready_at_kill, kBurst) << "the burst was over before the kill";
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto restarted = stack().StartController();
  ASSERT_TRUE(restarted.ok()) << restarted.message();
  FinishBurst();
  ASSERT_NO_FATAL_FAILURE(ExpectBurstIssuedOnce());
  EXPECT_TRUE(stack().ControllerRunning());
}

}  // namespace
}  // namespace certforge::testing
