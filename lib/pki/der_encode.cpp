#include "lib/pki/der_encode.h"

#include <openssl/objects.h>

#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

std::string DerTlv(uint8_t tag, std::string_view contents) {
  std::string out(1, static_cast<char>(tag));
  size_t length = contents.size();
  if (length < 0x80) {
    out += static_cast<char>(length);
  } else {
    std::string digits;
    for (size_t rest = length; rest > 0; rest >>= 8) {
      digits.insert(digits.begin(), static_cast<char>(rest & 0xff));
    }
    out += static_cast<char>(0x80 | digits.size());
    out += digits;
  }
  out += contents;
  return out;
}

std::string DerSequence(std::initializer_list<std::string_view> elements) {
  std::string contents;
  for (std::string_view element : elements) contents += element;
  return DerTlv(0x30, contents);
}

std::string DerOctetString(std::string_view bytes) { return DerTlv(0x04, bytes); }

std::string DerNull() { return DerTlv(0x05, {}); }

std::string DerInteger(uint64_t value) {
  std::string digits;
  do {
    digits.insert(digits.begin(), static_cast<char>(value & 0xff));
    value >>= 8;
  } while (value > 0);
  // A leading 1 bit would read as negative.
  if ((static_cast<uint8_t>(digits[0]) & 0x80) != 0) digits.insert(digits.begin(), '\0');
  return DerTlv(0x02, digits);
}

std::string DerOid(const char* dotted) {
  Asn1ObjectPtr object(OBJ_txt2obj(dotted, 1));
  if (!object) return {};
  return ToDer(object.get(), i2d_ASN1_OBJECT);
}

}  // namespace certforge::pki
