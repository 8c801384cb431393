#include "services/controller/certificate_wakeups.h"

#include "lib/kube/json_fields.h"
#include "services/controller/controller_context.h"
#include "services/controller/resources.h"

namespace certforge::controller {
using nlohmann::json;

CertificateWakeups::CertificateWakeups(CertificatesByIndex certificates)
    : certificates_(std::move(certificates)) {}

void CertificateWakeups::AddController(Enqueue enqueue, unsigned wake_on) {
  controllers_.push_back({std::move(enqueue), wake_on});
}

void CertificateWakeups::Wake(const std::string& certificate_key, unsigned cause) const {
  for (const auto& controller : controllers_) {
    if (controller.wake_on & cause) controller.enqueue(certificate_key);
  }
}

void CertificateWakeups::OnRequest(const json& request) const {
  const json& annotations = kube::ObjectAt(kube::ObjectAt(request, "metadata"), "annotations");
  std::string certificate = annotations.value(kCertificateNameAnnotation, "");
  if (!certificate.empty()) Wake(NamespaceOf(request) + "/" + certificate, kOnRequests);
}

void CertificateWakeups::OnSecret(const json& secret) const {
  const json& meta = kube::ObjectAt(secret, "metadata");
  std::string secret_key = NamespaceOf(secret) + "/" + meta.value("name", "");
  for (const auto& certificate : certificates_(kIndexBySecret, secret_key)) {
    Wake(certificate, kOnNamedSecret);
  }
  // A next-private-key Secret is owned by its Certificate.
  for (const auto& ref : kube::ArrayAt(meta, "ownerReferences")) {
    for (const auto& certificate : certificates_(kIndexByUid, ref.value("uid", ""))) {
      Wake(certificate, kOnOwnedSecrets);
    }
  }
}

}  // namespace certforge::controller
