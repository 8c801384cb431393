#pragma once
// Follows an issuance run the way a user would see it: watches (through the gateway) the
// Certificates, CertificateRequests, Secrets and Events of one namespace, records when each
// Certificate passes each step of cert-manager's flow, and counts the writes each resource saw.

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "lib/kube/gateway_client.h"

namespace certforge::bench {

using Clock = std::chrono::steady_clock;

// The steps of one Certificate, in flow order: the first time the watcher saw each.
enum class Step {
  kCreated,          // the Certificate's ADDED event
  kIssuing,          // Issuing=True (trigger controller)
  kKeyStored,        // the next-private-key Secret exists (key manager, after a keygen job)
  kRequestCreated,   // its CertificateRequest exists (request manager: CSR built)
  kRequestApproved,  // Approved=True (approver)
  kRequestIssued,    // the request's Ready=True (a sign job came back)
  kSecretWritten,    // the kubernetes.io/tls Secret holds tls.crt (issuing controller)
  kReady,            // the Certificate's Ready=True (readiness controller)
  kCount
};
const char* StepName(Step step);

// Events seen per resource ("certificates", ...): how many ADDED, MODIFIED, DELETED.
struct WriteCounts {
  int added = 0;
  int modified = 0;
  int deleted = 0;
  int total() const { return added + modified + deleted; }
};

class IssuanceTracker {
 public:
  using StepTimes = std::array<Clock::time_point, static_cast<size_t>(Step::kCount)>;

  // With `every_resource` it follows CertificateRequests, Secrets and Events too, for every
  // step; otherwise only Certificates, so the measurement adds one watch to the stack, not four.
  IssuanceTracker(kube::GatewayClient& client, std::string ns, bool every_resource);
  ~IssuanceTracker();

  // Starts the watches and waits until each has listed what exists.
  absl::Status Start(std::chrono::milliseconds timeout);
  void Stop();

  // Waits until `count` Certificates are Ready or `deadline` passes; the number Ready.
  int WaitForReady(int count, Clock::time_point deadline);
  // Waits until no event arrived for `quiet` (or `deadline` passes): the stack finished.
  void WaitForQuiet(std::chrono::milliseconds quiet, Clock::time_point deadline);

  // Per Certificate name; an unset step is Clock::time_point{}.
  std::map<std::string, StepTimes> steps() const;
  std::map<std::string, WriteCounts> writes() const;
  Clock::time_point last_event() const;

 private:
  void Watch(const kube::GroupVersionResource& gvr);
  void OnEvent(const std::string& resource, const kube::GatewayClient::WatchEvent& event);
  void Mark(const std::string& certificate, Step step, Clock::time_point at);

  kube::GatewayClient& client_;
  std::string ns_;
  bool every_resource_;
  std::vector<std::thread> threads_;
  std::vector<std::unique_ptr<kube::GatewayClient::WatchCanceller>> cancellers_;
  std::atomic<int> synced_{0};

  mutable std::mutex mu_;
  std::condition_variable changed_;
  std::map<std::string, StepTimes> steps_;
  std::map<std::string, WriteCounts> writes_;
  int ready_ = 0;
  Clock::time_point last_event_;
};

}  // namespace certforge::bench
