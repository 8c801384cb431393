#include "services/controller/controller_manager.h"

#include "lib/kube/json_fields.h"
#include "services/controller/certificate_issuing.h"
#include "services/controller/certificate_readiness.h"
#include "services/controller/certificate_trigger.h"
#include "services/controller/issuer_readiness.h"
#include "services/controller/key_manager.h"
#include "services/controller/request_approver.h"
#include "services/controller/request_manager.h"
#include "services/controller/request_signer.h"
#include "services/controller/resources.h"
#include "services/controller/revision_manager.h"

namespace certforge::controller {
namespace {

using nlohmann::json;

std::vector<std::string> One(std::string value) {
  if (value.empty()) return {};
  return {std::move(value)};
}

}  // namespace

ControllerManager::ControllerManager(kube::GatewayClient& client, bus::Broker& broker,
                                     ControllerOptions options)
    : client_(client), options_(std::move(options)) {
  using Cache = kube::Informer::Cache;
  certificates_ = std::make_unique<kube::Informer>(client, kube::Informer::Options{kCertificates});
  requests_ =
      std::make_unique<kube::Informer>(client, kube::Informer::Options{kCertificateRequests});
  issuers_ = std::make_unique<kube::Informer>(client, kube::Informer::Options{kIssuers});
  cluster_issuers_ =
      std::make_unique<kube::Informer>(client, kube::Informer::Options{kClusterIssuers});
  kube::Informer::Options secret_options{kSecrets};
  secret_options.cache = Cache::kMetadata;  // data is read live: memory stays flat
  secrets_ = std::make_unique<kube::Informer>(client, secret_options);
  status_ = std::make_unique<StatusWriter>(client);
  status_->UseCache(kCertificates, certificates_.get());
  status_->UseCache(kCertificateRequests, requests_.get());
  status_->UseCache(kIssuers, issuers_.get());
  status_->UseCache(kClusterIssuers, cluster_issuers_.get());
  secret_reader_ = std::make_unique<SecretReader>(client, *secrets_);
  events_ = std::make_unique<EventRecorder>(client);
  jobs_ = std::make_unique<AsyncJobs>(broker);

  ctx_.client = &client;
  ctx_.certificates = certificates_.get();
  ctx_.requests = requests_.get();
  ctx_.issuers = issuers_.get();
  ctx_.cluster_issuers = cluster_issuers_.get();
  ctx_.secrets = secrets_.get();
  ctx_.secret_reader = secret_reader_.get();
  ctx_.status = status_.get();
  ctx_.jobs = jobs_.get();
  ctx_.options = &options_;
  certificate_wakeups_ = std::make_unique<CertificateWakeups>(
      [this](const char* index, const std::string& value) {
        return certificates_->KeysByIndex(index, value);
      },
      [this](const std::string& key, unsigned controllers) {
        certificate_loop_->Enqueue(key, controllers);
      });
  ctx_.wake_certificate = [this](const std::string& key) { certificate_wakeups_->Wake(key); };
  ctx_.wake_request = [this](const std::string& key) { EnqueueRequest(key); };

  // Each controller gets the shared context with its own event source, as cert-manager names it.
  auto with_events = [&](const char* component) {
    ControllerContext ctx = ctx_;
    ctx.events = ComponentEvents(events_.get(), std::string("cert-manager-") + component);
    return ctx;
  };
  // --concurrent-workers is per controller, as in cert-manager: a loop shared by n controllers
  // gets n times as many workers, so that each keeps cert-manager's parallelism (and the API
  // server sees as many writes at once, which share its commits).
  auto add = [&](std::vector<std::unique_ptr<Reconciler>> reconcilers) {
    int workers = options_.workers * static_cast<int>(reconcilers.size());
    loops_.push_back(std::make_unique<ReconcileLoop>(std::move(reconcilers), workers));
    return loops_.back().get();
  };
  // The six certificate controllers share one loop: every change of a Certificate wakes most of
  // them (see reconcile_loop.h). They run in cert-manager's order of an issuance.
  std::vector<std::unique_ptr<Reconciler>> certificate_controllers;
  auto add_certificate = [&](std::unique_ptr<Reconciler> r, unsigned wake_on) {
    certificate_controllers.push_back(std::move(r));
    certificate_wakeups_->AddController(wake_on);
  };
  add_certificate(std::make_unique<CertificateTrigger>(with_events("certificates-trigger")),
                  CertificateTrigger::kWakeOn);
  add_certificate(std::make_unique<KeyManager>(with_events("certificates-key-manager")),
                  KeyManager::kWakeOn);
  add_certificate(std::make_unique<RequestManager>(with_events("certificates-request-manager")),
                  RequestManager::kWakeOn);
  add_certificate(std::make_unique<CertificateIssuing>(with_events("certificates-issuing")),
                  CertificateIssuing::kWakeOn);
  add_certificate(std::make_unique<CertificateReadiness>(with_events("certificates-readiness")),
                  CertificateReadiness::kWakeOn);
  add_certificate(std::make_unique<RevisionManager>(with_events("certificates-revision-manager")),
                  RevisionManager::kWakeOn);
  certificate_loop_ = add(std::move(certificate_controllers));
  // Both look at every change of a CertificateRequest: approve first, then sign.
  std::vector<std::unique_ptr<Reconciler>> request_controllers;
  request_controllers.push_back(
      std::make_unique<RequestApprover>(with_events("certificaterequests-approver")));
  request_controllers.push_back(
      std::make_unique<RequestSigner>(with_events("certificaterequests-issuer")));
  request_loop_ = add(std::move(request_controllers));
  std::vector<std::unique_ptr<Reconciler>> issuer_controllers;
  issuer_controllers.push_back(std::make_unique<IssuerReadiness>(with_events("issuers")));
  issuer_loop_ = add(std::move(issuer_controllers));
  Wire();
}

ControllerManager::~ControllerManager() { Stop(); }

void ControllerManager::EnqueueRequest(const std::string& key) { request_loop_->Enqueue(key); }

void ControllerManager::EnqueueIssuer(const std::string& issuer_key) {
  issuer_loop_->Enqueue(issuer_key);
  // Requests waiting on this issuer get another look.
  for (const auto& request_key : requests_->KeysByIndex(kIndexByIssuer, issuer_key)) {
    EnqueueRequest(request_key);
  }
}

void ControllerManager::Wire() {
  certificates_->AddIndex(kIndexBySecret, [](const json& c) {
    return One(NamespaceOf(c) + "/" + kube::ObjectAt(c, "spec").value("secretName", ""));
  });
  certificates_->AddIndex(kIndexByUid,
                          [](const json& c) { return One(c["metadata"].value("uid", "")); });
  requests_->AddIndex(kIndexByCertificate, [](const json& r) {
    auto annotations = kube::ObjectAt(r["metadata"], "annotations");
    std::string cert = annotations.value(kCertificateNameAnnotation, "");
    return cert.empty() ? std::vector<std::string>{} : One(NamespaceOf(r) + "/" + cert);
  });
  requests_->AddIndex(kIndexByIssuer, [](const json& r) {
    return One(IssuerKey(kube::ObjectAt(kube::ObjectAt(r, "spec"), "issuerRef"), NamespaceOf(r)));
  });
  auto issuer_secret = [this](bool cluster) {
    return [this, cluster](const json& i) {
      auto ca = kube::ObjectAt(kube::ObjectAt(i, "spec"), "ca");
      std::string secret = ca.value("secretName", "");
      if (secret.empty()) return std::vector<std::string>{};
      return One((cluster ? options_.cluster_resource_namespace : NamespaceOf(i)) + "/" + secret);
    };
  };
  issuers_->AddIndex(kIndexBySecret, issuer_secret(false));
  cluster_issuers_->AddIndex(kIndexBySecret, issuer_secret(true));
  secrets_->AddIndex(kIndexByOwnerUid, [](const json& s) {
    std::vector<std::string> uids;
    for (const auto& ref : kube::ArrayAt(s["metadata"], "ownerReferences")) {
      uids.push_back(ref.value("uid", ""));
    }
    return uids;
  });

  certificates_->AddHandler(
      [this](const kube::InformerEvent& e) { certificate_wakeups_->Wake(e.key); });
  requests_->AddHandler([this](const kube::InformerEvent& e) {
    EnqueueRequest(e.key);
    certificate_wakeups_->OnRequest(*e.object);
  });
  issuers_->AddHandler([this](const kube::InformerEvent& e) {
    EnqueueIssuer("Issuer/" + NamespaceOf(*e.object) + "/" +
                  (*e.object)["metadata"].value("name", ""));
  });
  cluster_issuers_->AddHandler([this](const kube::InformerEvent& e) {
    EnqueueIssuer("ClusterIssuer//" + (*e.object)["metadata"].value("name", ""));
  });
  secrets_->AddHandler([this](const kube::InformerEvent& e) { OnSecret(e); });
}

void ControllerManager::OnSecret(const kube::InformerEvent& event) {
  const json& meta = (*event.object)["metadata"];
  std::string secret_key = NamespaceOf(*event.object) + "/" + meta.value("name", "");
  if (event.type == kube::InformerEvent::Type::kDeleted) {
    secret_reader_->Deleted(NamespaceOf(*event.object), meta.value("name", ""));
  }
  certificate_wakeups_->OnSecret(*event.object);
  // CA issuers signing with it.
  for (const auto& key : issuers_->KeysByIndex(kIndexBySecret, secret_key)) {
    EnqueueIssuer("Issuer/" + key);
  }
  for (const auto& name : cluster_issuers_->KeysByIndex(kIndexBySecret, secret_key)) {
    EnqueueIssuer("ClusterIssuer//" + name);
  }
}

absl::Status ControllerManager::Start(std::chrono::milliseconds sync_timeout) {
  if (!informers_started_) {
    informers_started_ = true;
    for (auto* informer : {certificates_.get(), requests_.get(), issuers_.get(),
                           cluster_issuers_.get(), secrets_.get()}) {
      informer->Start();
    }
  }
  for (auto* informer : {certificates_.get(), requests_.get(), issuers_.get(),
                         cluster_issuers_.get(), secrets_.get()}) {
    if (!informer->WaitForSync(sync_timeout)) {
      return absl::DeadlineExceededError("caches did not sync in time");
    }
  }
  for (auto& loop : loops_) loop->Start();
  return absl::OkStatus();
}

bool ControllerManager::synced() const {
  return certificates_->synced() && requests_->synced() && issuers_->synced() &&
         cluster_issuers_->synced() && secrets_->synced();
}

void ControllerManager::Stop() {
  for (auto& loop : loops_) loop->Stop();
  for (auto* informer : {certificates_.get(), requests_.get(), issuers_.get(),
                         cluster_issuers_.get(), secrets_.get()}) {
    if (informer) informer->Stop();
  }
  if (events_) events_->Stop();
}

}  // namespace certforge::controller
