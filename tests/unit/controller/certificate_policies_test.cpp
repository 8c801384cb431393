// The trigger and readiness policy chains against Secrets and CertificateRequests built with
// real keys, certificates and CSRs: every reason, in cert-manager's order, and the quiet case
// (internal/controller/certificates/policies: policies.go, checks.go, checks_test.go).

#include "services/controller/certificate_policies.h"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using test::At;
using test::json;

// Issued 2026-01-01 for 90 days: renewal due 2026-03-02, expiry 2026-04-01 (a Wednesday).
const json kSpec = {
    {"secretName", "web-tls"},
    {"issuerRef", {{"name", "ca"}, {"kind", "Issuer"}, {"group", "cert-manager.io"}}},
    {"dnsNames", {"web.example.com"}},
    {"duration", "2160h"},
    {"privateKey", {{"algorithm", "ECDSA"}}}};
const char kIssuedAt[] = "2026-01-01T00:00:00Z";

// Everything one evaluation looks at, starting from a Certificate that is up to date.
struct State {
  json certificate;
  std::optional<json> secret;
  std::optional<json> request;
  test::TimePoint now;

  json& annotations() { return (*secret)["metadata"]["annotations"]; }
  json& spec() { return certificate["spec"]; }
};

const test::Issued& IssuedCertificate() {
  static const test::Issued issued = test::IssueSelfSigned(kSpec, test::EcKey(), At(kIssuedAt));
  return issued;
}

State UpToDate() {
  State s;
  s.certificate = test::CertificateResource(kSpec, {{"renewalTime", "2026-03-02T00:00:00Z"}});
  s.secret = test::TlsSecret(test::Pkcs8(test::EcKey()), IssuedCertificate().chain_pem,
                             {{"cert-manager.io/issuer-name", "ca"},
                              {"cert-manager.io/issuer-kind", "Issuer"},
                              {"cert-manager.io/issuer-group", "cert-manager.io"},
                              {"cert-manager.io/certificate-name", "web"}});
  s.request = test::RequestResource(
      test::CsrPem(kSpec, test::EcKey()),
      {{"issuerRef", kSpec["issuerRef"]}, {"duration", "2160h0m0s"}, {"isCA", false}});
  s.now = At("2026-01-02T00:00:00Z");
  return s;
}

std::optional<PolicyViolation> Evaluate(const State& s, bool trigger) {
  PolicyInput input{s.certificate, s.secret ? &*s.secret : nullptr,
                    s.request ? &*s.request : nullptr};
  return trigger ? EvaluateTriggerPolicies(input, s.now) : EvaluateReadinessPolicies(input, s.now);
}

struct Case {
  std::string name;
  std::function<void(State&)> change;
  std::string reason;   // "" when nothing is violated
  std::string message;  // exact, or a prefix when it ends in "..."
};

void ExpectViolation(const Case& c, bool trigger) {
  SCOPED_TRACE(c.name);
  State s = UpToDate();
  c.change(s);
  auto v = Evaluate(s, trigger);
  if (c.reason.empty()) {
    EXPECT_FALSE(v.has_value()) << v->reason << ": " << v->message;
    return;
  }
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->reason, c.reason);
  if (c.message.size() > 3 && c.message.ends_with("...")) {
    EXPECT_TRUE(v->message.starts_with(c.message.substr(0, c.message.size() - 3))) << v->message;
  } else {
    EXPECT_EQ(v->message, c.message);
  }
}

void NoChange(State&) {}
void SetData(State& s, const std::string& key, const std::string& value) {
  (*s.secret)["data"][key] = test::Base64(value);
}

const char kIssuedBy[] = "Issuing certificate as Secret was previously issued by ";
const char kRequestChanged[] = "Fields on existing CertificateRequest resource not up to date: ";
const char kWrongName[] =
    "Secret was issued for \"other\". If this message is not transient, you might have two "
    "conflicting Certificates pointing to the same secret.";

