// CSR → certificate signing (ECDSA P-256 leaf, ECDSA P-256 CA) against OpenSSL's bare
// X509_sign of an already-built certificate, the floor any signer pays per certificate.
//
//   pki-bench --benchmark_min_time=2

#include <benchmark/benchmark.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "lib/pki/ca_issuer.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/csr_builder.h"
#include "lib/pki/csr_signer.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/pkcs12_keystore.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {
namespace {

template <typename T>
T OrDie(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::cerr << what << ": " << value.status() << "\n";
    std::abort();
  }
  return *std::move(value);
}

struct Fixture {
  PrivateKey ca_key = OrDie(PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256), "CA key");
  PrivateKey leaf_key = OrDie(PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256), "leaf key");
  std::shared_ptr<const CaIssuer> ca;
  std::string csr_pem;

  Fixture() {
    CertificateSpec ca_spec;
    ca_spec.common_name = "Bench CA";
    ca_spec.is_ca = true;
    ca_spec.private_key.algorithm = "ECDSA";
    SignOptions root_options;
    root_options.is_ca = true;
    root_options.self_signed_key = ca_key;
    root_options.duration = std::chrono::hours(24 * 365);
    ParsedCsr ca_csr =
        OrDie(ParsedCsr::FromPem(OrDie(BuildCsr(ca_spec, ca_key), "CA CSR")), "parse");
    IssuedCertificate root = OrDie(IssueFromCsr(ca_csr, root_options), "CA");
    ca = OrDie(CaIssuer::Create({root.certificate}, ca_key), "CA issuer");

    CertificateSpec spec;
    spec.common_name = "app.example.test";
    spec.dns_names = {"app.example.test", "www.app.example.test"};
    spec.ip_addresses = {"10.0.0.1"};
    spec.private_key.algorithm = "ECDSA";
    spec.usages = {"digital signature", "key encipherment", "server auth"};
    csr_pem = OrDie(BuildCsr(spec, leaf_key), "leaf CSR");
  }

  SignOptions Options() const {
    SignOptions options;
    options.ca = ca;
    options.usages = {"digital signature", "key encipherment", "server auth"};
    return options;
  }
};

const Fixture& Shared() {
  static const Fixture fixture;
  return fixture;
}

// Issue from a CSR already parsed and verified: the signer's per-certificate work.
void BM_IssueFromParsedCsr(benchmark::State& state) {
  const Fixture& f = Shared();
  ParsedCsr csr = OrDie(ParsedCsr::FromPem(f.csr_pem), "parse");
  SignOptions options = f.Options();
  for (auto _ : state) {
    benchmark::DoNotOptimize(OrDie(IssueFromCsr(csr, options), "issue"));
  }
}
BENCHMARK(BM_IssueFromParsedCsr);

// The whole path a sign job takes: PEM CSR in, signature checked, chain PEM out.
void BM_ParseVerifyAndIssue(benchmark::State& state) {
  const Fixture& f = Shared();
  SignOptions options = f.Options();
  for (auto _ : state) {
    ParsedCsr csr = OrDie(ParsedCsr::FromPem(f.csr_pem), "parse");
    benchmark::DoNotOptimize(OrDie(IssueFromCsr(csr, options), "issue"));
  }
}
BENCHMARK(BM_ParseVerifyAndIssue);

void BM_ParseAndVerifyCsr(benchmark::State& state) {
  const Fixture& f = Shared();
  for (auto _ : state) benchmark::DoNotOptimize(OrDie(ParsedCsr::FromPem(f.csr_pem), "parse"));
}
BENCHMARK(BM_ParseAndVerifyCsr);

void BM_BuildCsr(benchmark::State& state) {
  CertificateSpec spec;
  spec.common_name = "app.example.test";
  spec.dns_names = {"app.example.test"};
  spec.private_key.algorithm = "ECDSA";
  const PrivateKey& key = Shared().leaf_key;
  for (auto _ : state) benchmark::DoNotOptimize(OrDie(BuildCsr(spec, key), "csr"));
}
BENCHMARK(BM_BuildCsr);

