#pragma once
// Go's pkix.Name.String() for a parsed certificate name ("CN=ca,O=Example"): go-pkcs12 names
// each truststore.p12 entry (its friendlyName, which Java shows as the alias) with it.

#include <openssl/x509.h>

#include <string>

namespace certforge::pki {

// Known attributes (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER) in Go's fixed order,
// most significant last, values of one attribute joined by '+'; any other attribute after them
// as "<dotted oid>=#<hex DER>". Values escaped as Go does (,+"\<>; anywhere, a leading '#',
// a leading or trailing space).
std::string GoNameString(const X509_NAME* name);

}  // namespace certforge::pki
