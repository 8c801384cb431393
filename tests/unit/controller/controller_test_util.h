#pragma once
// Shared material for the controller's decision tests: cached keys, self-signed certificates
// issued from a Certificate spec, and resources shaped as the API server returns them.

#include <nlohmann/json.hpp>
#include <string>

#include "lib/core/time_format.h"
#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"

namespace certforge::controller::test {

using nlohmann::json;
using TimePoint = core::TimePoint;

// An ordinary Certificate spec: one DNS name, an ECDSA key, the Issuer "ca", Secret "web-tls".
json WebSpec();

// An RFC 3339 instant; fails the test when unreadable.
TimePoint At(const std::string& rfc3339);

// One key of each kind for the whole binary (RSA generation is slow).
const pki::PrivateKey& EcKey();       // P-256
const pki::PrivateKey& OtherEcKey();  // another P-256
const pki::PrivateKey& Ec384Key();
const pki::PrivateKey& Ed25519Key();
const pki::PrivateKey& RsaKey();  // 2048 bits

std::string Pkcs8(const pki::PrivateKey& key);
std::string Base64(const std::string& bytes);

// A "CERTIFICATE REQUEST" PEM for a Certificate's spec (JSON, as in the resource).
std::string CsrPem(const json& certificate_spec, const pki::PrivateKey& key);

struct Issued {
  pki::Certificate leaf;
  std::string chain_pem;  // tls.crt
  std::string ca_pem;     // ca.crt (the certificate itself, as SelfSigned reports it)
};
// What a SelfSigned issuer returns for `certificate_spec` at `now` (notBefore = now, notAfter =
// now + spec.duration or 90 days).
Issued IssueSelfSigned(const json& certificate_spec, const pki::PrivateKey& key, TimePoint now);

// A cert-manager.io/v1 Certificate "apps/web" with metadata.generation 1.
json CertificateResource(const json& spec, const json& status = json::object());
// A kubernetes.io/tls Secret "apps/web-tls" holding tls.key and tls.crt (base64).
json TlsSecret(const std::string& key_pem, const std::string& cert_pem,
               const json& annotations = json::object());
// A CertificateRequest "apps/web-1" whose spec.request is base64(csr_pem) plus `spec_fields`.
json RequestResource(const std::string& csr_pem, const json& spec_fields,
                     const json& status = json::object());

}  // namespace certforge::controller::test
