// Issued certificates change when they should: renewal on schedule, reissue on a spec change,
// the private key kept or rotated as rotationPolicy says, and a manual renewal as cmctl does it.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "lib/core/time_format.h"
#include "tests/integration/pki/pki_fixture.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

constexpr char kLeaf[] = R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: $NAME, namespace: $NS}
spec:
  secretName: $NAME-tls
  dnsNames: [$NAME.example.com]
  privateKey: {algorithm: ECDSA, rotationPolicy: $ROTATION}
  issuerRef: {name: ca, kind: Issuer}
)";

class Reissue : public PkiTest {
 protected:
  void CreateLeaf(const std::string& name, const std::string& rotation = "Always") {
    auto applied =
        stack().Apply(Fill(kLeaf, {{"NAME", name}, {"NS", ns_}, {"ROTATION", rotation}}));
    ASSERT_TRUE(applied.ok()) << applied.message();
    ASSERT_TRUE(WaitCertificateReady(name, 1)) << Describe("certificate", name);
  }
  void AddDnsName(const std::string& name, const std::string& dns_name) {
    auto patched = stack().Kubectl(
        {"patch", "certificate", name, "-n", ns_, "--type=json", "-p",
         R"([{"op":"add","path":"/spec/dnsNames/-","value":")" + dns_name + R"("}])"});
    ASSERT_EQ(patched.exit_code, 0) << patched.Describe();
  }
  std::string Serial(const std::string& secret) {
    return Openssl({"x509", "-noout", "-serial"}, SecretValue(secret, "tls.crt")).out;
  }
};

TEST_F(Reissue, RenewsByItselfBeforeExpiry) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  // Renewal 5s after issue: below cert-manager's webhook minimums (duration >= 1h is met,
  // renewBefore >= 5m is not), which certforge has no webhook to enforce.
  auto applied = stack().Apply(Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: short, namespace: $NS}
spec:
  secretName: short-tls
  dnsNames: [short.example.com]
  duration: 1h
  renewBefore: 59m55s
  revisionHistoryLimit: 1
  privateKey: {algorithm: ECDSA}
  issuerRef: {name: ca, kind: Issuer}
)",
                                    {{"NS", ns_}}));
  ASSERT_TRUE(applied.ok()) << "the API rejected renewBefore 59m55s: " << applied.message();
  ASSERT_TRUE(WaitCertificateReady("short", 1)) << Describe("certificate", "short");
  json first = Get("certificate", "short");
  EXPECT_EQ(first["spec"].value("renewBefore", ""), "59m55s");
  std::string not_before = first["status"].value("notBefore", "");
  auto issued = core::ParseRfc3339(not_before);
  auto renewal = core::ParseRfc3339(first["status"].value("renewalTime", ""));
  ASSERT_TRUE(issued.ok() && renewal.ok()) << first.dump(2);
  EXPECT_EQ(*renewal - *issued, std::chrono::seconds(5));
  std::string first_serial = Serial("short-tls");

  json renewed;
  ASSERT_TRUE(WaitForObject(
      "certificate", "short", ns_,
      [](const json& c) {
        return c.contains("status") && c["status"].value("revision", 0) >= 2 &&
               ConditionField(c, "Ready", "status") == "True";
      },
      std::chrono::seconds(30), &renewed))
      << Describe("certificate", "short");
  EXPECT_NE(renewed["status"].value("notBefore", ""), not_before);
  EXPECT_NE(Serial("short-tls"), first_serial);
  auto events = EventsFor("short", ns_);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const std::string& e) {
    return e.rfind("Normal Issuing: Renewing certificate as renewal was scheduled at", 0) == 0;
  })) << ::testing::PrintToString(events);

  // Stop the 5s renewals, then the history keeps just the request of the current revision.
  auto patched = stack().Kubectl({"patch", "certificate", "short", "-n", ns_, "--type=json", "-p",
                                  R"([{"op":"remove","path":"/spec/renewBefore"}])"});
  ASSERT_EQ(patched.exit_code, 0) << patched.Describe();
  std::vector<std::string> names;
  int revision = 0;
  bool settled = WaitFor(
      [&] {
        json c = Get("certificate", "short");
        if (ConditionField(c, "Ready", "status") != "True" ||
            ConditionField(c, "Issuing", "status") == "True") {
          return false;
        }
        revision = c["status"].value("revision", 0);
        names.clear();
        for (const auto& r : List("certificaterequests", ns_)) {
          std::string name = r["metadata"].value("name", "");
          if (name.rfind("short-", 0) == 0) names.push_back(name);
        }
        return names.size() == 1;
      },
      std::chrono::seconds(30), std::chrono::milliseconds(500));
  EXPECT_TRUE(settled) << ::testing::PrintToString(names) << Describe("certificate", "short");
  EXPECT_EQ(names, std::vector<std::string>{"short-" + std::to_string(revision)});
}

TEST_F(Reissue, SpecChangeReissuesAtOnce) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  ASSERT_NO_FATAL_FAILURE(CreateLeaf("changing"));
  auto start = std::chrono::steady_clock::now();
  ASSERT_NO_FATAL_FAILURE(AddDnsName("changing", "extra.example.com"));
  ASSERT_TRUE(WaitCertificateReady("changing", 2, std::chrono::seconds(15)))
      << Describe("certificate", "changing");
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, std::chrono::seconds(10)) << "no backoff applies to a spec change";

  auto sans =
      Openssl({"x509", "-noout", "-ext", "subjectAltName"}, SecretValue("changing-tls", "tls.crt"));
  EXPECT_THAT(sans.out, HasSubstr("DNS:changing.example.com, DNS:extra.example.com"));
  auto events = EventsFor("changing", ns_);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const std::string& e) {
    return e.rfind(
               "Normal Issuing: Fields on existing CertificateRequest resource not up to "
               "date: [spec.dnsNames]",
               0) == 0;
  })) << ::testing::PrintToString(events);
  json request = Get("certificaterequest", "changing-2");
  EXPECT_EQ(ConditionField(request, "Ready", "reason"), "Issued") << request.dump(2);
}

