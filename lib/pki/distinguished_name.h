#pragma once
// Subject distinguished names as cert-manager builds them: from spec.subject + commonName in Go's
// pkix.Name order, or from an RFC 4514 spec.literalSubject kept in its written order, with Go's
// choice of string type for each value (PrintableString when it can, else UTF8String).

#include <openssl/x509.h>

#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

struct NameAttribute {
  std::string oid;   // dotted decimal; "" for a literal-subject type cert-manager cannot map
  std::string type;  // as written in a literal subject ("CN", "1.2.3"); "" otherwise
  std::string value;
  bool operator==(const NameAttribute&) const = default;
};
using RelativeDistinguishedName = std::vector<NameAttribute>;  // several = multi-valued
using RdnSequence = std::vector<RelativeDistinguishedName>;    // in encoding order

// Go's pkix.Name{...}.ToRDNSequence(): C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER,
// each field's values together in one (multi-valued) RDN.
RdnSequence SubjectRdnSequence(const X509Subject& subject, const std::string& common_name);

// cert-manager's UnmarshalSubjectStringToRDNSequence: go-ldap's ParseDN (RFC 4514 with '+'
// multi-valued RDNs, '\' escapes, '#' hex BER values), reversed into encoding order. Types are
// C, O, OU, CN, SERIALNUMBER, L, ST, STREET, DC, UID (case-sensitive) or a dotted OID; others
// get an empty oid. BuildX509Name refuses both those and OIDs DER cannot encode ("123.4").
absl::StatusOr<RdnSequence> ParseLiteralSubject(std::string_view literal_subject);

// The subject a spec asks for: the literal subject when set, else subject + commonName.
absl::StatusOr<RdnSequence> SpecSubjectRdnSequence(const CertificateSpec& spec);

// The first commonName value, as cert-manager's ExtractCommonNameFromRDNSequence.
std::string RdnCommonName(const RdnSequence& rdns);

// Encodes the sequence; string values as PrintableString when every byte is in Go's printable
// set, else UTF8String (which must then be valid UTF-8).
absl::StatusOr<X509NamePtr> BuildX509Name(const RdnSequence& rdns);
absl::StatusOr<std::string> RdnSequenceDer(const RdnSequence& rdns);

// Every value of attribute `nid` in `name`, in encoding order, as UTF-8.
std::vector<std::string> NameValues(const X509_NAME* name, int nid);
std::string NameDer(const X509_NAME* name);
// RFC 2253 text, most significant RDN last ("CN=app,O=Example").
std::string NameText(const X509_NAME* name);

}  // namespace certforge::pki
