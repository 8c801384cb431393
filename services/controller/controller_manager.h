#pragma once
// The controller process assembled: informers over the gateway, one reconcile loop per
// controller, and the routing of watch events to the loops that care.

#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "lib/bus/broker.h"
#include "services/controller/certificate_wakeups.h"
#include "services/controller/controller_context.h"
#include "services/controller/reconcile_loop.h"

namespace certforge::controller {

class ControllerManager {
 public:
  ControllerManager(kube::GatewayClient& client, bus::Broker& broker, ControllerOptions options);
  ~ControllerManager();

  // Starts the informers (once), waits for their first lists, then starts the loops. A timeout
  // may be retried.
  absl::Status Start(std::chrono::milliseconds sync_timeout);
  void Stop();
  bool synced() const;
  const std::vector<std::unique_ptr<ReconcileLoop>>& loops() const { return loops_; }

 private:
  void Wire();
  void EnqueueRequest(const std::string& key);
  void EnqueueIssuer(const std::string& issuer_key);
  void OnSecret(const kube::InformerEvent& event);

  kube::GatewayClient& client_;
  ControllerOptions options_;
  std::unique_ptr<kube::Informer> certificates_, requests_, issuers_, cluster_issuers_, secrets_;
  std::unique_ptr<StatusWriter> status_;
  std::unique_ptr<SecretReader> secret_reader_;
  std::unique_ptr<EventRecorder> events_;
  std::unique_ptr<AsyncJobs> jobs_;
  ControllerContext ctx_;
  std::vector<std::unique_ptr<ReconcileLoop>> loops_;
  std::unique_ptr<CertificateWakeups> certificate_wakeups_;
  ReconcileLoop* certificate_loop_ = nullptr;  // the six certificate controllers
  ReconcileLoop* request_loop_ = nullptr;      // approver and signer
  ReconcileLoop* issuer_loop_ = nullptr;
  bool informers_started_ = false;
};

}  // namespace certforge::controller
