// A CertificateRequest's state read from its conditions, as cert-manager's apiutil and the
// issuing controller read it.

#include "services/controller/request_state.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using test::json;

json Condition(const std::string& type, const std::string& status, const std::string& reason,
               const std::string& when = "2026-01-01T00:00:00Z") {
  return {{"type", type}, {"status", status}, {"reason", reason}, {"lastTransitionTime", when}};
}

json Request(const json& conditions, const json& extra_status = json::object()) {
  json status = extra_status;
  status["conditions"] = conditions;
  return {{"metadata", {{"name", "web-1"}}}, {"spec", json::object()}, {"status", status}};
}

struct Case {
  std::string name;
  json conditions;
  bool approved, denied, invalid, issued, failed;
};

TEST(RequestState, Table) {
  const json approved = Condition("Approved", "True", "cert-manager.io");
  const std::vector<Case> cases = {
      {"new", json::array(), false, false, false, false, false},
      {"approved", json::array({approved}), true, false, false, false, false},
      {"approved, pending", json::array({approved, Condition("Ready", "False", "Pending")}), true,
       false, false, false, false},
      {"issued", json::array({approved, Condition("Ready", "True", "Issued")}), true, false, false,
       true, false},
      {"ready for another reason is not issued",
       json::array({approved, Condition("Ready", "True", "Pending")}), true, false, false, false,
       false},
      {"failed", json::array({approved, Condition("Ready", "False", "Failed")}), true, false, false,
       false, true},
      {"Ready=True with reason Failed is not a failure",
       json::array({Condition("Ready", "True", "Failed")}), false, false, false, false, false},
      {"denied", json::array({Condition("Denied", "True", "Policy")}), false, true, false, false,
       true},
      {"denied and Ready=False Denied",
       json::array({Condition("Denied", "True", "Policy"), Condition("Ready", "False", "Denied")}),
       false, true, false, false, true},
      {"invalid", json::array({Condition("InvalidRequest", "True", "BadCSR")}), false, false, true,
       false, true},
      {"InvalidRequest=False is not invalid",
       json::array({Condition("InvalidRequest", "False", "")}), false, false, false, false, false},
      {"Approved=False is not approved", json::array({Condition("Approved", "False", "x")}), false,
       false, false, false, false},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    json r = Request(c.conditions);
    EXPECT_EQ(RequestApproved(r), c.approved);
    EXPECT_EQ(RequestDenied(r), c.denied);
    EXPECT_EQ(RequestInvalid(r), c.invalid);
    EXPECT_EQ(RequestIssued(r), c.issued);
    EXPECT_EQ(RequestFailed(r), c.failed);
    EXPECT_EQ(RequestFinal(r), c.issued || c.failed);
  }
  EXPECT_FALSE(RequestFinal(json::object()));
}

struct FinishedCase {
  std::string name;
  json request;
  json condition;  // the Certificate's Issuing condition
  bool before;
};

TEST(RequestFinishedBefore, Table) {
  const json issuing = Condition("Issuing", "True", "Renewing", "2026-01-01T12:00:00Z");
  const json failed_at_11 =
      json::array({Condition("Ready", "False", "Failed", "2026-01-01T11:00:00Z")});
  const json failed_at_13 =
      json::array({Condition("Ready", "False", "Failed", "2026-01-01T13:00:00Z")});
  const std::vector<FinishedCase> cases = {
      {"failureTime before", Request(failed_at_13, {{"failureTime", "2026-01-01T11:59:59Z"}}),
       issuing, true},
      {"failureTime after", Request(failed_at_11, {{"failureTime", "2026-01-01T12:00:01Z"}}),
       issuing, false},
      {"failureTime equal", Request(failed_at_11, {{"failureTime", "2026-01-01T12:00:00Z"}}),
       issuing, false},
      {"failureTime wins over Ready",
       Request(failed_at_11, {{"failureTime", "2026-01-01T13:00:00Z"}}), issuing, false},
      {"Ready's transition before", Request(failed_at_11), issuing, true},
      {"Ready's transition after", Request(failed_at_13), issuing, false},
      {"no time at all", Request(json::array()), issuing, false},
      {"unreadable failureTime", Request(failed_at_11, {{"failureTime", "yesterday"}}), issuing,
       false},
      {"condition without a time", Request(failed_at_11),
       json({{"type", "Issuing"}, {"status", "True"}}), false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(RequestFinishedBefore(c.request, c.condition), c.before);
  }
}

}  // namespace
}  // namespace certforge::controller
