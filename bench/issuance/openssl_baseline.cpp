// OpenSSL's own cost for the crypto of one CA-issued ECDSA P-256 certificate, with plain OpenSSL
// calls: key generation (EVP_PKEY_Q_keygen), CSR signing (X509_REQ_sign) and certificate signing
// (X509_sign). It is the floor to put next to issuance-bench's CPU per certificate. Variants show
// what encoding costs on OpenSSL 3.0: X509_set_pubkey re-encodes the key through the provider
// encoders, and the PEM round trips are what passing keys, CSRs and certificates between
// processes adds.
//
//   issuance-openssl-baseline --benchmark_min_time=1
#include <benchmark/benchmark.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

namespace {

template <auto Free>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using ReqPtr = std::unique_ptr<X509_REQ, Deleter<X509_REQ_free>>;
using ExtPtr = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;

struct ExtStackFree {
  void operator()(STACK_OF(X509_EXTENSION) * s) const {
    sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free);
  }
};
using ExtStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), ExtStackFree>;

void Check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "OpenSSL failed: %s\n", what);
    std::abort();
  }
}

KeyPtr NewKey() {
  KeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  Check(key != nullptr, "EVP_PKEY_Q_keygen");
  return key;
}

void AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  ExtPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  Check(ext && X509_add_ext(cert, ext.get(), -1) == 1, "X509_add_ext");
}

void SetSerialAndValidity(X509* cert, long days) {
  unsigned char serial[16];
  Check(RAND_bytes(serial, sizeof serial) == 1, "RAND_bytes");
  serial[0] &= 0x7f;
  BnPtr bn(BN_bin2bn(serial, sizeof serial, nullptr));
  Check(BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert)) != nullptr, "serial");
  X509_gmtime_adj(X509_getm_notBefore(cert), 0);
  X509_gmtime_adj(X509_getm_notAfter(cert), days * 24 * 3600);
}

struct Ca {
  KeyPtr key = NewKey();
  X509Ptr cert{X509_new()};
  Ca() {
    X509_set_version(cert.get(), X509_VERSION_3);
    SetSerialAndValidity(cert.get(), 3650);
    X509_NAME* name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                               reinterpret_cast<const unsigned char*>("my-selfsigned-ca"), -1, -1,
                               0);
    X509_set_issuer_name(cert.get(), name);
    X509_set_pubkey(cert.get(), key.get());
    X509V3_CTX ctx;
    X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
    AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:TRUE");
    AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyCertSign,cRLSign");
    AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash");
    Check(X509_sign(cert.get(), key.get(), EVP_sha256()) > 0, "CA X509_sign");
  }
};

const Ca& TheCa() {
  static const Ca ca;
  return ca;
}

// Writes the SubjectPublicKeyInfo of a P-256 key from its encoded point: what X509_*_set_pubkey
// produces, without OpenSSL 3.0's provider encoder.
void SetEncodedPoint(X509_PUBKEY* out, EVP_PKEY* key) {
  unsigned char point[133];
  size_t length = 0;
  Check(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
                                        sizeof point, &length) == 1,
        "encoded point");
  auto* bytes = static_cast<unsigned char*>(OPENSSL_memdup(point, length));
  Check(X509_PUBKEY_set0_param(out, OBJ_nid2obj(NID_X9_62_id_ecPublicKey), V_ASN1_OBJECT,
                               OBJ_nid2obj(NID_X9_62_prime256v1), bytes,
                               static_cast<int>(length)) == 1,
        "X509_PUBKEY_set0_param");
}

