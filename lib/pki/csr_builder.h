#pragma once
// The CSR cert-manager's request manager generates for a Certificate (pkg/util/pki GenerateCSR
// + EncodeCSR), with its feature gates at their defaults: literal subjects, otherNames and
// name constraints on, basicConstraints in the request off.

#include <string>

#include "absl/status/statusor.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

struct CsrOptions {
  // cert-manager's UseCertificateRequestBasicConstraints gate (alpha, off).
  bool encode_basic_constraints = false;
};

// Subject (literalSubject in its written order, else Go's order of spec.subject + commonName),
// SANs (DNS, e-mail, IP, URI, otherName; critical when the subject is empty), keyUsage and
// extendedKeyUsage when spec.encodeUsagesInRequest, nameConstraints when set, signed by `key`
// with spec.signatureAlgorithm or the default for the spec's key. Errors are InvalidArgument
// with cert-manager's messages.
absl::StatusOr<std::string> BuildCsrDer(const CertificateSpec& spec, const PrivateKey& key,
                                        const CsrOptions& options = {});
// The same as a "CERTIFICATE REQUEST" PEM block.
absl::StatusOr<std::string> BuildCsr(const CertificateSpec& spec, const PrivateKey& key,
                                     const CsrOptions& options = {});

}  // namespace certforge::pki
