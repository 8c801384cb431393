#include "tests/unit/controller/controller_test_util.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "lib/core/base64.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/csr_builder.h"
#include "lib/pki/csr_signer.h"

namespace certforge::controller::test {
namespace {

// Helpers run outside a test body too (static initialisation of tables), so failures abort
// with the reason instead of returning half-built values.
template <typename T>
T OrDie(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    ADD_FAILURE() << what << ": " << value.status();
    std::abort();
  }
  return *std::move(value);
}

pki::PrivateKey Generate(pki::KeyAlgorithm algorithm, int size) {
  return OrDie(pki::PrivateKey::Generate(algorithm, size), "generating a key");
}

}  // namespace

json WebSpec() {
  return {{"secretName", "web-tls"},
          {"issuerRef", {{"name", "ca"}}},
          {"dnsNames", {"web.example.com"}},
          {"privateKey", {{"algorithm", "ECDSA"}}}};
}

TimePoint At(const std::string& rfc3339) {
  return OrDie(core::ParseRfc3339(rfc3339), "parsing a time");
}

const pki::PrivateKey& EcKey() {
  static const pki::PrivateKey key = Generate(pki::KeyAlgorithm::kEcdsa, 256);
  return key;
}
const pki::PrivateKey& OtherEcKey() {
  static const pki::PrivateKey key = Generate(pki::KeyAlgorithm::kEcdsa, 256);
  return key;
}
const pki::PrivateKey& Ec384Key() {
  static const pki::PrivateKey key = Generate(pki::KeyAlgorithm::kEcdsa, 384);
  return key;
}
const pki::PrivateKey& Ed25519Key() {
  static const pki::PrivateKey key = Generate(pki::KeyAlgorithm::kEd25519, 0);
  return key;
}
const pki::PrivateKey& RsaKey() {
  static const pki::PrivateKey key = Generate(pki::KeyAlgorithm::kRsa, 2048);
  return key;
}

std::string Pkcs8(const pki::PrivateKey& key) { return OrDie(key.ToPkcs8Pem(), "PKCS#8"); }
std::string Base64(const std::string& bytes) { return core::Base64Encode(bytes); }

std::string CsrPem(const json& certificate_spec, const pki::PrivateKey& key) {
  auto spec = OrDie(pki::CertificateSpecFromJson(certificate_spec), "reading the spec");
  return OrDie(pki::BuildCsr(spec, key), "building the CSR");
}

Issued IssueSelfSigned(const json& certificate_spec, const pki::PrivateKey& key, TimePoint now) {
  auto spec = OrDie(pki::CertificateSpecFromJson(certificate_spec), "reading the spec");
  auto csr = OrDie(pki::ParsedCsr::FromPem(CsrPem(certificate_spec, key)), "parsing the CSR");
  pki::SignOptions options;
  options.duration = pki::EffectiveDuration(spec);
  options.is_ca = spec.is_ca;
  options.usages = spec.usages;
  options.self_signed_key = key;
  options.now = now;
  auto issued = OrDie(pki::IssueFromCsr(csr, options), "issuing");
  return Issued{issued.certificate, issued.chain_pem, issued.ca_pem};
}

json CertificateResource(const json& spec, const json& status) {
  return {{"apiVersion", "cert-manager.io/v1"},
          {"kind", "Certificate"},
          {"metadata", {{"name", "web"}, {"namespace", "apps"}, {"generation", 1}}},
          {"spec", spec},
          {"status", status}};
}

json TlsSecret(const std::string& key_pem, const std::string& cert_pem, const json& annotations) {
  json metadata = {{"name", "web-tls"}, {"namespace", "apps"}};
  if (!annotations.empty()) metadata["annotations"] = annotations;
  return {{"apiVersion", "v1"},
          {"kind", "Secret"},
          {"type", "kubernetes.io/tls"},
          {"metadata", metadata},
          {"data", {{"tls.key", Base64(key_pem)}, {"tls.crt", Base64(cert_pem)}}}};
}

json RequestResource(const std::string& csr_pem, const json& spec_fields, const json& status) {
  json spec = spec_fields;
  spec["request"] = Base64(csr_pem);
  return {{"apiVersion", "cert-manager.io/v1"},
          {"kind", "CertificateRequest"},
          {"metadata", {{"name", "web-1"}, {"namespace", "apps"}}},
          {"spec", spec},
          {"status", status}};
}

}  // namespace certforge::controller::test
