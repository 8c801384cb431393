// CaKeyPairProblem: whether a CA issuer's Secret can sign.

#include "services/controller/issuer_readiness.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using test::At;
using test::json;

const test::Issued& CaCertificate() {
  static const test::Issued ca = test::IssueSelfSigned(
      {{"commonName", "Example CA"}, {"isCA", true}, {"privateKey", {{"algorithm", "ECDSA"}}}},
      test::EcKey(), At("2026-01-01T00:00:00Z"));
  return ca;
}

const test::Issued& LeafCertificate() {
  static const test::Issued leaf = test::IssueSelfSigned(
      {{"dnsNames", {"web.example.com"}}, {"privateKey", {{"algorithm", "ECDSA"}}}}, test::EcKey(),
      At("2026-01-01T00:00:00Z"));
  return leaf;
}

struct Case {
  std::string name;
  std::function<json()> secret;
  std::string problem;  // "" for a usable CA; a prefix when it ends in "..."
};

TEST(CaKeyPairProblem, Table) {
  const std::string ca_key = test::Pkcs8(test::EcKey());
  const std::vector<Case> cases = {
      {"CA certificate with its key",
       [&] { return test::TlsSecret(ca_key, CaCertificate().chain_pem); }, ""},
      {"PKCS#1/SEC1 key",
       [&] { return test::TlsSecret(*test::EcKey().ToPkcs1Pem(), CaCertificate().chain_pem); }, ""},
      {"no data",
       [] {
         return json({{"metadata", {{"name", "ca"}}}});
       },
       "no data for \"tls.crt\" in secret"},
      {"no certificate",
       [&] {
         json s = test::TlsSecret(ca_key, CaCertificate().chain_pem);
         s["data"].erase("tls.crt");
         return s;
       },
       "no data for \"tls.crt\" in secret"},
      {"no key",
       [&] {
         json s = test::TlsSecret(ca_key, CaCertificate().chain_pem);
         s["data"].erase("tls.key");
         return s;
       },
       "no data for \"tls.key\" in secret"},
      {"unreadable certificate", [&] { return test::TlsSecret(ca_key, "junk"); },
       "error decoding certificate: ..."},
      {"unreadable key", [&] { return test::TlsSecret("junk", CaCertificate().chain_pem); },
       "error decoding private key: ..."},
      {"not a CA", [&] { return test::TlsSecret(ca_key, LeafCertificate().chain_pem); },
       "certificate is not a CA"},
      {"key of another certificate",
       [&] { return test::TlsSecret(test::Pkcs8(test::OtherEcKey()), CaCertificate().chain_pem); },
       "the private key does not match the certificate"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    std::string problem = CaKeyPairProblem(c.secret());
    if (c.problem.ends_with("...")) {
      EXPECT_TRUE(problem.starts_with(c.problem.substr(0, c.problem.size() - 3))) << problem;
      EXPECT_GT(problem.size(), c.problem.size() - 3);
    } else {
      EXPECT_EQ(problem, c.problem);
    }
  }
}

}  // namespace
}  // namespace certforge::controller
