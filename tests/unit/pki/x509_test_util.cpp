#include "tests/unit/pki/x509_test_util.h"

#include <gtest/gtest.h>
#include <openssl/x509v3.h>

#include <cstdlib>
#include <utility>

#include "lib/core/time_format.h"
#include "lib/pki/csr_builder.h"

namespace certforge::pki::test {

TimePoint FixedNow() { return *core::ParseRfc3339("2026-03-04T05:06:07Z"); }

CertificateSpec MinimalSpec(const std::string& name) {
  CertificateSpec spec;
  spec.common_name = name;
  spec.dns_names = {name};
  return spec;
}

CertificateSpec SpecForKey(const PrivateKey& key, const std::string& name) {
  CertificateSpec spec = MinimalSpec(name);
  spec.private_key.algorithm = std::string(KeyAlgorithmName(key.algorithm()));
  spec.private_key.size = key.size();
  return spec;
}

std::string CsrPemFor(const CertificateSpec& spec, const PrivateKey& key) {
  absl::StatusOr<std::string> pem = BuildCsr(spec, key);
  if (!pem.ok()) {
    ADD_FAILURE() << "BuildCsr: " << pem.status();
    std::abort();
  }
  return *pem;
}

ParsedCsr CsrFor(const CertificateSpec& spec, const PrivateKey& key) {
  absl::StatusOr<ParsedCsr> csr = ParsedCsr::FromPem(CsrPemFor(spec, key));
  if (!csr.ok()) {
    ADD_FAILURE() << "ParsedCsr: " << csr.status();
    std::abort();
  }
  return *csr;
}

IssuedCertificate IssueOrDie(const ParsedCsr& csr, SignOptions options) {
  if (!options.now) options.now = FixedNow();
  absl::StatusOr<IssuedCertificate> issued = IssueFromCsr(csr, options);
  if (!issued.ok()) {
    ADD_FAILURE() << "IssueFromCsr: " << issued.status();
    std::abort();
  }
  return *std::move(issued);
}

std::shared_ptr<const CaIssuer> RootIssuer(const PrivateKey& key, const std::string& name) {
  CertificateSpec spec = SpecForKey(key, name);
  spec.dns_names.clear();
  spec.is_ca = true;
  SignOptions options;
  options.is_ca = true;
  options.self_signed_key = key;
  options.duration = std::chrono::hours(24 * 3650);
  options.now = FixedNow() - std::chrono::hours(24);
  IssuedCertificate root = IssueOrDie(CsrFor(spec, key), options);
  absl::StatusOr<std::shared_ptr<const CaIssuer>> issuer =
      CaIssuer::Create({root.certificate}, key);
  if (!issuer.ok()) {
    ADD_FAILURE() << "CaIssuer::Create: " << issuer.status();
    std::abort();
  }
  return *issuer;
}

std::shared_ptr<const CaIssuer> IntermediateIssuer(const std::shared_ptr<const CaIssuer>& parent,
                                                   const PrivateKey& key, const std::string& name,
                                                   bool with_ca_crt) {
  CertificateSpec spec = SpecForKey(key, name);
  spec.dns_names.clear();
  spec.is_ca = true;
  SignOptions options;
  options.is_ca = true;
  options.ca = parent;
  options.duration = std::chrono::hours(24 * 1000);
  options.now = FixedNow() - std::chrono::hours(12);
  IssuedCertificate intermediate = IssueOrDie(CsrFor(spec, key), options);
  absl::StatusOr<std::shared_ptr<const CaIssuer>> issuer = CaIssuer::FromSecretData(
      intermediate.chain_pem, *key.ToPkcs8Pem(), with_ca_crt ? intermediate.ca_pem : "");
  if (!issuer.ok()) {
    ADD_FAILURE() << "CaIssuer::FromSecretData: " << issuer.status();
    std::abort();
  }
  return *issuer;
}

std::string ExtensionData(const Certificate& certificate, int nid) {
  int index = X509_get_ext_by_NID(certificate.get(), nid, -1);
  if (index < 0) return {};
  return std::string(Asn1Bytes(X509_EXTENSION_get_data(X509_get_ext(certificate.get(), index))));
}

bool ExtensionCritical(const Certificate& certificate, int nid) {
  int index = X509_get_ext_by_NID(certificate.get(), nid, -1);
  EXPECT_GE(index, 0) << OBJ_nid2sn(nid);
  return index >= 0 && X509_EXTENSION_get_critical(X509_get_ext(certificate.get(), index)) == 1;
}

std::vector<int> ExtensionOrder(const Certificate& certificate) {
  std::vector<int> out;
  for (int i = 0; i < X509_get_ext_count(certificate.get()); ++i) {
    out.push_back(OBJ_obj2nid(X509_EXTENSION_get_object(X509_get_ext(certificate.get(), i))));
  }
  return out;
}

int SignatureDigestNid(const Certificate& certificate) {
  int md_nid = NID_undef;
  int key_nid = NID_undef;
  OBJ_find_sigid_algs(X509_get_signature_nid(certificate.get()), &md_nid, &key_nid);
  return md_nid;
}

std::string WriteFile(const ScratchDir& dir, const std::string& name, const std::string& contents) {
  std::string path = dir.File(name);
  WriteFileOrDie(path, contents);
  return path;
}

}  // namespace certforge::pki::test
