#pragma once
// Dotted-decimal object identifiers as cert-manager takes them (otherNames[].oid, literal
// subject attribute types like "1.2.3=foo").

#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

// cert-manager's ParseObjectIdentifier syntax check: non-empty, and every dot-separated part
// an integer (Go's strconv.Atoi, so an optional sign is accepted here).
bool HasObjectIdentifierSyntax(std::string_view text);
// The arcs of such a text rejoined ("+1.02" → "1.2"), or "" without that syntax. The result may
// still not be encodable (e.g. "123.4"): cert-manager accepts those until it encodes them.
std::string CanonicalObjectIdentifier(std::string_view text);

// An OID encodable in DER (Go's asn1 rules: at least two arcs, the first 0-2, the second below
// 40 when the first is 0 or 1, no negative arcs), as an OpenSSL object.
absl::StatusOr<Asn1ObjectPtr> ParseObjectIdentifier(std::string_view text);

// Dotted-decimal text of an object ("2.5.4.3"), never its name.
std::string ObjectIdentifierText(const ASN1_OBJECT* object);

}  // namespace certforge::pki
