// Bad input gets a clear condition or event, and neither a crash nor a retry storm: the objects
// stop changing once their failure is recorded.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <thread>

#include "lib/core/base64.h"
#include "tests/integration/pki/pki_fixture.h"
#include "tests/support/local_apiserver_process.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class BadInput : public PkiTest {
 protected:
  // The object's resourceVersion does not move for `quiet`: nobody keeps rewriting it.
  void ExpectSettled(const std::string& resource, const std::string& name, const std::string& ns,
                     std::chrono::seconds quiet = std::chrono::seconds(4)) {
    std::string before = Get(resource, name, ns)["metadata"].value("resourceVersion", "");
    std::this_thread::sleep_for(quiet);
    std::string after = Get(resource, name, ns)["metadata"].value("resourceVersion", "");
    EXPECT_EQ(before, after) << resource << " " << name << " keeps changing";
    EXPECT_TRUE(stack().ControllerRunning()) << stack().LogTails();
  }

  // A kubernetes.io/tls Secret in the cluster resource namespace.
  void ApplyTlsSecret(const std::string& name, const std::string& crt, const std::string& key) {
    json secret = {
        {"apiVersion", "v1"},
        {"kind", "Secret"},
        {"type", "kubernetes.io/tls"},
        {"metadata", {{"name", name}, {"namespace", "cert-manager"}}},
        {"data", {{"tls.crt", core::Base64Encode(crt)}, {"tls.key", core::Base64Encode(key)}}}};
    ASSERT_TRUE(stack().Apply(secret.dump()).ok());
  }

  // A CA ClusterIssuer on `secret` that must end Ready=False, ErrInitIssuer, with `message`.
  void ExpectCaIssuerRefused(const std::string& issuer, const std::string& secret,
                             const std::string& message) {
    auto applied = stack().Apply(Fill(R"(apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: $ISSUER}
spec: {ca: {secretName: $SECRET}}
)",
                                      {{"ISSUER", issuer}, {"SECRET", secret}}));
    ASSERT_TRUE(applied.ok()) << applied.message();
    json seen;
    ASSERT_TRUE(WaitForObject(
        "clusterissuer", issuer, "",
        [](const json& i) { return ConditionField(i, "Ready", "status") == "False"; },
        std::chrono::seconds(20), &seen))
        << seen.dump(2) << stack().LogTails();
    EXPECT_EQ(ConditionField(seen, "Ready", "reason"), "ErrInitIssuer");
    EXPECT_EQ(ConditionField(seen, "Ready", "message"), message);
  }
};

TEST_F(BadInput, CaIssuerWithoutItsSecret) {
  std::string issuer = "missing-secret-" + ns_;
  std::string secret = "no-such-secret-" + ns_;
  ASSERT_NO_FATAL_FAILURE(ExpectCaIssuerRefused(
      issuer, secret,
      "Error initializing issuer: error getting keypair for CA issuer: secrets \"" + secret +
          "\" not found"));
  auto events = EventsFor(issuer, "");
  EXPECT_THAT(events, ::testing::Contains(HasSubstr("Warning ErrInitIssuer: Error initializing")));
  ExpectSettled("clusterissuer", issuer, "");

  // The Secret showing up later makes the issuer Ready without any nudge.
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  ASSERT_NO_FATAL_FAILURE(
      ApplyTlsSecret(secret, SecretValue("root", "tls.crt"), SecretValue("root", "tls.key")));
  json seen;
  EXPECT_TRUE(WaitForObject(
      "clusterissuer", issuer, "",
      [](const json& i) { return ConditionField(i, "Ready", "reason") == "KeyPairVerified"; },
      std::chrono::seconds(20), &seen))
      << seen.dump(2);
}

TEST_F(BadInput, CaIssuerWhoseSecretIsNotACa) {
  TempDir files("pki-not-a-ca");
  auto made =
      Openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
               "-keyout", files.File("tls.key"), "-out", files.File("tls.crt"), "-subj",
               "/CN=just-a-leaf", "-days", "1", "-addext", "basicConstraints=critical,CA:FALSE"});
  ASSERT_EQ(made.exit_code, 0) << made.Describe();
  std::string issuer = "not-a-ca-" + ns_;
  ASSERT_NO_FATAL_FAILURE(
      ApplyTlsSecret(issuer, ReadFile(files.File("tls.crt")), ReadFile(files.File("tls.key"))));
  ASSERT_NO_FATAL_FAILURE(ExpectCaIssuerRefused(
      issuer, issuer,
      "Error initializing issuer: error getting keypair for CA issuer: certificate is not a CA"));
  ExpectSettled("clusterissuer", issuer, "");
}

