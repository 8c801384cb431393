#include "services/controller/certificate_wakeups.h"

#include "lib/kube/json_fields.h"
#include "services/controller/controller_context.h"
#include "services/controller/resources.h"

namespace certforge::controller {
using nlohmann::json;

CertificateWakeups::CertificateWakeups(CertificatesByIndex certificates, Enqueue enqueue)
    : certificates_(std::move(certificates)), enqueue_(std::move(enqueue)) {}

void CertificateWakeups::AddController(unsigned wake_on) { wake_on_.push_back(wake_on); }

void CertificateWakeups::Wake(const std::string& certificate_key, unsigned cause) const {
  unsigned controllers = 0;
  for (size_t i = 0; i < wake_on_.size(); ++i) {
    if (wake_on_[i] & cause) controllers |= 1u << i;
  }
  if (controllers != 0) enqueue_(certificate_key, controllers);
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