// The checks both chains share, each one with the first input that fails it.
std::vector<Case> SharedCases() {
  return {
      {"up to date", NoChange, "", ""},
      {"no Secret", [](State& s) { s.secret.reset(); }, "DoesNotExist",
       "Issuing certificate as Secret does not exist"},
      {"no data", [](State& s) { s.secret->erase("data"); }, "MissingData",
       "Issuing certificate as Secret does not contain any data"},
      {"no private key", [](State& s) { (*s.secret)["data"].erase("tls.key"); }, "MissingData",
       "Issuing certificate as Secret does not contain a private key"},
      {"empty private key", [](State& s) { SetData(s, "tls.key", ""); }, "MissingData",
       "Issuing certificate as Secret does not contain a private key"},
      {"no certificate", [](State& s) { (*s.secret)["data"].erase("tls.crt"); }, "MissingData",
       "Issuing certificate as Secret does not contain a certificate"},
      {"unreadable private key", [](State& s) { SetData(s, "tls.key", "not a key"); },
       "InvalidKeyPair", "Issuing certificate as Secret contains invalid private key data: ..."},
      {"unreadable key and certificate",
       [](State& s) {
         SetData(s, "tls.key", "not a key");
         SetData(s, "tls.crt", "not a certificate");
       },
       "InvalidKeyPair", "Issuing certificate as Secret contains invalid private key data: ..."},
      {"unreadable certificate", [](State& s) { SetData(s, "tls.crt", "not a certificate"); },
       "InvalidCertificate", "Issuing certificate as Secret contains an invalid certificate: ..."},
      {"key of another certificate",
       [](State& s) { SetData(s, "tls.key", test::Pkcs8(test::OtherEcKey())); }, "InvalidKeyPair",
       "Issuing certificate as Secret contains a private key that does not match the "
       "certificate"},
      {"another issuer name",
       [](State& s) { s.annotations()["cert-manager.io/issuer-name"] = "old"; }, "IncorrectIssuer",
       std::string(kIssuedBy) + "\"Issuer.cert-manager.io/old\""},
      {"another issuer kind",
       [](State& s) { s.annotations()["cert-manager.io/issuer-kind"] = "ClusterIssuer"; },
       "IncorrectIssuer", std::string(kIssuedBy) + "\"ClusterIssuer.cert-manager.io/ca\""},
      {"another issuer group",
       [](State& s) { s.annotations()["cert-manager.io/issuer-group"] = "example.io"; },
       "IncorrectIssuer", std::string(kIssuedBy) + "\"Issuer.example.io/ca\""},
      {"empty kind and group annotations are the defaults",
       [](State& s) {
         s.annotations()["cert-manager.io/issuer-kind"] = "";
         s.annotations()["cert-manager.io/issuer-group"] = "";
       },
       "", ""},
      {"only the issuer name annotation, defaults in the ref",
       [](State& s) {
         s.annotations().erase("cert-manager.io/issuer-kind");
         s.annotations().erase("cert-manager.io/issuer-group");
       },
       "", ""},
      {"explicit annotations, ref without kind and group",
       [](State& s) {
         s.spec()["issuerRef"] = {{"name", "ca"}};
         (*s.request)["spec"]["issuerRef"] = {{"name", "ca"}};
       },
       "", ""},
      {"missing kind annotation read as Issuer for a ClusterIssuer ref",
       [](State& s) {
         s.annotations().erase("cert-manager.io/issuer-kind");
         s.spec()["issuerRef"]["kind"] = "ClusterIssuer";
       },
       "IncorrectIssuer", std::string(kIssuedBy) + "\"Issuer.cert-manager.io/ca\""},
      {"no issuer annotations, default ref",
       [](State& s) {
         for (const char* k : {"cert-manager.io/issuer-name", "cert-manager.io/issuer-kind",
                               "cert-manager.io/issuer-group"}) {
           s.annotations().erase(k);
         }
       },
       "", ""},
      // A Secret without provenance still mismatches a ref to another kind or group.
      {"no issuer annotations, ClusterIssuer ref",
       [](State& s) {
         s.secret->at("metadata").erase("annotations");
         s.spec()["issuerRef"]["kind"] = "ClusterIssuer";
         (*s.request)["spec"]["issuerRef"]["kind"] = "ClusterIssuer";
       },
       "IncorrectIssuer", std::string(kIssuedBy) + "\"Issuer.cert-manager.io/\""},
      {"issued for another Certificate",
       [](State& s) { s.annotations()["cert-manager.io/certificate-name"] = "other"; },
       "IncorrectCertificate", kWrongName},
      {"no certificate-name annotation",
       [](State& s) { s.annotations().erase("cert-manager.io/certificate-name"); }, "", ""},
      {"key size changed", [](State& s) { s.spec()["privateKey"]["size"] = 384; }, "SecretMismatch",
       "Existing private key is not up to date for spec: [spec.privateKey.size]"},
      {"key algorithm changed to Ed25519",
       [](State& s) {
         s.spec()["privateKey"] = {{"algorithm", "Ed25519"}};
       },
       "SecretMismatch",
       "Existing private key is not up to date for spec: [spec.privateKey.algorithm]"},
      {"key algorithm left to the RSA default", [](State& s) { s.spec().erase("privateKey"); },
       "SecretMismatch",
       "Existing private key is not up to date for spec: [spec.privateKey.algorithm]"},
      {"current request signed by another key",
       [](State& s) {
         (*s.request)["spec"]["request"] = test::Base64(test::CsrPem(kSpec, test::OtherEcKey()));
       },
       "SecretMismatch",
       "Secret contains a private key that does not match the current CertificateRequest"},
      {"current request unreadable",
       [](State& s) { (*s.request)["spec"]["request"] = test::Base64("not a CSR"); },
       "InvalidCertificateRequest", "Failed to decode current CertificateRequest: ..."},
      {"dnsNames changed", [](State& s) { s.spec()["dnsNames"] = {"www.example.com"}; },
       "RequestChanged", std::string(kRequestChanged) + "[spec.dnsNames]"},
      {"isCA changed", [](State& s) { s.spec()["isCA"] = true; }, "RequestChanged",
       std::string(kRequestChanged) + "[spec.isCA]"},
      {"usages changed",
       [](State& s) {
         s.spec()["usages"] = {"digital signature", "key encipherment", "server auth"};
       },
       "RequestChanged", std::string(kRequestChanged) + "[spec.usages]"},
      {"duration changed", [](State& s) { s.spec()["duration"] = "48h"; }, "RequestChanged",
       std::string(kRequestChanged) + "[spec.duration]"},
      {"the same duration written differently",
       [](State& s) { s.spec()["duration"] = "2160h0m0s"; }, "", ""},
      {"several fields changed",
       [](State& s) {
         s.spec()["dnsNames"] = {"www.example.com"};
         s.spec()["duration"] = "48h";
       },
       "RequestChanged", std::string(kRequestChanged) + "[spec.dnsNames spec.duration]"},
      {"issuerRef changed (Secret without issuer annotations)",
       [](State& s) {
         s.secret->at("metadata").erase("annotations");
         s.spec()["issuerRef"]["name"] = "other-ca";
       },
       "RequestChanged", std::string(kRequestChanged) + "[spec.issuerRef]"},
      {"issuerRef defaults dropped from the Certificate only",
       [](State& s) {
         s.spec()["issuerRef"] = {{"name", "ca"}};
       },
       "", ""},
      {"no current request: the issued certificate is compared",
       [](State& s) {
         s.request.reset();
         s.spec()["dnsNames"] = {"www.example.com"};
       },
       "SecretMismatch",
       "Issuing certificate as Existing issued Secret is not up to date for spec: "
       "[spec.dnsNames]"},
      {"no current request, certificate up to date", [](State& s) { s.request.reset(); }, "", ""},
      {"no current request: only names are compared",
       [](State& s) {
         s.request.reset();
         s.spec()["duration"] = "48h";
         s.spec()["usages"] = {"server auth"};
       },
       "", ""},
      // When several checks fail, the first in cert-manager's order wins.
      {"issuer before certificate name",
       [](State& s) {
         s.annotations()["cert-manager.io/issuer-name"] = "old";
         s.annotations()["cert-manager.io/certificate-name"] = "other";
       },
       "IncorrectIssuer", std::string(kIssuedBy) + "\"Issuer.cert-manager.io/old\""},
      {"issuer before private key spec",
       [](State& s) {
         s.annotations()["cert-manager.io/issuer-name"] = "old";
         s.spec()["privateKey"]["size"] = 384;
       },
       "IncorrectIssuer", std::string(kIssuedBy) + "\"Issuer.cert-manager.io/old\""},
      {"certificate name before private key spec",
       [](State& s) {
         s.annotations()["cert-manager.io/certificate-name"] = "other";
         s.spec()["privateKey"]["size"] = 384;
       },
       "IncorrectCertificate", kWrongName},
      {"private key spec before the current request",
       [](State& s) {
         s.spec()["privateKey"]["size"] = 384;
         s.spec()["dnsNames"] = {"www.example.com"};
         (*s.request)["spec"]["request"] = test::Base64(test::CsrPem(kSpec, test::OtherEcKey()));
       },
       "SecretMismatch", "Existing private key is not up to date for spec: [spec.privateKey.size]"},
      {"request key before request fields",
       [](State& s) {
         s.spec()["dnsNames"] = {"www.example.com"};
         (*s.request)["spec"]["request"] = test::Base64(test::CsrPem(kSpec, test::OtherEcKey()));
       },
       "SecretMismatch",
       "Secret contains a private key that does not match the current CertificateRequest"},
      {"request fields before time",
       [](State& s) {
         s.spec()["dnsNames"] = {"www.example.com"};
         s.now = At("2026-05-01T00:00:00Z");
       },
       "RequestChanged", std::string(kRequestChanged) + "[spec.dnsNames]"},
  };
}