// A CSR as cert-manager builds it for a DNS-only Certificate: empty subject, one SAN.
ReqPtr SignedCsr(EVP_PKEY* key, bool encoded_key = false) {
  ReqPtr req(X509_REQ_new());
  X509_REQ_set_version(req.get(), X509_REQ_VERSION_1);
  if (encoded_key) {
    SetEncodedPoint(X509_REQ_get_X509_PUBKEY(req.get()), key);
  } else {
    Check(X509_REQ_set_pubkey(req.get(), key) == 1, "X509_REQ_set_pubkey");
  }
  ExtStackPtr exts(sk_X509_EXTENSION_new_null());
  X509_EXTENSION* san =
      X509V3_EXT_conf_nid(nullptr, nullptr, NID_subject_alt_name, "DNS:app-1.bench.example.com");
  Check(san != nullptr, "SAN");
  sk_X509_EXTENSION_push(exts.get(), san);
  Check(X509_REQ_add_extensions(req.get(), exts.get()) == 1, "X509_REQ_add_extensions");
  Check(X509_REQ_sign(req.get(), key, EVP_sha256()) > 0, "X509_REQ_sign");
  return req;
}

// Copies the CSR's encoded public key into the certificate: no decode, no provider encoder.
void CopyEncodedPublicKey(X509_REQ* req, X509* cert) {
  ASN1_OBJECT* algorithm = nullptr;
  const unsigned char* encoded = nullptr;
  int length = 0;
  X509_ALGOR* algor = nullptr;
  Check(X509_PUBKEY_get0_param(&algorithm, &encoded, &length, &algor,
                               X509_REQ_get_X509_PUBKEY(req)) == 1,
        "X509_PUBKEY_get0_param");
  int param_type = V_ASN1_UNDEF;
  const void* param = nullptr;
  X509_ALGOR_get0(nullptr, &param_type, &param, algor);
  void* param_copy = nullptr;
  if (param_type == V_ASN1_OBJECT) {
    param_copy = OBJ_dup(static_cast<const ASN1_OBJECT*>(param));
  } else {
    param_type = V_ASN1_UNDEF;
  }
  auto* bytes = static_cast<unsigned char*>(OPENSSL_memdup(encoded, length));
  Check(X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert), OBJ_dup(algorithm), param_type,
                               param_copy, bytes, length) == 1,
        "X509_PUBKEY_set0_param");
}

// A leaf as cert-manager's CA issuer signs it: the CSR's subject, key and SANs, 90 days.
X509Ptr SignedCertificate(X509_REQ* req, const Ca& ca, bool copy_encoded_key) {
  X509Ptr cert(X509_new());
  X509_set_version(cert.get(), X509_VERSION_3);
  SetSerialAndValidity(cert.get(), 90);
  X509_set_subject_name(cert.get(), X509_REQ_get_subject_name(req));
  X509_set_issuer_name(cert.get(), X509_get_subject_name(ca.cert.get()));
  if (copy_encoded_key) {
    CopyEncodedPublicKey(req, cert.get());
  } else {
    Check(X509_set_pubkey(cert.get(), X509_REQ_get0_pubkey(req)) == 1, "X509_set_pubkey");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca.cert.get(), cert.get(), nullptr, nullptr, 0);
  AddExtension(cert.get(), &ctx, NID_key_usage, "critical,digitalSignature,keyEncipherment");
  AddExtension(cert.get(), &ctx, NID_basic_constraints, "critical,CA:FALSE");
  AddExtension(cert.get(), &ctx, NID_authority_key_identifier, "keyid:always");
  ExtStackPtr requested(X509_REQ_get_extensions(req));
  for (int i = 0; requested && i < sk_X509_EXTENSION_num(requested.get()); ++i) {
    Check(X509_add_ext(cert.get(), sk_X509_EXTENSION_value(requested.get(), i), -1) == 1,
          "copy SAN");
  }
  Check(X509_sign(cert.get(), ca.key.get(), EVP_sha256()) > 0, "X509_sign");
  return cert;
}

std::string PemOf(int (*write)(BIO*, const void*), const void* object) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  Check(write(bio.get(), object) == 1, "PEM write");
  char* data = nullptr;
  long length = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(length));
}

