#pragma once
// Subject alternative names as cert-manager writes them into a CSR (DNS names, e-mail
// addresses, IP addresses, URIs, then UTF8String otherNames) and reads them back.

#include <openssl/x509v3.h>

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/x509_extensions.h"

namespace certforge::pki {

struct SubjectAltNames {
  std::vector<std::string> dns_names;
  std::vector<std::string> email_addresses;
  std::vector<std::string> ip_addresses;  // canonical text ("10.0.0.1", "2001:db8::1")
  std::vector<std::string> uris;
  std::vector<OtherName> other_names;  // UTF8String-valued ones
  // An otherName whose value is not a UTF8String (cert-manager cannot compare those).
  bool has_other_name_of_other_type = false;
  // Names of other kinds (directoryName, registeredID, ...), which cert-manager never writes.
  int other_kinds = 0;

  bool empty() const;
};

// In cert-manager's MarshalSANs order. IP addresses are parsed (IPv4-mapped ones become 4
// octets); DNS names, e-mails and URIs must be ASCII (`x509: "…" cannot be encoded as an
// IA5String`); otherName OIDs must be valid.
absl::StatusOr<GeneralNamesPtr> EncodeGeneralNames(const SubjectAltNames& names);
absl::Status AddGeneralNames(ExtensionSink sink, const SubjectAltNames& names, bool critical);

SubjectAltNames DecodeGeneralNames(const GENERAL_NAMES* names);

}  // namespace certforge::pki
