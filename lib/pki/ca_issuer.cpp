#include "lib/pki/ca_issuer.h"

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <algorithm>
#include <utility>

#include "lib/pki/distinguished_name.h"
#include "lib/pki/status_macros.h"

namespace certforge::pki {
namespace {

constexpr size_t kMaxChainCertificates = 1000;

absl::Status Broken() {
  return absl::InvalidArgumentError("certificate chain is malformed or broken");
}

// Go's rule for a certificate that may verify others (RFC 5280 4.2.1.9 and 4.2.1.3).
bool MaySign(const Certificate& certificate) {
  X509* x509 = certificate.get();
  bool has_constraints = X509_get_ext_by_NID(x509, NID_basic_constraints, -1) >= 0;
  if (X509_get_version(x509) == X509_VERSION_3 && !has_constraints) return false;
  if (has_constraints && !certificate.IsCa()) return false;
  std::vector<KeyUsage> usages = certificate.KeyUsages();
  bool has_key_usage = X509_get_ext_by_NID(x509, NID_key_usage, -1) >= 0 && !usages.empty();
  return !has_key_usage ||
         std::find(usages.begin(), usages.end(), KeyUsage::kKeyCertSign) != usages.end();
}

bool IsSelfSigned(const Certificate& certificate) { return IsSignedByCa(certificate, certificate); }

// One chain being glued together, bottom first (cert-manager's chainNode list).
using Chain = std::vector<size_t>;

// cert-manager's tryMergeChain: `b` goes below `a` when a's bottom signed b's top, or above it
// when b's bottom signed a's top.
bool TryMerge(const std::vector<Certificate>& certs, const std::vector<std::string>& issuers,
              const std::vector<std::string>& subjects, Chain& a, Chain& b) {
  size_t a_bottom = a.front();
  size_t b_top = b.back();
  if (issuers[b_top] == subjects[a_bottom] && IsSignedByCa(certs[b_top], certs[a_bottom])) {
    b.insert(b.end(), a.begin(), a.end());
    a = std::move(b);
    return true;
  }
  size_t a_top = a.back();
  size_t b_bottom = b.front();
  if (issuers[a_top] == subjects[b_bottom] && IsSignedByCa(certs[a_top], certs[b_bottom])) {
    a.insert(a.end(), b.begin(), b.end());
    return true;
  }
  return false;
}

}  // namespace

bool IsSignedByCa(const Certificate& child, const Certificate& parent) {
  if (!MaySign(parent)) return false;
  EVP_PKEY* key = X509_get0_pubkey(parent.get());
  bool verified = key != nullptr && X509_verify(child.get(), key) == 1;
  ERR_clear_error();
  return verified;
}

CaIssuer::CaIssuer(std::vector<Certificate> chain, PrivateKey key)
    : chain_(std::move(chain)), key_(std::move(key)) {}

absl::StatusOr<std::shared_ptr<const CaIssuer>> CaIssuer::Create(
    std::vector<Certificate> certificates, PrivateKey key) {
  if (certificates.empty()) {
    return absl::InvalidArgumentError("no CA certificates given to sign CSR template");
  }
  if (!certificates.front().MatchesKey(key)) {
    return absl::InvalidArgumentError("x509: provided PrivateKey doesn't match parent's PublicKey");
  }
  if (!MaySign(certificates.front())) {
    return absl::InvalidArgumentError(
        "certificate chain is malformed or broken: the signing certificate is not a CA");
  }
  // Drop duplicates, keeping first occurrences (the signing certificate stays at index 0).
  std::vector<Certificate> unique;
  std::vector<std::string> ders;
  for (Certificate& certificate : certificates) {
    std::string der = certificate.ToDer();
    if (std::find(ders.begin(), ders.end(), der) != ders.end()) continue;
    ders.push_back(std::move(der));
    unique.push_back(std::move(certificate));
  }
  if (unique.size() > kMaxChainCertificates) {
    return absl::InvalidArgumentError(
        "certificate chain is too long, must be less than 1000 certificates");
  }
  std::vector<std::string> issuers;
  std::vector<std::string> subjects;
  for (const Certificate& certificate : unique) {
    issuers.push_back(NameDer(X509_get_issuer_name(certificate.fields())));
    subjects.push_back(NameDer(X509_get_subject_name(certificate.fields())));
  }

  std::vector<Chain> chains;
  for (size_t i = 0; i < unique.size(); ++i) chains.push_back({i});
  while (chains.size() > 1) {
    Chain last = std::move(chains.back());
    chains.pop_back();
    bool merged = false;
    for (Chain& chain : chains) {
      if (TryMerge(unique, issuers, subjects, chain, last)) {
        merged = true;
        break;
      }
    }
    if (!merged) return Broken();
  }
  // Issued certificates hang below the signing certificate, so it must be the bottom.
  if (chains.front().front() != 0) return Broken();

  std::vector<Certificate> ordered;
  for (size_t index : chains.front()) ordered.push_back(unique[index]);
  std::shared_ptr<CaIssuer> issuer(new CaIssuer(std::move(ordered), std::move(key)));
  issuer->subject_key_id_ = issuer->signing_certificate().SubjectKeyId();
  for (const Certificate& certificate : issuer->chain_) {
    if (IsSelfSigned(certificate)) continue;
    CF_ASSIGN_OR_RETURN(std::string pem, certificate.ToPem());
    issuer->chain_pem_ += pem;
  }
  CF_ASSIGN_OR_RETURN(issuer->ca_pem_, issuer->chain_.back().ToPem());
  return std::shared_ptr<const CaIssuer>(std::move(issuer));
}

absl::StatusOr<std::shared_ptr<const CaIssuer>> CaIssuer::FromSecretData(std::string_view tls_crt,
                                                                         std::string_view tls_key,
                                                                         std::string_view ca_crt) {
  CF_ASSIGN_OR_RETURN(PrivateKey key, PrivateKey::FromPem(tls_key));
  CF_ASSIGN_OR_RETURN(std::vector<Certificate> certificates, Certificate::ChainFromPem(tls_crt));
  if (!ca_crt.empty()) {
    CF_ASSIGN_OR_RETURN(Certificate ca, Certificate::FromPem(ca_crt));
    certificates.push_back(std::move(ca));
  }
  return Create(std::move(certificates), std::move(key));
}

}  // namespace certforge::pki
