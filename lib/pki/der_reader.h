#pragma once
// A minimal DER walker: splits an encoding into its elements without building OpenSSL objects,
// so a CSR can be read without OpenSSL decoding its public key on the way (see public_key.h).

#include <string_view>

#include "absl/status/statusor.h"

namespace certforge::pki {

struct DerElement {
  int tag = 0;        // tag number
  int tag_class = 0;  // V_ASN1_UNIVERSAL, V_ASN1_CONTEXT_SPECIFIC, ...
  bool constructed = false;
  std::string_view full;      // header and contents
  std::string_view contents;  // contents only
};

// Reads the next element of `in` and advances past it. Indefinite lengths and elements longer
// than the input are InvalidArgument.
absl::StatusOr<DerElement> ReadDerElement(std::string_view& in);

// Same, and the element must be a universal one with `tag` (V_ASN1_SEQUENCE, ...).
absl::StatusOr<DerElement> ReadDerElement(std::string_view& in, int tag, const char* what);

}  // namespace certforge::pki