// A Secret's keystore.p12 for that certificate (cert-manager's default profile, LegacyRC2):
// password-based key derivation makes it cost far more than issuing the certificate, which is
// why the controller compares existing keystores by presence instead of rebuilding them.
void BM_EncodePkcs12Keystore(benchmark::State& state) {
  const Fixture& f = Shared();
  ParsedCsr csr = OrDie(ParsedCsr::FromPem(f.csr_pem), "parse");
  IssuedCertificate issued = OrDie(IssueFromCsr(csr, f.Options()), "issue");
  std::vector<Certificate> chain = {issued.certificate};
  for (auto _ : state) {
    auto p12 = EncodePkcs12Keystore(f.leaf_key, chain, {}, "changeit", Pkcs12Profile::kLegacyRC2);
    if (!p12.ok()) std::abort();
    benchmark::DoNotOptimize(p12);
  }
}
BENCHMARK(BM_EncodePkcs12Keystore)->Unit(benchmark::kMillisecond);

// Baseline: OpenSSL re-signing one fully built certificate (ECDSA P-256, SHA-256).
void BM_OpenSslX509SignOnly(benchmark::State& state) {
  const Fixture& f = Shared();
  ParsedCsr csr = OrDie(ParsedCsr::FromPem(f.csr_pem), "parse");
  IssuedCertificate issued = OrDie(IssueFromCsr(csr, f.Options()), "issue");
  X509Ptr x509(X509_dup(issued.certificate.get()));
  for (auto _ : state) {
    if (X509_sign(x509.get(), f.ca_key.get(), EVP_sha256()) <= 0) std::abort();
  }
}
BENCHMARK(BM_OpenSslX509SignOnly);

constexpr std::pair<const char*, const char*> kNaiveExtensions[] = {
    {"keyUsage", "critical,digitalSignature,keyEncipherment"},
    {"extendedKeyUsage", "serverAuth"},
    {"basicConstraints", "critical,CA:FALSE"},
    {"authorityKeyIdentifier", "keyid"},
    {"subjectAltName", "DNS:app.example.test,DNS:www.app.example.test,IP:10.0.0.1"},
};

// For contrast: the straightforward OpenSSL path (d2i_X509_REQ, X509_REQ_verify,
// X509_set_pubkey from the decoded key, same extensions by config strings, X509_sign).
void BM_OpenSslNaiveCsrToCertificate(benchmark::State& state) {
  const Fixture& f = Shared();
  X509* ca = f.ca->signing_certificate().get();
  for (auto _ : state) {
    BioPtr bio = MemoryBio(f.csr_pem);
    X509ReqPtr request(PEM_read_bio_X509_REQ(bio.get(), nullptr, nullptr, nullptr));
    EVP_PKEY* key = X509_REQ_get0_pubkey(request.get());
    if (X509_REQ_verify(request.get(), key) != 1) std::abort();
    X509Ptr x509(X509_new());
    X509_set_version(x509.get(), X509_VERSION_3);
    ASN1_INTEGER_set(X509_get_serialNumber(x509.get()), 1);
    X509_gmtime_adj(X509_getm_notBefore(x509.get()), 0);
    X509_gmtime_adj(X509_getm_notAfter(x509.get()), 90L * 24 * 3600);
    X509_set_subject_name(x509.get(), X509_REQ_get_subject_name(request.get()));
    X509_set_issuer_name(x509.get(), X509_get_subject_name(ca));
    X509_set_pubkey(x509.get(), key);
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, ca, x509.get(), request.get(), nullptr, 0);
    for (const auto& [name, value] : kNaiveExtensions) {
      X509ExtensionPtr extension(X509V3_EXT_conf(nullptr, &ctx, name, value));
      X509_add_ext(x509.get(), extension.get(), -1);
    }
    if (X509_sign(x509.get(), f.ca_key.get(), EVP_sha256()) <= 0) std::abort();
    BioPtr out = NewMemoryBio();
    PEM_write_bio_X509(out.get(), x509.get());
    benchmark::DoNotOptimize(BioContents(out.get()));
  }
}
BENCHMARK(BM_OpenSslNaiveCsrToCertificate);

}  // namespace
}  // namespace certforge::pki

BENCHMARK_MAIN();
