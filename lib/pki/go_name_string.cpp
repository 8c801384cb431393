#include "lib/pki/go_name_string.h"

#include <openssl/objects.h>

#include <array>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include "lib/pki/der_encode.h"
#include "lib/pki/go_utf8.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {
namespace {

struct KnownAttribute {
  int nid;
  const char* label;
};

// The order of pkix.Name.ToRDNSequence.
constexpr std::array<KnownAttribute, 9> kKnownAttributes{{
    {NID_countryName, "C"},
    {NID_stateOrProvinceName, "ST"},
    {NID_localityName, "L"},
    {NID_streetAddress, "STREET"},
    {NID_postalCode, "POSTALCODE"},
    {NID_organizationName, "O"},
    {NID_organizationalUnitName, "OU"},
    {NID_commonName, "CN"},
    {NID_serialNumber, "SERIALNUMBER"},
}};

const KnownAttribute* FindKnown(int nid) {
  for (const KnownAttribute& known : kKnownAttributes) {
    if (known.nid == nid) return &known;
  }
  return nullptr;
}

// The value as Go's parser hands it over: BMPString decoded to UTF-8, other strings as stored.
std::string GoValue(const ASN1_STRING* value) {
  if (ASN1_STRING_type(value) == V_ASN1_BMPSTRING) {
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, value);
    if (length >= 0) {
      OpenSslBytesPtr owned(utf8);
      return std::string(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
    }
  }
  return std::string(Asn1Bytes(value));
}

std::string Escape(const std::string& value) {
  std::string out;
  for (const GoRune& rune : GoRunes(value)) {
    bool escape = false;
    switch (rune.code) {
      case ',':
      case '+':
      case '"':
      case '\\':
      case '<':
      case '>':
      case ';':
        escape = true;
        break;
      case ' ':
        escape = rune.offset == 0 || rune.offset + 1 == value.size();
        break;
      case '#':
        escape = rune.offset == 0;
        break;
      default:
        break;
    }
    if (escape) out += '\\';
    AppendUtf8(out, rune.code);
  }
  return out;
}

// encoding/asn1's PrintableString alphabet when marshalling (no '*', no '&').
bool IsGoPrintable(const std::string& value) {
  for (unsigned char c : value) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              (c >= '\'' && c <= ')') || (c >= '+' && c <= '/') || c == ' ' || c == ':' ||
              c == '=' || c == '?';
    if (!ok) return false;
  }
  return true;
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0F];
  }
  return out;
}

// An attribute Go has no name for: its value re-marshalled from the Go string.
std::string UnknownAttributeText(const std::string& oid, const std::string& value) {
  if (IsGoPrintable(value)) return oid + "=#" + Hex(DerTlv(V_ASN1_PRINTABLESTRING, value));
  if (GoSanitizedUtf8(value) == value) return oid + "=#" + Hex(DerTlv(V_ASN1_UTF8STRING, value));
  return oid + "=" + Escape(value);  // Go's fallback when marshalling fails
}

std::string DottedOid(const ASN1_OBJECT* object) {
  std::array<char, 128> buffer{};
  int length = OBJ_obj2txt(buffer.data(), static_cast<int>(buffer.size()), object, 1);
  if (length <= 0) return {};
  return std::string(buffer.data(), std::min<size_t>(static_cast<size_t>(length), 127));
}

}  // namespace

std::string GoNameString(const X509_NAME* name) {
  // pkix.Name.FillFromRDNSequence: known attributes go to fields (the last CN and serial number
  // win); everything else stays a one-value RDN of its own.
  std::map<int, std::vector<std::string>> fields;
  std::vector<std::string> unknown;  // already formatted, in name order
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    const ASN1_OBJECT* object = X509_NAME_ENTRY_get_object(entry);
    std::string value = GoValue(X509_NAME_ENTRY_get_data(entry));
    int nid = OBJ_obj2nid(object);
    if (FindKnown(nid) == nullptr) {
      unknown.push_back(UnknownAttributeText(DottedOid(object), value));
    } else if (nid == NID_commonName || nid == NID_serialNumber) {
      fields[nid] = {value};
    } else {
      fields[nid].push_back(value);
    }
  }
  // RDNSequence.String prints the sequence backwards: ToRDNSequence reversed, then the others.
  std::vector<std::string> rdns;
  for (const KnownAttribute& known : kKnownAttributes) {
    auto it = fields.find(known.nid);
    if (it == fields.end()) continue;
    bool single = known.nid == NID_commonName || known.nid == NID_serialNumber;
    if (single && it->second.front().empty()) continue;
    std::string rdn;
    for (const std::string& value : it->second) {
      if (!rdn.empty()) rdn += '+';
      rdn += std::string(known.label) + "=" + Escape(value);
    }
    rdns.push_back(rdn);
  }
  std::string out;
  for (auto it = rdns.rbegin(); it != rdns.rend(); ++it) {
    if (!out.empty()) out += ',';
    out += *it;
  }
  for (auto it = unknown.rbegin(); it != unknown.rend(); ++it) {
    if (!out.empty()) out += ',';
    out += *it;
  }
  return out;
}

}  // namespace certforge::pki
