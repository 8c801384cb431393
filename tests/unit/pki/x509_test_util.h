#pragma once
// Helpers for the X.509 engine tests: specs, CSRs and issued certificates with assertions that
// fail the test (instead of returning errors), and the openssl command line on files.

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "lib/pki/ca_issuer.h"
#include "lib/pki/certificate.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/csr_signer.h"
#include "lib/pki/private_key.h"
#include "tests/unit/pki/pki_test_util.h"

namespace certforge::pki::test {

using TimePoint = std::chrono::system_clock::time_point;

// A fixed issuance time, whole seconds, so validity can be compared exactly.
TimePoint FixedNow();

// A spec with only a common name and one DNS name.
CertificateSpec MinimalSpec(const std::string& name = "app.example.test");

// MinimalSpec with spec.privateKey describing `key`.
CertificateSpec SpecForKey(const PrivateKey& key, const std::string& name = "app.example.test");

// BuildCsr then ParsedCsr::FromPem; fails the test (and aborts) on error.
ParsedCsr CsrFor(const CertificateSpec& spec, const PrivateKey& key);
std::string CsrPemFor(const CertificateSpec& spec, const PrivateKey& key);

// Issues with `options` (now = FixedNow() unless set); fails the test (and aborts) on error.
IssuedCertificate IssueOrDie(const ParsedCsr& csr, SignOptions options);

// A CA issuer whose signing certificate is a self-signed root made with IssueFromCsr.
std::shared_ptr<const CaIssuer> RootIssuer(const PrivateKey& key, const std::string& name);
// An intermediate signed by `parent`, as an issuer whose Secret's tls.crt holds the
// intermediate and ca.crt the parent's top certificate (when `with_ca_crt`).
std::shared_ptr<const CaIssuer> IntermediateIssuer(const std::shared_ptr<const CaIssuer>& parent,
                                                   const PrivateKey& key, const std::string& name,
                                                   bool with_ca_crt);

// Values of an extension in an issued certificate: DER data, or "" when absent; criticality.
std::string ExtensionData(const Certificate& certificate, int nid);
bool ExtensionCritical(const Certificate& certificate, int nid);
// NIDs of the certificate's extensions, in order.
std::vector<int> ExtensionOrder(const Certificate& certificate);
// NID of the certificate's signature digest (NID_sha256, ...; NID_undef for Ed25519).
int SignatureDigestNid(const Certificate& certificate);

// Writes `contents` to `dir`/`name` and returns the path.
std::string WriteFile(const ScratchDir& dir, const std::string& name, const std::string& contents);

}  // namespace certforge::pki::test
