#include "services/controller/temporary_certificate.h"

#include "lib/pki/ca_issuer.h"
#include "lib/pki/certificate_builder.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/csr_builder.h"
#include "lib/pki/csr_signer.h"

namespace certforge::controller {

absl::StatusOr<std::string> TemporaryCertificate(const pki::CertificateSpec& spec,
                                                 const pki::PrivateKey& key, core::TimePoint now) {
  auto duration = pki::EffectiveDuration(spec);
  auto ca_key = pki::PrivateKey::Generate(pki::KeyAlgorithm::kEcdsa, 521);
  if (!ca_key.ok()) return ca_key.status();
  pki::CertificateBuilder ca_builder;
  ca_builder.SetCommonName("cert-manager.local")
      .SetIsCa(true)
      .SetKeyUsages({pki::KeyUsage::kDigitalSignature, pki::KeyUsage::kKeyCertSign})
      .SetValidity(now, now + std::chrono::duration_cast<std::chrono::seconds>(duration));
  auto ca_cert = ca_builder.SignSelf(*ca_key);
  if (!ca_cert.ok()) return ca_cert.status();
  auto ca = pki::CaIssuer::Create({*ca_cert}, *ca_key);
  if (!ca.ok()) return ca.status();

  pki::CertificateSpec temporary = spec;
  temporary.literal_subject.clear();
  temporary.subject.serial_number = "1234567890";
  auto csr_pem = pki::BuildCsr(temporary, key);
  if (!csr_pem.ok()) return csr_pem.status();
  auto csr = pki::ParsedCsr::FromPem(*csr_pem);
  if (!csr.ok()) return csr.status();
  pki::SignOptions options;
  options.duration = duration;
  options.is_ca = spec.is_ca;
  options.usages = spec.usages;
  options.ca = *ca;
  options.now = now;
  auto issued = pki::IssueFromCsr(*csr, options);
  if (!issued.ok()) return issued.status();
  return issued->certificate_pem;
}

}  // namespace certforge::controller
