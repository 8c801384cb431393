#include "lib/pki/der_reader.h"

#include <openssl/asn1.h>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

absl::StatusOr<DerElement> ReadDerElement(std::string_view& in) {
  if (in.empty()) return absl::InvalidArgumentError("DER: unexpected end of input");
  const auto* start = reinterpret_cast<const unsigned char*>(in.data());
  const unsigned char* p = start;
  long length = 0;
  int tag = 0;
  int tag_class = 0;
  int flags = ASN1_get_object(&p, &length, &tag, &tag_class, static_cast<long>(in.size()));
  if ((flags & 0x80) != 0 || (flags & 0x01) != 0) {
    OpenSslErrors();  // the message below says what matters
    return absl::InvalidArgumentError("DER: malformed element");
  }
  size_t header = static_cast<size_t>(p - start);
  DerElement element;
  element.tag = tag;
  element.tag_class = tag_class;
  element.constructed = (flags & V_ASN1_CONSTRUCTED) != 0;
  element.full = in.substr(0, header + static_cast<size_t>(length));
  element.contents = in.substr(header, static_cast<size_t>(length));
  in.remove_prefix(element.full.size());
  return element;
}

absl::StatusOr<DerElement> ReadDerElement(std::string_view& in, int tag, const char* what) {
  absl::StatusOr<DerElement> element = ReadDerElement(in);
  if (!element.ok()) return absl::InvalidArgumentError(absl::StrCat(what, ": malformed DER"));
  bool constructed_tag = tag == V_ASN1_SEQUENCE || tag == V_ASN1_SET;
  if (element->tag != tag || element->tag_class != V_ASN1_UNIVERSAL ||
      element->constructed != constructed_tag) {
    return absl::InvalidArgumentError(absl::StrCat(what, ": unexpected DER element"));
  }
  return element;
}

}  // namespace certforge::pki
