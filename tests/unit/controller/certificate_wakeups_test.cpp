// Which certificate controllers a CertificateRequest or Secret change wakes, with each
// controller's own kWakeOn: a routing mistake here would leave a Certificate stuck until its
// next resync, or wake controllers that have nothing to read.

#include "services/controller/certificate_wakeups.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "services/controller/certificate_issuing.h"
#include "services/controller/certificate_readiness.h"
#include "services/controller/certificate_trigger.h"
#include "services/controller/controller_context.h"
#include "services/controller/key_manager.h"
#include "services/controller/request_manager.h"
#include "services/controller/revision_manager.h"

namespace certforge::controller {
namespace {

using nlohmann::json;
using Woken = std::set<std::pair<std::string, std::string>>;  // (controller, certificate key)

// The six certificate controllers wired as the controller process wires them, recording wake-ups,
// over a certificate index holding one Certificate "apps/web" (uid "uid-web", Secret "web-tls").
class CertificateWakeupsTest : public testing::Test {
 protected:
  CertificateWakeupsTest()
      : wakeups_(
            [this](const char* index, const std::string& value) {
              auto it = index_.find({index, value});
              return it == index_.end() ? std::vector<std::string>{} : it->second;
            },
            [this](const std::string& key, unsigned controllers) {
              ++enqueues_;
              for (size_t i = 0; i < names_.size(); ++i) {
                if (controllers & (1u << i)) woken_.insert({names_[i], key});
              }
            }) {
    index_[{kIndexBySecret, "apps/web-tls"}] = {"apps/web"};
    index_[{kIndexByUid, "uid-web"}] = {"apps/web"};
    const std::vector<std::pair<std::string, unsigned>> controllers = {
        {"trigger", CertificateTrigger::kWakeOn},
        {"key-manager", KeyManager::kWakeOn},
        {"request-manager", RequestManager::kWakeOn},
        {"issuing", CertificateIssuing::kWakeOn},
        {"readiness", CertificateReadiness::kWakeOn},
        {"revision-manager", RevisionManager::kWakeOn},
    };
    for (const auto& [name, wake_on] : controllers) {
      names_.push_back(name);
      wakeups_.AddController(wake_on);
    }
  }

  static Woken For(const std::string& key, const std::vector<std::string>& controllers) {
    Woken expected;
    for (const auto& c : controllers) expected.insert({c, key});
    return expected;
  }

  std::map<std::pair<std::string, std::string>, std::vector<std::string>> index_;
  std::vector<std::string> names_;  // by bit
  CertificateWakeups wakeups_;
  Woken woken_;
  int enqueues_ = 0;
};

TEST_F(CertificateWakeupsTest, ItsCertificateWakesAllSixInOneEnqueue) {
  wakeups_.Wake("apps/web");
  EXPECT_EQ(woken_, For("apps/web", {"trigger", "key-manager", "request-manager", "issuing",
                                     "readiness", "revision-manager"}));
  // Queued once for all six: one hand-off to a worker, not six.
  EXPECT_EQ(enqueues_, 1);
}

TEST_F(CertificateWakeupsTest, ARequestWakesAllButTheKeyManager) {
  wakeups_.OnRequest(json{{"metadata",
                           {{"namespace", "apps"},
                            {"name", "web-1"},
                            {"annotations", {{"cert-manager.io/certificate-name", "web"}}}}}});
  EXPECT_EQ(woken_, For("apps/web", {"trigger", "request-manager", "issuing", "readiness",
                                     "revision-manager"}));
}

TEST_F(CertificateWakeupsTest, ARequestWithoutTheCertificateAnnotationWakesNothing) {
  wakeups_.OnRequest(json{{"metadata", {{"namespace", "apps"}, {"name", "web-1"}}}});
  wakeups_.OnRequest(json{{"metadata", {{"namespace", "apps"}, {"annotations", nullptr}}}});
  wakeups_.OnRequest(json::object());
  EXPECT_TRUE(woken_.empty());
  EXPECT_EQ(enqueues_, 0);
}

TEST_F(CertificateWakeupsTest, TheNamedSecretWakesAllButTheRevisionManager) {
  wakeups_.OnSecret(json{{"metadata", {{"namespace", "apps"}, {"name", "web-tls"}}}});
  EXPECT_EQ(woken_,
            For("apps/web", {"trigger", "key-manager", "request-manager", "issuing", "readiness"}));
}

TEST_F(CertificateWakeupsTest, AnOwnedSecretWakesWhoReadsTheNextPrivateKey) {
  wakeups_.OnSecret(json{{"metadata",
                          {{"namespace", "apps"},
                           {"name", "web-abcde"},
                           {"ownerReferences", {{{"uid", "uid-web"}}, {{"uid", "uid-other"}}}}}}});
  EXPECT_EQ(woken_, For("apps/web", {"key-manager", "request-manager", "issuing"}));
}

TEST_F(CertificateWakeupsTest, ASecretNoCertificateReadsWakesNothing) {
  wakeups_.OnSecret(json{{"metadata", {{"namespace", "other"}, {"name", "web-tls"}}}});
  wakeups_.OnSecret(json{{"metadata",
                          {{"namespace", "apps"},
                           {"name", "unrelated"},
                           {"ownerReferences", {{{"uid", "uid-deployment"}}}}}}});
  EXPECT_TRUE(woken_.empty());
}

}  // namespace
}  // namespace certforge::controller