TEST(TriggerPolicies, SharedChecks) {
  for (const Case& c : SharedCases()) ExpectViolation(c, /*trigger=*/true);
}

TEST(ReadinessPolicies, SharedChecks) {
  for (const Case& c : SharedCases()) ExpectViolation(c, /*trigger=*/false);
}

TEST(TriggerPolicies, RenewsFromRenewalTimeOn) {
  const std::string due = "Renewing certificate as renewal was scheduled at ";
  std::vector<Case> cases = {
      {"a second before", [](State& s) { s.now = At("2026-03-01T23:59:59Z"); }, "", ""},
      {"at renewal time", [](State& s) { s.now = At("2026-03-02T00:00:00Z"); }, "Renewing",
       due + "2026-03-02 00:00:00 +0000 UTC"},
      {"after renewal time", [](State& s) { s.now = At("2026-03-20T08:00:00Z"); }, "Renewing",
       due + "2026-03-02 00:00:00 +0000 UTC"},
      {"after expiry", [](State& s) { s.now = At("2026-06-01T00:00:00Z"); }, "Renewing",
       due + "2026-03-02 00:00:00 +0000 UTC"},
      {"message without status.renewalTime: the computed time",
       [](State& s) {
         s.certificate["status"].erase("renewalTime");
         s.now = At("2026-03-05T00:00:00Z");
       },
       "Renewing", due + "2026-03-02 00:00:00 +0000 UTC"},
      {"renewBefore: a second before",
       [](State& s) {
         s.spec()["renewBefore"] = "240h";
         s.now = At("2026-03-21T23:59:59Z");
       },
       "", ""},
      {"renewBefore: at renewal time",
       [](State& s) {
         s.spec()["renewBefore"] = "240h";
         s.certificate["status"]["renewalTime"] = "2026-03-22T00:00:00Z";
         s.now = At("2026-03-22T00:00:00Z");
       },
       "Renewing", due + "2026-03-22 00:00:00 +0000 UTC"},
      {"renewBeforePercentage",
       [](State& s) {
         s.spec()["renewBeforePercentage"] = 50;
         s.certificate["status"]["renewalTime"] = "2026-02-15T00:00:00Z";
         s.now = At("2026-02-15T00:00:00Z");
       },
       "Renewing", due + "2026-02-15 00:00:00 +0000 UTC"},
      {"renewal disabled",
       [](State& s) {
         s.spec()["renewal"] = {{"policy", "Disabled"}};
         s.now = At("2026-03-31T00:00:00Z");
       },
       "", ""},
  };
  for (const Case& c : cases) ExpectViolation(c, /*trigger=*/true);
}

