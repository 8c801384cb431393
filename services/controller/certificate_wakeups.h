#pragma once
// Which certificate controllers a watch event wakes, and for which Certificate: cert-manager's
// per-controller informer handlers, narrowed to what ours read. Kept apart from the process
// wiring so the routing can be tested without informers or a gateway.

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace certforge::controller {

class CertificateWakeups {
 public:
  // What wakes a certificate controller besides its own Certificate (and explicit wake-ups).
  enum Cause : unsigned {
    kOnRequests = 1,      // the Certificate's CertificateRequests
    kOnOwnedSecrets = 2,  // Secrets it owns (the next private key)
    kOnNamedSecret = 4,   // the Secret its spec.secretName names
    kOnEverything = ~0u,
  };
  // Certificate keys ("ns/name") listed by one of the certificate informer's indexes.
  using CertificatesByIndex =
      std::function<std::vector<std::string>(const char* index, const std::string& value)>;
  // Queues a Certificate for the controllers in `controllers`: bit i is the i-th controller
  // added. One call per wake-up, so the Certificate waits once for all of them.
  using Enqueue = std::function<void(const std::string& certificate_key, unsigned controllers)>;

  CertificateWakeups(CertificatesByIndex certificates, Enqueue enqueue);

  // The next controller (the next bit of what Enqueue gets), woken by its Certificate and by
  // the causes in `wake_on`.
  void AddController(unsigned wake_on);

  // Wakes the controllers that care about `cause` (one Cause bit, or all) for one Certificate.
  void Wake(const std::string& certificate_key, unsigned cause = kOnEverything) const;
  // A CertificateRequest changed: its Certificate is named by an annotation.
  void OnRequest(const nlohmann::json& request) const;
  // A Secret changed: the Certificates naming it, and the one owning it.
  void OnSecret(const nlohmann::json& secret) const;

 private:
  CertificatesByIndex certificates_;
  Enqueue enqueue_;
  std::vector<unsigned> wake_on_;  // by controller
};

}  // namespace certforge::controller
