// What cert-manager's webhook refuses, refused by the controller with the webhook's field paths.

#include "services/controller/certificate_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace certforge::controller {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

json Certificate(json spec) {
  json base = {{"secretName", "web-tls"},
               {"dnsNames", {"web.example.com"}},
               {"issuerRef", {{"name", "ca"}, {"kind", "ClusterIssuer"}}}};
  base.merge_patch(spec);
  return {{"apiVersion", "cert-manager.io/v1"},
          {"kind", "Certificate"},
          {"metadata", {{"name", "web"}, {"namespace", "default"}}},
          {"spec", base}};
}

std::string AllProblems(const json& certificate) {
  std::string all;
  for (const auto& p : ValidateCertificate(certificate)) all += p + "\n";
  return all;
}

TEST(ValidateCertificate, AcceptsAnOrdinaryCertificate) {
  EXPECT_THAT(ValidateCertificate(Certificate(json::object())), IsEmpty());
  EXPECT_THAT(ValidateCertificate(Certificate({{"renewBefore", "720h"}, {"duration", "2160h"}})),
              IsEmpty());
  EXPECT_THAT(ValidateCertificate(Certificate({{"renewBeforePercentage", 25}})), IsEmpty());
}

TEST(ValidateCertificate, RefusesWhatTheWebhookRefuses) {
  struct Case {
    const char* name;
    json spec;
    const char* field;  // the field path the message must name
  };
  const Case cases[] = {
      {"no names at all", {{"dnsNames", nullptr}}, "spec: Invalid value: \"\": at least one of"},
      {"renewBefore equal to duration",
       {{"duration", "24h"}, {"renewBefore", "24h"}},
       "spec.renewBefore"},
      {"renewBefore longer than duration",
       {{"duration", "24h"}, {"renewBefore", "48h"}},
       "spec.renewBefore"},
      {"renewBefore under five minutes", {{"renewBefore", "1m"}}, "spec.renewBefore"},
      {"renewBefore and renewBeforePercentage",
       {{"renewBefore", "1h"}, {"renewBeforePercentage", 20}},
       "spec.renewBefore"},
      {"renewBeforePercentage of 100",
       {{"renewBeforePercentage", 100}},
       "spec.renewBeforePercentage"},
      {"subject with literalSubject",
       {{"subject", {{"organizations", {"Example"}}}}, {"literalSubject", "CN=web"}},
       "no `Subject` properties may be provided"},
      {"unknown issuer kind", {{"issuerRef", {{"kind", "Issuers"}}}}, "spec.issuerRef.kind"},
      {"issuer without a name", {{"issuerRef", {{"name", ""}}}}, "spec.issuerRef.name"},
      {"malformed IP address", {{"ipAddresses", {"10.0.0.256"}}}, "spec.ipAddresses[0]"},
      {"malformed email address",
       {{"emailAddresses", {"not an address"}}},
       "spec.emailAddresses[0]"},
      {"no secretName", {{"secretName", ""}}, "spec.secretName"},
      {"cert-manager.io annotation in the secretTemplate",
       {{"secretTemplate", {{"annotations", {{"cert-manager.io/issuer-name", "x"}}}}}},
       "spec.secretTemplate.annotations"},
      {"keystore with both passwords",
       {{"keystores",
         {{"pkcs12",
           {{"create", true},
            {"password", "p"},
            {"passwordSecretRef", {{"name", "s"}, {"key", "k"}}}}}}}},
       "spec.keystores.pkcs12"},
  };
  for (const auto& c : cases) {
    std::string problems = AllProblems(Certificate(c.spec));
    EXPECT_THAT(problems, HasSubstr(c.field)) << c.name << ":\n" << problems;
  }
}

TEST(ValidationMessage, ListsSeveralProblemsAsTheWebhookDoes) {
  EXPECT_EQ(ValidationMessage({"spec.a: bad"}), "Resource validation failed: spec.a: bad");
  EXPECT_EQ(ValidationMessage({"spec.a: bad", "spec.b: worse"}),
            "Resource validation failed: [spec.a: bad, spec.b: worse]");
}

}  // namespace
}  // namespace certforge::controller