TEST_F(Reissue, OutputChangesUpdateTheSecretWithoutReissuing) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  ASSERT_NO_FATAL_FAILURE(CreateLeaf("outputs"));
  const std::string serial = Serial("outputs-tls");
  auto patch = [&](const std::string& merge_patch) {
    auto patched = stack().Kubectl(
        {"patch", "certificate", "outputs", "-n", ns_, "--type=merge", "-p", merge_patch});
    ASSERT_EQ(patched.exit_code, 0) << patched.Describe();
  };

  // A keystore asked for after issuance is added to the Secret; the certificate stays.
  ASSERT_NO_FATAL_FAILURE(
      patch(R"({"spec":{"keystores":{"pkcs12":{"create":true,"password":"changeit"}}}})"));
  std::string keystore;
  ASSERT_TRUE(WaitFor(
      [&] {
        keystore = SecretValue("outputs-tls", "keystore.p12");
        return !keystore.empty();
      },
      std::chrono::seconds(30)))
      << Describe("certificate", "outputs");
  EXPECT_EQ(Serial("outputs-tls"), serial) << "no reissue for an output format";
  TempDir files("pki-added-keystore");
  WriteFile(files.File("keystore.p12"), keystore);
  auto p12 = Openssl({"pkcs12", "-info", "-legacy", "-nodes", "-in", files.File("keystore.p12"),
                      "-passin", "pass:changeit"});
  ASSERT_EQ(p12.exit_code, 0) << p12.Describe();
  EXPECT_EQ(PublicKeyOfKey(p12.out), PublicKeyOfKey(SecretValue("outputs-tls", "tls.key")));

  // A later change of the Secret's metadata keeps that keystore as it is.
  ASSERT_NO_FATAL_FAILURE(patch(R"({"spec":{"secretTemplate":{"labels":{"team":"web"}}}})"));
  ASSERT_TRUE(WaitFor(
      [&] { return Get("secret", "outputs-tls")["metadata"]["labels"].value("team", "") == "web"; },
      std::chrono::seconds(30)))
      << Describe("certificate", "outputs");
  EXPECT_EQ(SecretValue("outputs-tls", "keystore.p12"), keystore);
  EXPECT_EQ(Serial("outputs-tls"), serial);
  EXPECT_EQ(Get("certificate", "outputs")["status"].value("revision", 0), 1);
}

TEST_F(Reissue, RotationPolicyNeverKeepsTheKeyAlwaysReplacesIt) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  ASSERT_NO_FATAL_FAILURE(CreateLeaf("never", "Never"));
  ASSERT_NO_FATAL_FAILURE(CreateLeaf("always", "Always"));
  std::map<std::string, std::string> keys;
  for (const std::string name : {"never", "always"}) {
    keys[name] = PublicKeyOfKey(SecretValue(name + "-tls", "tls.key"));
    ASSERT_NO_FATAL_FAILURE(AddDnsName(name, "second-" + name + ".example.com"));
  }
  for (const std::string name : {"never", "always"}) {
    SCOPED_TRACE(name);
    ASSERT_TRUE(WaitCertificateReady(name, 2)) << Describe("certificate", name);
    std::string key = SecretValue(name + "-tls", "tls.key");
    EXPECT_EQ(PublicKeyOfKey(key), PublicKeyOfCertificate(SecretValue(name + "-tls", "tls.crt")));
    if (name == "never") {
      EXPECT_EQ(PublicKeyOfKey(key), keys[name]);
    } else {
      EXPECT_NE(PublicKeyOfKey(key), keys[name]);
    }
  }
  auto events = EventsFor("never", ns_);
  EXPECT_TRUE(std::any_of(events.begin(), events.end(), [](const std::string& e) {
    return e ==
           "Normal Reused: Reusing private key stored in existing Secret resource "
           "\"never-tls\"";
  })) << ::testing::PrintToString(events);
}

TEST_F(Reissue, ManualRenewalAsCmctlDoesIt) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  ASSERT_NO_FATAL_FAILURE(CreateLeaf("manual"));
  std::string serial = Serial("manual-tls");
  json condition = {{"type", "Issuing"},
                    {"status", "True"},
                    {"reason", "ManuallyTriggered"},
                    {"message", "Certificate re-issuance manually triggered"},
                    {"lastTransitionTime", core::FormatRfc3339(std::chrono::system_clock::now())}};
  json patch =
      json::array({{{"op", "add"}, {"path", "/status/conditions/-"}, {"value", condition}}});
  auto patched = stack().Kubectl({"patch", "certificate", "manual", "-n", ns_,
                                  "--subresource=status", "--type=json", "-p", patch.dump()});
  ASSERT_EQ(patched.exit_code, 0) << patched.Describe();

  json renewed;
  ASSERT_TRUE(WaitForObject(
      "certificate", "manual", ns_,
      [](const json& c) {
        return c.contains("status") && c["status"].value("revision", 0) == 2 &&
               ConditionField(c, "Ready", "status") == "True" &&
               ConditionField(c, "Issuing", "status").empty();
      },
      std::chrono::seconds(20), &renewed))
      << Describe("certificate", "manual");
  EXPECT_NE(Serial("manual-tls"), serial);
  json request = Get("certificaterequest", "manual-2");
  EXPECT_EQ(ConditionField(request, "Ready", "reason"), "Issued") << request.dump(2);
}

}  // namespace
}  // namespace certforge::testing
