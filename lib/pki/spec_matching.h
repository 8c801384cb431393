#pragma once
// Does an issued certificate, or a CSR, still match a Certificate spec? Each function returns
// the spec fields that differ, named as cert-manager names them ("spec.dnsNames",
// "spec.subject.organizations", ...); empty means it matches.
//
// What cert-manager itself uses to decide re-issuance: RequestMatchesSpec against the current
// CertificateRequest, and only when that request is gone, CertificateAltNamesMatchSpec (a fuzzy
// check, because issuers such as ACME override subjects, usages and durations).
// CertificateMatchesSpec is the full comparison, meaningful for certificates from issuers that
// honour every field (SelfSigned, CA).

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "lib/pki/certificate.h"
#include "lib/pki/certificate_request.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/private_key.h"

namespace certforge::pki {

// The CertificateRequest fields RequestMatchesSpec compares besides its CSR.
struct CertificateRequestFields {
  bool is_ca = false;
  std::vector<std::string> usages;
  std::optional<std::chrono::nanoseconds> duration;
};

// cert-manager's RequestMatchesSpec (pkg/util/pki/match.go), without the issuerRef check (not
// an X.509 matter): IPs, URIs, e-mails, DNS names, otherNames (when the spec has some), the
// subject (field by field, or the literal subject's exact DER), then the request's isCA,
// usages (as strings, unordered) and duration (when both are set).
std::vector<std::string> RequestMatchesSpec(const ParsedCsr& csr,
                                            const CertificateRequestFields& request,
                                            const CertificateSpec& spec);

// The CSR alone: RequestMatchesSpec's name and subject checks, plus what the CSR itself asks
// for when it carries it: keyUsage/extendedKeyUsage against the spec's usages ("spec.usages",
// only with encodeUsagesInRequest), basicConstraints against isCA ("spec.isCA"), and
// nameConstraints ("spec.nameConstraints").
std::vector<std::string> CsrMatchesSpec(const ParsedCsr& csr, const CertificateSpec& spec);

// Everything a SelfSigned or CA issuer copies into the certificate: names, otherNames,
// subject, isCA, key usages, duration (notAfter - notBefore, within a second) and name
// constraints.
std::vector<std::string> CertificateMatchesSpec(const Certificate& certificate,
                                                const CertificateSpec& spec);

// cert-manager's FuzzyX509AltNamesMatchSpec: commonName and DNS names may move between the CN
// and the SANs; IPs, URIs and e-mails must match.
std::vector<std::string> CertificateAltNamesMatchSpec(const Certificate& certificate,
                                                      const CertificateSpec& spec);

// cert-manager's PrivateKeyMatchesSpec: "spec.privateKey.algorithm" or "spec.privateKey.size".
std::vector<std::string> PrivateKeyMatchesSpec(const PrivateKey& key, const CertificateSpec& spec);

}  // namespace certforge::pki
