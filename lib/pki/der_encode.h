#pragma once
// A few DER encoders for the structures OpenSSL 3.0 cannot build for us: the PKCS#12 envelope
// with a PBMAC1 MAC (RFC 9579) and the Sun JKS key protector's EncryptedPrivateKeyInfo.

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace certforge::pki {

// Tag, definite length, contents.
std::string DerTlv(uint8_t tag, std::string_view contents);
// A SEQUENCE of already encoded elements, in order.
std::string DerSequence(std::initializer_list<std::string_view> elements);
std::string DerOctetString(std::string_view bytes);
std::string DerNull();
// A non-negative INTEGER.
std::string DerInteger(uint64_t value);
// An OBJECT IDENTIFIER from dotted text ("1.2.840.113549.1.5.14"); "" when OpenSSL refuses it.
std::string DerOid(const char* dotted);

}  // namespace certforge::pki
