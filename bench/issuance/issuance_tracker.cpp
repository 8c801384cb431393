#include "bench/issuance/issuance_tracker.h"

namespace certforge::bench {
namespace {

using nlohmann::json;
using Type = kube::v1::WatchEvent;

const kube::GroupVersionResource kCertificates{"cert-manager.io", "v1", "certificates"};
const kube::GroupVersionResource kRequests{"cert-manager.io", "v1", "certificaterequests"};
const kube::GroupVersionResource kSecrets{"", "v1", "secrets"};
const kube::GroupVersionResource kEvents{"", "v1", "events"};

bool ConditionTrue(const json& object, const std::string& type) {
  const json status = object.value("status", json::object());
  for (const auto& c : status.value("conditions", json::array())) {
    if (c.value("type", "") == type) return c.value("status", "") == "True";
  }
  return false;
}

std::string Annotation(const json& object, const std::string& key) {
  return object["metadata"].value("annotations", json::object()).value(key, "");
}

}  // namespace

const char* StepName(Step step) {
  static const char* kNames[] = {"Certificate created", "Issuing=True",
                                 "private key stored",  "CertificateRequest created",
                                 "request approved",    "request signed (Ready)",
                                 "TLS Secret written",  "Certificate Ready=True"};
  return kNames[static_cast<size_t>(step)];
}

IssuanceTracker::IssuanceTracker(kube::GatewayClient& client, std::string ns, bool every_resource)
    : client_(client), ns_(std::move(ns)), every_resource_(every_resource) {}

IssuanceTracker::~IssuanceTracker() { Stop(); }

absl::Status IssuanceTracker::Start(std::chrono::milliseconds timeout) {
  std::vector<kube::GroupVersionResource> watched = {kCertificates};
  if (every_resource_) watched.insert(watched.end(), {kRequests, kSecrets, kEvents});
  for (const auto& gvr : watched) {
    cancellers_.push_back(std::make_unique<kube::GatewayClient::WatchCanceller>());
    threads_.emplace_back([this, gvr, canceller = cancellers_.back().get()] {
      kube::GatewayClient::WatchOptions options;
      options.list_first = true;
      client_
          .Watch(
              gvr, ns_, options,
              [&](const kube::GatewayClient::WatchEvent& e) {
                if (e.initial_events_end) {
                  ++synced_;
                  std::lock_guard lock(mu_);
                  changed_.notify_all();
                  return true;
                }
                OnEvent(gvr.resource, e);
                return true;
              },
              canceller)
          .IgnoreError();
    });
  }
  std::unique_lock lock(mu_);
  bool all = changed_.wait_for(lock, timeout,
                               [&] { return synced_.load() == static_cast<int>(watched.size()); });
  return all ? absl::OkStatus() : absl::DeadlineExceededError("the watches did not sync");
}

void IssuanceTracker::Stop() {
  for (auto& canceller : cancellers_) canceller->Cancel();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  threads_.clear();
}

void IssuanceTracker::Mark(const std::string& certificate, Step step, Clock::time_point at) {
  if (certificate.empty()) return;
  auto& slot = steps_[certificate][static_cast<size_t>(step)];
  if (slot != Clock::time_point{}) return;
  slot = at;
  if (step == Step::kReady) {
    ++ready_;
    changed_.notify_all();
  }
}

void IssuanceTracker::OnEvent(const std::string& resource,
                              const kube::GatewayClient::WatchEvent& event) {
  auto now = Clock::now();
  const json& object = event.object;
  if (!object.is_object() || !object.contains("metadata")) return;
  std::string name = object["metadata"].value("name", "");
  std::lock_guard lock(mu_);
  last_event_ = now;
  WriteCounts& counts = writes_[resource];
  switch (event.type) {
    case Type::ADDED:
      ++counts.added;
      break;
    case Type::MODIFIED:
      ++counts.modified;
      break;
    case Type::DELETED:
      ++counts.deleted;
      return;
    default:
      return;
  }
  if (resource == kCertificates.resource) {
    Mark(name, Step::kCreated, now);
    if (ConditionTrue(object, "Issuing")) Mark(name, Step::kIssuing, now);
    if (ConditionTrue(object, "Ready")) Mark(name, Step::kReady, now);
  } else if (resource == kRequests.resource) {
    std::string certificate = Annotation(object, "cert-manager.io/certificate-name");
    Mark(certificate, Step::kRequestCreated, now);
    if (ConditionTrue(object, "Approved")) Mark(certificate, Step::kRequestApproved, now);
    if (ConditionTrue(object, "Ready")) Mark(certificate, Step::kRequestIssued, now);
  } else if (resource == kSecrets.resource) {
    const json meta = object["metadata"];
    if (meta.value("labels", json::object()).value("cert-manager.io/next-private-key", "") ==
        "true") {
      for (const auto& owner : meta.value("ownerReferences", json::array())) {
        if (owner.value("kind", "") == "Certificate") {
          Mark(owner.value("name", ""), Step::kKeyStored, now);
        }
      }
    } else if (object.value("data", json::object()).contains("tls.crt")) {
      Mark(Annotation(object, "cert-manager.io/certificate-name"), Step::kSecretWritten, now);
    }
  }
}

int IssuanceTracker::WaitForReady(int count, Clock::time_point deadline) {
  std::unique_lock lock(mu_);
  changed_.wait_until(lock, deadline, [&] { return ready_ >= count; });
  return ready_;
}

void IssuanceTracker::WaitForQuiet(std::chrono::milliseconds quiet, Clock::time_point deadline) {
  while (Clock::now() < deadline) {
    auto since = Clock::now() - last_event();
    if (since >= quiet) return;
    std::this_thread::sleep_for(quiet - since);
  }
}

std::map<std::string, IssuanceTracker::StepTimes> IssuanceTracker::steps() const {
  std::lock_guard lock(mu_);
  return steps_;
}

std::map<std::string, WriteCounts> IssuanceTracker::writes() const {
  std::lock_guard lock(mu_);
  return writes_;
}

Clock::time_point IssuanceTracker::last_event() const {
  std::lock_guard lock(mu_);
  return last_event_;
}

}  // namespace certforge::bench
