#include "services/signer/signing_jobs.h"

#include "lib/pki/certificate_request.h"
#include "lib/pki/csr_signer.h"
#include "lib/pki/private_key.h"

namespace certforge::signer {
namespace {

constexpr size_t kMaxCachedCas = 64;

absl::StatusOr<pki::KeyAlgorithm> AlgorithmOf(const std::string& name) {
  if (name.empty() || name == "RSA") return pki::KeyAlgorithm::kRsa;
  if (name == "ECDSA") return pki::KeyAlgorithm::kEcdsa;
  if (name == "Ed25519") return pki::KeyAlgorithm::kEd25519;
  return absl::InvalidArgumentError("unknown private key algorithm \"" + name + "\"");
}

int DefaultSize(pki::KeyAlgorithm algorithm) {
  return algorithm == pki::KeyAlgorithm::kRsa     ? 2048
         : algorithm == pki::KeyAlgorithm::kEcdsa ? 256
                                                  : 0;
}

}  // namespace

absl::StatusOr<std::string> SigningJobs::Handle(const std::string& job_type,
                                                const std::string& payload) {
  if (job_type == "keygen") {
    v1::KeygenRequest request;
    if (!request.ParseFromString(payload)) return absl::InvalidArgumentError("bad keygen request");
    auto result = Keygen(request);
    if (!result.ok()) return result.status();
    return result->SerializeAsString();
  }
  if (job_type == "sign") {
    v1::SignRequest request;
    if (!request.ParseFromString(payload)) return absl::InvalidArgumentError("bad sign request");
    auto result = Sign(request);
    if (!result.ok()) return result.status();
    return result->SerializeAsString();
  }
  return absl::InvalidArgumentError("unknown job type \"" + job_type + "\"");
}

absl::StatusOr<v1::KeygenResult> SigningJobs::Keygen(const v1::KeygenRequest& request) {
  auto algorithm = AlgorithmOf(request.algorithm());
  if (!algorithm.ok()) return algorithm.status();
  int size = request.size() > 0 ? request.size() : DefaultSize(*algorithm);
  auto key = pki::PrivateKey::Generate(*algorithm, size);
  if (!key.ok()) return key.status();
  auto pem = key->ToPkcs8Pem();
  if (!pem.ok()) return pem.status();
  v1::KeygenResult result;
  result.set_private_key_pem(*pem);
  return result;
}

absl::StatusOr<std::shared_ptr<const pki::CaIssuer>> SigningJobs::CaFor(
    const v1::SignRequest& request) {
  std::string cache_key =
      request.ca_certificate_pem() + '\0' + request.signing_key_pem() + '\0' + request.ca_crt_pem();
  {
    std::lock_guard lock(mu_);
    if (auto it = cas_.find(cache_key); it != cas_.end()) {
      lru_.splice(lru_.begin(), lru_, it->second.second);
      return it->second.first;
    }
  }
  auto ca = pki::CaIssuer::FromSecretData(request.ca_certificate_pem(), request.signing_key_pem(),
                                          request.ca_crt_pem());
  if (!ca.ok()) return ca.status();
  std::lock_guard lock(mu_);
  if (cas_.count(cache_key) == 0) {
    lru_.push_front(cache_key);
    cas_[cache_key] = {*ca, lru_.begin()};
    if (cas_.size() > kMaxCachedCas) {
      cas_.erase(lru_.back());
      lru_.pop_back();
    }
  }
  return *ca;
}

absl::StatusOr<v1::SignResult> SigningJobs::Sign(const v1::SignRequest& request) {
  auto csr = pki::ParsedCsr::FromPem(request.csr_pem());
  if (!csr.ok()) {
    return absl::InvalidArgumentError("encoded CSR error: " + std::string(csr.status().message()));
  }
  pki::SignOptions options;
  if (request.duration_seconds() > 0) {
    options.duration = std::chrono::seconds(request.duration_seconds());
  }
  options.is_ca = request.is_ca();
  options.usages.assign(request.usages().begin(), request.usages().end());
  options.crl_distribution_points.assign(request.crl_distribution_points().begin(),
                                         request.crl_distribution_points().end());
  switch (request.issuer_type()) {
    case v1::SignRequest::SELF_SIGNED: {
      auto key = pki::PrivateKey::FromPem(request.signing_key_pem());
      if (!key.ok()) {
        return absl::InvalidArgumentError("error decoding private key: " +
                                          std::string(key.status().message()));
      }
      options.self_signed_key = std::move(*key);
      break;
    }
    case v1::SignRequest::CA: {
      auto ca = CaFor(request);
      if (!ca.ok()) return ca.status();
      options.ca = *ca;
      options.ocsp_servers.assign(request.ocsp_servers().begin(), request.ocsp_servers().end());
      options.issuing_certificate_urls.assign(request.issuing_certificate_urls().begin(),
                                              request.issuing_certificate_urls().end());
      break;
    }
    default:
      return absl::InvalidArgumentError("sign request without an issuer type");
  }
  auto issued = pki::IssueFromCsr(*csr, options);
  if (!issued.ok()) return issued.status();
  v1::SignResult result;
  result.set_certificate_pem(issued->chain_pem);
  result.set_ca_pem(issued->ca_pem);
  return result;
}

}  // namespace certforge::signer
