#pragma once
// What every reconciler shares: the gateway, the caches, the job bus, the status writer, the
// event recorder, the options and the clock, plus the ways to wake other controllers.

#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "lib/core/time_format.h"
#include "lib/kube/gateway_client.h"
#include "lib/kube/informer.h"
#include "services/controller/async_jobs.h"
#include "services/controller/event_recorder.h"
#include "services/controller/secret_reader.h"
#include "services/controller/status_writer.h"

namespace certforge::controller {

struct ControllerOptions {
  // Where ClusterIssuers' Secrets live: the namespace certforge runs in.
  std::string cluster_resource_namespace = "cert-manager";
  std::chrono::seconds min_backoff{std::chrono::hours(1)};  // first retry after a failure
  std::chrono::seconds max_backoff{std::chrono::hours(32)};
  bool enable_certificate_owner_ref = false;
  // cert-manager's --copied-annotation-prefixes: "*" copies all; "-prefix" excludes.
  std::vector<std::string> copied_annotation_prefixes = {"*", "-kubectl.kubernetes.io/",
                                                         "-fluxcd.io/", "-argocd.argoproj.io/"};
  int workers = 5;
};

// Index names on the informers.
inline constexpr char kIndexBySecret[] = "secret";            // "ns/secretName"
inline constexpr char kIndexByIssuer[] = "issuer";            // IssuerKey
inline constexpr char kIndexByCertificate[] = "certificate";  // "ns/certificateName"
inline constexpr char kIndexByUid[] = "uid";
inline constexpr char kIndexByOwnerUid[] = "owner";

struct ControllerContext {
  kube::GatewayClient* client = nullptr;
  kube::Informer* certificates = nullptr;
  kube::Informer* requests = nullptr;
  kube::Informer* issuers = nullptr;
  kube::Informer* cluster_issuers = nullptr;
  kube::Informer* secrets = nullptr;  // metadata only: read data through secret_reader
  SecretReader* secret_reader = nullptr;
  StatusWriter* status = nullptr;
  ComponentEvents events;  // set per controller
  AsyncJobs* jobs = nullptr;
  const ControllerOptions* options = nullptr;
  std::function<core::TimePoint()> now = [] { return std::chrono::system_clock::now(); };
  // Wakes every certificate controller for "ns/name" (e.g. when a job it waits on finishes).
  std::function<void(const std::string& key)> wake_certificate;
  std::function<void(const std::string& key)> wake_request;

  // The newest copy of Certificate "ns/name" this controller knows: the informer's, or what its
  // own last status write returned while the informer has not caught up. Deciding from it keeps
  // a reconciler from redoing what another has just recorded.
  std::shared_ptr<const nlohmann::json> Certificate(const std::string& key) const;
};

// "ns/name" split in two.
std::pair<std::string, std::string> SplitKey(const std::string& key);
// metadata.namespace, "" when there is none.
std::string NamespaceOf(const nlohmann::json& object);
// How an issuerRef is indexed: "ClusterIssuer//name" or "Issuer/ns/name".
std::string IssuerKey(const nlohmann::json& issuer_ref, const std::string& ns);

}  // namespace certforge::controller
