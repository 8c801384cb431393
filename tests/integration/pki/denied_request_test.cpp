// A CertificateRequest denied by a user fails the issuance once: the Certificate records the
// failure and backs off (the shared stack runs with a 1h minimum backoff) instead of retrying.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "lib/core/time_format.h"
#include "tests/integration/pki/pki_fixture.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class DeniedRequest : public PkiTest {};

TEST_F(DeniedRequest, FailsTheIssuanceAndBacksOff) {
  // The issuer does not exist yet, so the request waits (Pending) until we have denied it.
  std::string issuer = "later-" + ns_;
  auto applied = stack().Apply(Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: denied, namespace: $NS}
spec:
  secretName: denied-tls
  dnsNames: [denied.example.com]
  privateKey: {algorithm: ECDSA}
  issuerRef: {name: $ISSUER, kind: ClusterIssuer}
)",
                                    {{"NS", ns_}, {"ISSUER", issuer}}));
  ASSERT_TRUE(applied.ok()) << applied.message();
  json waiting;
  ASSERT_TRUE(WaitForObject(
      "certificaterequest", "denied-1", ns_,
      [](const json& r) { return ConditionField(r, "Ready", "reason") == "Pending"; },
      std::chrono::seconds(30), &waiting))
      << waiting.dump(2) << Describe("certificate", "denied");
  EXPECT_EQ(ConditionField(waiting, "Ready", "message"),
            "Referenced \"ClusterIssuer\" not found: clusterissuer.cert-manager.io \"" + issuer +
                "\" not found");

  // As `cmctl deny`: a Denied=True condition through the status subresource. The built-in
  // approver has approved the request already, and Approved and Denied may not coexist, so the
  // denial replaces the conditions.
  json denial = {
      {"status",
       {{"conditions", json::array({{{"type", "Denied"},
                                     {"status", "True"},
                                     {"reason", "KubectlCertManager"},
                                     {"message", "manually denied by the integration test"},
                                     {"lastTransitionTime",
                                      core::FormatRfc3339(std::chrono::system_clock::now())}}})}}}};
  auto denied = stack().Kubectl({"patch", "certificaterequest", "denied-1", "-n", ns_,
                                 "--subresource=status", "--type=merge", "-p", denial.dump()});
  ASSERT_EQ(denied.exit_code, 0) << denied.Describe();
  auto created = stack().Apply(Fill(R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: $ISSUER}
spec: {selfSigned: {}}
)",
                                    {{"ISSUER", issuer}}));
  ASSERT_TRUE(created.ok()) << created.message();

  json request;
  ASSERT_TRUE(WaitForObject(
      "certificaterequest", "denied-1", ns_,
      [](const json& r) { return ConditionField(r, "Ready", "reason") == "Denied"; },
      std::chrono::seconds(30), &request))
      << request.dump(2) << Describe("certificate", "denied");
  EXPECT_EQ(ConditionField(request, "Ready", "status"), "False");
  EXPECT_EQ(ConditionField(request, "Approved", "status"), "")
      << "the approver must not re-approve";
  EXPECT_TRUE(request["status"].contains("failureTime")) << request.dump(2);

  json cert;
  ASSERT_TRUE(WaitForObject(
      "certificate", "denied", ns_,
      [](const json& c) { return ConditionField(c, "Issuing", "status") == "False"; },
      std::chrono::seconds(30), &cert))
      << Describe("certificate", "denied");
  EXPECT_EQ(ConditionField(cert, "Issuing", "reason"), "Failed");
  EXPECT_EQ(ConditionField(cert, "Issuing", "message"),
            "The certificate request has failed to complete and will be retried: manually "
            "denied by the integration test");
  EXPECT_TRUE(core::ParseRfc3339(cert["status"].value("lastFailureTime", "")).ok()) << cert.dump(2);
  EXPECT_EQ(cert["status"].value("failedIssuanceAttempts", 0), 1);
  auto events = EventsFor("denied", ns_);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const std::string& e) {
    return e.rfind("Warning Failed: The certificate request has failed to complete", 0) == 0;
  })) << ::testing::PrintToString(events);

  // The issuer is Ready now, yet the backoff holds: no new request, no new attempt.
  ASSERT_TRUE(WaitForObject("clusterissuer", issuer, "", [](const json& i) {
    return ConditionField(i, "Ready", "status") == "True";
  }));
  std::this_thread::sleep_for(std::chrono::seconds(8));
  std::vector<std::string> names;
  for (const auto& r : List("certificaterequests", ns_)) {
    names.push_back(r["metadata"].value("name", ""));
  }
  EXPECT_EQ(names, std::vector<std::string>{"denied-1"});
  json later = Get("certificate", "denied");
  EXPECT_EQ(ConditionField(later, "Issuing", "status"), "False") << later.dump(2);
  EXPECT_EQ(ConditionField(later, "Ready", "status"), "False");
  EXPECT_EQ(later["status"].value("failedIssuanceAttempts", 0), 1);
  EXPECT_EQ(later["status"].value("lastFailureTime", ""),
            cert["status"].value("lastFailureTime", ""));
  EXPECT_EQ(Get("secret", "denied-tls"), json::object()) << "nothing was issued";
}

}  // namespace
}  // namespace certforge::testing