TEST_F(BadInput, CertificateWithAMissingIssuer) {
  auto applied = stack().Apply(Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: orphan, namespace: $NS}
spec:
  secretName: orphan-tls
  dnsNames: [orphan.example.com]
  privateKey: {algorithm: ECDSA}
  issuerRef: {name: nope}
)",
                                    {{"NS", ns_}}));
  ASSERT_TRUE(applied.ok()) << applied.message();
  json request;
  ASSERT_TRUE(WaitForObject(
      "certificaterequest", "orphan-1", ns_,
      [](const json& r) { return ConditionField(r, "Ready", "reason") == "Pending"; },
      std::chrono::seconds(30), &request))
      << request.dump(2) << Describe("certificate", "orphan");
  EXPECT_EQ(ConditionField(request, "Ready", "status"), "False");
  EXPECT_EQ(ConditionField(request, "Ready", "message"),
            "Referenced \"Issuer\" not found: issuer.cert-manager.io \"nope\" not found");
  EXPECT_THAT(EventsFor("orphan-1", ns_),
              ::testing::Contains("Normal IssuerNotFound: Referenced \"Issuer\" not found: "
                                  "issuer.cert-manager.io \"nope\" not found"));
  json cert = Get("certificate", "orphan");
  EXPECT_EQ(ConditionField(cert, "Ready", "reason"), "DoesNotExist");
  EXPECT_EQ(ConditionField(cert, "Issuing", "status"), "True");
  ExpectSettled("certificaterequest", "orphan-1", ns_);
  ExpectSettled("certificate", "orphan", ns_, std::chrono::seconds(0));
}

TEST_F(BadInput, KeystorePasswordSecretWithoutItsKey) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  json password = {{"apiVersion", "v1"},
                   {"kind", "Secret"},
                   {"metadata", {{"name", "keystore-password"}, {"namespace", ns_}}},
                   {"data", {{"wrong-key", core::Base64Encode("changeit")}}}};
  ASSERT_TRUE(stack().Apply(password.dump()).ok());
  auto applied = stack().Apply(Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: keystore, namespace: $NS}
spec:
  secretName: keystore-tls
  dnsNames: [keystore.example.com]
  keystores:
    pkcs12: {create: true, passwordSecretRef: {name: keystore-password, key: password}}
  issuerRef: {name: ca, kind: Issuer}
)",
                                    {{"NS", ns_}}));
  ASSERT_TRUE(applied.ok()) << applied.message();
  const std::string warning =
      "Warning SecretPasswordError: Failed to read keystore password: no key \"password\" in "
      "Secret \"keystore-password\"";
  WaitFor(
      [&] { return ::testing::Matches(::testing::Contains(warning))(EventsFor("keystore", ns_)); });
  ASSERT_THAT(EventsFor("keystore", ns_), ::testing::Contains(warning))
      << Describe("certificate", "keystore");
  EXPECT_NE(ConditionField(Get("certificate", "keystore"), "Ready", "status"), "True");
  EXPECT_EQ(Get("secret", "keystore-tls"), json::object()) << "no Secret without its keystore";
  EXPECT_TRUE(stack().ControllerRunning()) << stack().LogTails();

  // Once the password is there, the retries issue the certificate with its keystore.
  password["data"]["password"] = core::Base64Encode("changeit");
  ASSERT_TRUE(stack().Apply(password.dump()).ok());
  ASSERT_TRUE(WaitCertificateReady("keystore")) << Describe("certificate", "keystore");
  EXPECT_FALSE(SecretValue("keystore-tls", "keystore.p12").empty());
}

TEST_F(BadInput, MalformedIpAddress) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  std::string yaml = Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: bad-ip, namespace: $NS}
spec:
  secretName: bad-ip-tls
  dnsNames: [bad-ip.example.com]
  ipAddresses: ["10.0.0.999"]
  issuerRef: {name: ca, kind: Issuer}
)",
                          {{"NS", ns_}});
  auto applied = stack().Kubectl({"apply", "-f", "-"}, yaml);
  if (applied.exit_code != 0) {
    // Rejected at the door, as cert-manager's webhook does.
    EXPECT_THAT(applied.err, HasSubstr("10.0.0.999"));
    return;
  }
  // Accepted: then the Certificate must say what is wrong, and stay put.
  std::this_thread::sleep_for(std::chrono::seconds(5));
  json cert = Get("certificate", "bad-ip");
  std::string everything = cert.dump();
  for (const auto& e : EventsFor("bad-ip", ns_)) everything += "\n" + e;
  EXPECT_THAT(everything, HasSubstr("10.0.0.999")) << Describe("certificate", "bad-ip");
  EXPECT_EQ(Get("secret", "bad-ip-tls"), json::object());
  ExpectSettled("certificate", "bad-ip", ns_);
}

// A controller with no workers would start and then never reconcile anything.
TEST(ControllerFlags, ZeroWorkersIsRefusedAtStart) {
  auto run = RunCommand({BinDir() + "/controller", "--concurrent-workers", "0"}, "", {},
                        std::chrono::seconds(10));
  EXPECT_NE(run.exit_code, 0) << run.Describe();
  EXPECT_NE(run.exit_code, -1) << "still running: " << run.Describe();
  EXPECT_THAT(run.out + run.err, HasSubstr("--concurrent-workers")) << run.Describe();
}

}  // namespace
}  // namespace certforge::testing