BioPtr ReadBio(const std::string& pem) {
  return BioPtr(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
}

void BM_Keygen(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(NewKey());
}
BENCHMARK(BM_Keygen);

void BM_CsrSign(benchmark::State& state) {
  KeyPtr key = NewKey();
  for (auto _ : state) benchmark::DoNotOptimize(SignedCsr(key.get()));
}
BENCHMARK(BM_CsrSign);

void BM_CsrSignEncodedPublicKey(benchmark::State& state) {
  KeyPtr key = NewKey();
  for (auto _ : state) benchmark::DoNotOptimize(SignedCsr(key.get(), true));
}
BENCHMARK(BM_CsrSignEncodedPublicKey);

void BM_CertificateSign(benchmark::State& state) {
  const Ca& ca = TheCa();
  KeyPtr key = NewKey();
  ReqPtr req = SignedCsr(key.get());
  for (auto _ : state) benchmark::DoNotOptimize(SignedCertificate(req.get(), ca, false));
}
BENCHMARK(BM_CertificateSign);

void BM_CertificateSignCopiedPublicKey(benchmark::State& state) {
  const Ca& ca = TheCa();
  KeyPtr key = NewKey();
  ReqPtr req = SignedCsr(key.get());
  for (auto _ : state) benchmark::DoNotOptimize(SignedCertificate(req.get(), ca, true));
}
BENCHMARK(BM_CertificateSignCopiedPublicKey);

// The floor asked for: keygen + CSR signing + certificate signing, all in memory. With
// encoded_keys=1 the public key is never re-encoded by OpenSSL's provider encoders.
void BM_PerCertificate(benchmark::State& state) {
  const Ca& ca = TheCa();
  const bool encoded_keys = state.range(0) != 0;
  for (auto _ : state) {
    KeyPtr key = NewKey();
    ReqPtr req = SignedCsr(key.get(), encoded_keys);
    benchmark::DoNotOptimize(SignedCertificate(req.get(), ca, encoded_keys));
  }
}
BENCHMARK(BM_PerCertificate)->ArgName("encoded_keys")->Arg(0)->Arg(1);

// The same work with the hand-overs a controller/signer split needs, as PEM: the key from the
// signer to the controller, the CSR to the signer (parsed and verified there), the certificate
// back (parsed and matched against the key).
void BM_PerCertificateWithPemHandOvers(benchmark::State& state) {
  const Ca& ca = TheCa();
  for (auto _ : state) {
    KeyPtr generated = NewKey();
    std::string key_pem = PemOf(
        [](BIO* bio, const void* key) {
          return PEM_write_bio_PrivateKey(bio, static_cast<EVP_PKEY*>(const_cast<void*>(key)),
                                          nullptr, nullptr, 0, nullptr, nullptr);
        },
        generated.get());
    KeyPtr key(PEM_read_bio_PrivateKey(ReadBio(key_pem).get(), nullptr, nullptr, nullptr));
    Check(key != nullptr, "PEM_read_bio_PrivateKey");
    ReqPtr built = SignedCsr(key.get(), true);
    std::string csr_pem = PemOf(
        [](BIO* bio, const void* req) {
          return PEM_write_bio_X509_REQ(bio, static_cast<X509_REQ*>(const_cast<void*>(req)));
        },
        built.get());
    ReqPtr req(PEM_read_bio_X509_REQ(ReadBio(csr_pem).get(), nullptr, nullptr, nullptr));
    Check(req && X509_REQ_verify(req.get(), X509_REQ_get0_pubkey(req.get())) == 1, "CSR verify");
    X509Ptr signed_cert = SignedCertificate(req.get(), ca, true);
    std::string cert_pem = PemOf(
        [](BIO* bio, const void* cert) {
          return PEM_write_bio_X509(bio, static_cast<X509*>(const_cast<void*>(cert)));
        },
        signed_cert.get());
    X509Ptr cert(PEM_read_bio_X509(ReadBio(cert_pem).get(), nullptr, nullptr, nullptr));
    Check(cert && X509_check_private_key(cert.get(), key.get()) == 1, "key match");
    benchmark::DoNotOptimize(cert);
  }
}
BENCHMARK(BM_PerCertificateWithPemHandOvers);

}  // namespace

BENCHMARK_MAIN();
