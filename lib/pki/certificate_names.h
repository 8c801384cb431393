#pragma once
// The names in an issued certificate as cert-manager reads them back (Go's x509 + pkix.Name):
// every subject alternative name, and the subject's fields.

#include "lib/pki/certificate.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/general_names.h"

namespace certforge::pki {

SubjectAltNames CertificateAltNames(const Certificate& certificate);
// commonName is not part of X509Subject (see Certificate::CommonName); the serial number is the
// last one, as pkix.Name keeps it.
X509Subject CertificateSubject(const Certificate& certificate);

}  // namespace certforge::pki