TEST(ReadinessPolicies, ExpiredOnlyAfterNotAfter) {
  std::vector<Case> cases = {
      {"due for renewal is still ready", [](State& s) { s.now = At("2026-03-20T00:00:00Z"); }, "",
       ""},
      {"at notAfter", [](State& s) { s.now = At("2026-04-01T00:00:00Z"); }, "", ""},
      {"a second after notAfter", [](State& s) { s.now = At("2026-04-01T00:00:01Z"); }, "Expired",
       "Certificate expired on Wed, 01 Apr 2026 00:00:00 UTC"},
      {"expired with renewal disabled",
       [](State& s) {
         s.spec()["renewal"] = {{"policy", "Disabled"}};
         s.now = At("2027-01-01T00:00:00Z");
       },
       "Expired", "Certificate expired on Wed, 01 Apr 2026 00:00:00 UTC"},
  };
  for (const Case& c : cases) ExpectViolation(c, /*trigger=*/false);
}

TEST(TriggerPolicies, DoesNotReportExpiry) {
  State s = UpToDate();
  s.now = At("2026-04-02T00:00:00Z");
  auto v = Evaluate(s, /*trigger=*/true);
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->reason, "Renewing");
}

TEST(RenewalSpecOf, ReadsTheCertificateFields) {
  auto none = RenewalSpecOf(test::CertificateResource(kSpec));
  EXPECT_FALSE(none.renew_before.has_value());
  EXPECT_FALSE(none.renew_before_percentage.has_value());
  EXPECT_FALSE(none.disabled);

  json spec = kSpec;
  spec["renewBefore"] = "1h30m";
  spec["renewBeforePercentage"] = 40;
  spec["renewal"] = {{"policy", "Disabled"}};
  auto all = RenewalSpecOf(test::CertificateResource(spec));
  EXPECT_EQ(all.renew_before, std::chrono::seconds(5400));
  EXPECT_EQ(all.renew_before_percentage, 40);
  EXPECT_TRUE(all.disabled);

  spec["renewBefore"] = "soon";
  spec["renewal"] = {{"policy", "RenewBefore"}};
  auto odd = RenewalSpecOf(test::CertificateResource(spec));
  EXPECT_FALSE(odd.renew_before.has_value());
  EXPECT_FALSE(odd.disabled);
}

}  // namespace
}  // namespace certforge::controller
