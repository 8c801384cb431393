// RemainingBackoff: the trigger controller's wait after failed issuances
// (pkg/controller/certificates/trigger: shouldBackoffReissuingOnFailure and its tests).

#include "services/controller/certificate_trigger.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;
using test::At;
using test::json;

const json kSpec = test::WebSpec();

// The failed request of the next revision, still matching the spec.
json NextRequest() {
  return test::RequestResource(test::CsrPem(kSpec, test::OtherEcKey()),
                               {{"issuerRef", kSpec["issuerRef"]}, {"isCA", false}},
                               {{"failureTime", "2026-01-01T10:00:00Z"}});
}

struct Case {
  std::string name;
  std::function<void(json& certificate, json& next, bool& has_next)> change;
  std::string now;
  seconds expected;
};

TEST(RemainingBackoff, Table) {
  auto failed = [](int attempts) {
    return [attempts](json& c, json&, bool& has_next) {
      c["status"]["failedIssuanceAttempts"] = attempts;
      has_next = false;
    };
  };
  const std::vector<Case> cases = {
      {"never failed",
       [](json& c, json&, bool&) {
         c["status"].erase("lastFailureTime");
         c["status"].erase("failedIssuanceAttempts");
       },
       "2026-01-01T10:10:00Z", seconds(0)},
      {"unreadable lastFailureTime",
       [](json& c, json&, bool&) { c["status"]["lastFailureTime"] = "x"; }, "2026-01-01T10:10:00Z",
       seconds(0)},
      {"one failure, ten minutes ago", failed(1), "2026-01-01T10:10:00Z", minutes(50)},
      {"attempts unknown: the minimum",
       [](json& c, json&, bool& has_next) {
         c["status"].erase("failedIssuanceAttempts");
         has_next = false;
       },
       "2026-01-01T10:10:00Z", minutes(50)},
      {"zero attempts: the minimum", failed(0), "2026-01-01T10:10:00Z", minutes(50)},
      {"third failure: 4h", failed(3), "2026-01-01T10:10:00Z", hours(4) - minutes(10)},
      {"seventh failure: capped at 32h", failed(7), "2026-01-01T10:10:00Z",
       hours(32) - minutes(10)},
      {"window just over", failed(1), "2026-01-01T11:00:00Z", seconds(0)},
      {"a second before the end", failed(1), "2026-01-01T10:59:59Z", seconds(1)},
      {"long past", failed(2), "2026-01-03T00:00:00Z", seconds(0)},
      {"clock behind the failure", failed(1), "2026-01-01T09:50:00Z", minutes(70)},
      {"next request still matches the spec", [](json&, json&, bool&) {}, "2026-01-01T10:10:00Z",
       minutes(50)},
      {"next request differs only by issuerRef defaults",
       [](json&, json& next, bool&) {
         next["spec"]["issuerRef"] = {
             {"name", "ca"}, {"kind", "Issuer"}, {"group", "cert-manager.io"}};
       },
       "2026-01-01T10:10:00Z", minutes(50)},
      // A spec change is issued at once, whatever failed before.
      {"dnsNames changed since the failed request",
       [](json& c, json&, bool&) { c["spec"]["dnsNames"] = {"www.example.com"}; },
       "2026-01-01T10:10:00Z", seconds(0)},
      {"isCA changed since the failed request",
       [](json& c, json&, bool&) { c["spec"]["isCA"] = true; }, "2026-01-01T10:10:00Z", seconds(0)},
      {"usages changed since the failed request",
       [](json& c, json&, bool&) { c["spec"]["usages"] = {"server auth"}; }, "2026-01-01T10:10:00Z",
       seconds(0)},
      {"duration changed since the failed request",
       [](json& c, json& next, bool&) {
         next["spec"]["duration"] = "2160h0m0s";
         c["spec"]["duration"] = "720h";
       },
       "2026-01-01T10:10:00Z", seconds(0)},
      {"issuerRef changed since the failed request",
       [](json& c, json&, bool&) { c["spec"]["issuerRef"]["name"] = "other-ca"; },
       "2026-01-01T10:10:00Z", seconds(0)},
      {"next request unreadable",
       [](json&, json& next, bool&) { next["spec"]["request"] = test::Base64("garbage"); },
       "2026-01-01T10:10:00Z", seconds(0)},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    json certificate = test::CertificateResource(
        kSpec, {{"lastFailureTime", "2026-01-01T10:00:00Z"}, {"failedIssuanceAttempts", 1}});
    json next = NextRequest();
    bool has_next = true;
    c.change(certificate, next, has_next);
    EXPECT_EQ(
        RemainingBackoff(certificate, has_next ? &next : nullptr, hours(1), hours(32), At(c.now)),
        c.expected);
  }
}

TEST(RemainingBackoff, NoMinimumMeansNoBackoff) {
  json certificate = test::CertificateResource(
      kSpec, {{"lastFailureTime", "2026-01-01T10:00:00Z"}, {"failedIssuanceAttempts", 3}});
  EXPECT_EQ(
      RemainingBackoff(certificate, nullptr, seconds(0), hours(32), At("2026-01-01T10:00:01Z")),
      seconds(0));
}

TEST(RemainingBackoff, ConfiguredBounds) {
  json certificate = test::CertificateResource(
      kSpec, {{"lastFailureTime", "2026-01-01T10:00:00Z"}, {"failedIssuanceAttempts", 4}});
  // 5m × 2³ = 40m, capped at 30m.
  EXPECT_EQ(
      RemainingBackoff(certificate, nullptr, minutes(5), minutes(30), At("2026-01-01T10:20:00Z")),
      minutes(10));
}

}  // namespace
}  // namespace certforge::controller
