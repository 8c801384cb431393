#include "lib/pki/distinguished_name.h"

#include <openssl/objects.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/pki/address_syntax.h"
#include "lib/pki/object_identifier.h"
#include "lib/pki/status_macros.h"

namespace certforge::pki {
namespace {

constexpr char kOidCountry[] = "2.5.4.6";
constexpr char kOidOrganization[] = "2.5.4.10";
constexpr char kOidOrganizationalUnit[] = "2.5.4.11";
constexpr char kOidCommonName[] = "2.5.4.3";
constexpr char kOidSerialNumber[] = "2.5.4.5";
constexpr char kOidLocality[] = "2.5.4.7";
constexpr char kOidProvince[] = "2.5.4.8";
constexpr char kOidStreetAddress[] = "2.5.4.9";
constexpr char kOidPostalCode[] = "2.5.4.17";
constexpr char kOidDomainComponent[] = "0.9.2342.19200300.100.1.25";
constexpr char kOidUserId[] = "0.9.2342.19200300.100.1.1";

// cert-manager's attributeTypeNames: the only names a literal subject may use.
constexpr std::pair<std::string_view, const char*> kLiteralTypes[] = {
    {"C", kOidCountry},
    {"O", kOidOrganization},
    {"OU", kOidOrganizationalUnit},
    {"CN", kOidCommonName},
    {"SERIALNUMBER", kOidSerialNumber},
    {"L", kOidLocality},
    {"ST", kOidProvince},
    {"STREET", kOidStreetAddress},
    {"DC", kOidDomainComponent},
    {"UID", kOidUserId},
};

void AppendRdn(RdnSequence& rdns, const std::vector<std::string>& values, const char* oid) {
  if (values.empty()) return;
  RelativeDistinguishedName rdn;
  for (const std::string& value : values) rdn.push_back({oid, "", value});
  rdns.push_back(std::move(rdn));
}

// go-ldap's stripLeadingAndTrailingSpaces: a trailing space survives only when escaped by an
// odd number of backslashes.
std::string StripSpaces(std::string_view in) {
  size_t begin = in.find_first_not_of(' ');
  if (begin == std::string_view::npos) return {};
  size_t end = in.find_last_not_of(' ');
  std::string out(in.substr(begin, end - begin + 1));
  if (in.back() == ' ') {
    size_t backslashes = 0;
    for (size_t i = out.size(); i > 0 && out[i - 1] == '\\'; --i) ++backslashes;
    if (backslashes % 2 == 1) out += ' ';
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Go's %#U for an invalid hex byte: "U+0067 'g'".
std::string GoHexError(char c) {
  char buffer[32];
  std::snprintf(buffer, sizeof(buffer), "U+%04X '%c'", static_cast<unsigned char>(c), c);
  return absl::StrCat("encoding/hex: invalid byte: ", buffer);
}

// go-ldap's decodeString: trims, unescapes "\<special>" and "\XX", and refuses raw '"', ';',
// '<', '>' and NUL.
absl::StatusOr<std::string> DecodeDnString(std::string_view raw) {
  std::string s = StripSpaces(raw);
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c != '\\') {
      if (c == '"' || c == ';' || c == '<' || c == '>') {
        return absl::InvalidArgumentError(
            absl::StrCat("got unescaped character: '", std::string(1, c), "'"));
      }
      if (c == '\0') return absl::InvalidArgumentError("got unescaped NULL character");
      out += c;
      continue;
    }
    if (i + 1 >= s.size()) {
      return absl::InvalidArgumentError(absl::StrCat("got corrupted escaped character: '", s, "'"));
    }
    char next = s[i + 1];
    if (std::string_view(" \"#+,;<=>\\").find(next) != std::string_view::npos) {
      out += next;
      ++i;
      continue;
    }
    if (i + 2 >= s.size()) {
      return absl::InvalidArgumentError(
          absl::StrCat("failed to decode escaped character: encoding/hex: invalid byte: ",
                       std::string(1, next)));
    }
    int high = HexValue(s[i + 1]);
    int low = HexValue(s[i + 2]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(absl::StrCat("failed to decode escaped character: ",
                                                     GoHexError(high < 0 ? s[i + 1] : s[i + 2])));
    }
    out += static_cast<char>(high * 16 + low);
    i += 2;
  }
  return out;
}

// go-ldap's decodeEncodedString: "#" + hex of one BER element, whose content bytes are the value.
absl::StatusOr<std::string> DecodeHexBer(std::string_view hex) {
  if (hex.size() % 2 != 0) {
    return absl::InvalidArgumentError(
        "failed to decode BER encoding: encoding/hex: odd length hex string");
  }
  std::string der;
  for (size_t i = 0; i < hex.size(); i += 2) {
    int high = HexValue(hex[i]);
    int low = HexValue(hex[i + 1]);
    if (high < 0 || low < 0) {
      return absl::InvalidArgumentError(absl::StrCat("failed to decode BER encoding: ",
                                                     GoHexError(high < 0 ? hex[i] : hex[i + 1])));
    }
    der += static_cast<char>(high * 16 + low);
  }
  const auto* start = reinterpret_cast<const unsigned char*>(der.data());
  const unsigned char* p = start;
  long length = 0;
  int tag = 0;
  int xclass = 0;
  int flags = ASN1_get_object(&p, &length, &tag, &xclass, static_cast<long>(der.size()));
  if ((flags & 0x80) != 0 || (flags & 0x01) != 0) {
    OpenSslErrors();
    return absl::InvalidArgumentError("failed to decode BER encoding: unexpected EOF");
  }
  size_t header = static_cast<size_t>(p - start);
  if (header + static_cast<size_t>(length) != der.size()) {
    return absl::InvalidArgumentError("failed to decode BER encoding: trailing bytes after value");
  }
  return der.substr(header);
}

absl::Status SetAttributeType(NameAttribute& attribute, std::string_view raw) {
  CF_ASSIGN_OR_RETURN(attribute.type, DecodeDnString(raw));
  return absl::OkStatus();
}

absl::Status SetAttributeValue(NameAttribute& attribute, std::string_view raw) {
  if (!raw.empty() && raw[0] == '#') {
    CF_ASSIGN_OR_RETURN(attribute.value, DecodeHexBer(raw.substr(1)));
  } else {
    CF_ASSIGN_OR_RETURN(attribute.value, DecodeDnString(raw));
  }
  return absl::OkStatus();
}

std::string LiteralTypeOid(const std::string& type) {
  for (const auto& [name, oid] : kLiteralTypes) {
    if (name == type) return oid;
  }
  return CanonicalObjectIdentifier(type);
}

// Go's asn1 PrintableString set, without '*' and '&' (which Go only tolerates when parsing).
bool IsGoPrintable(unsigned char c) {
  return std::isalnum(c) != 0 || (c >= '\'' && c <= ')') || (c >= '+' && c <= '/') || c == ' ' ||
         c == ':' || c == '=' || c == '?';
}

absl::Status AddAttribute(X509_NAME* name, const NameAttribute& attribute, bool new_rdn) {
  if (attribute.oid.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unrecognized subject attribute type \"", attribute.type, "\""));
  }
  CF_ASSIGN_OR_RETURN(Asn1ObjectPtr object, ParseObjectIdentifier(attribute.oid));
  bool printable = std::all_of(attribute.value.begin(), attribute.value.end(),
                               [](char c) { return IsGoPrintable(static_cast<unsigned char>(c)); });
  if (!printable && !IsValidUtf8(attribute.value)) {
    return absl::InvalidArgumentError("asn1: string not valid UTF-8");
  }
  int type = printable ? V_ASN1_PRINTABLESTRING : V_ASN1_UTF8STRING;
  if (X509_NAME_add_entry_by_OBJ(
          name, object.get(), type, reinterpret_cast<const unsigned char*>(attribute.value.data()),
          static_cast<int>(attribute.value.size()), -1, new_rdn ? 0 : -1) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("invalid subject attribute ", attribute.oid));
  }
  return absl::OkStatus();
}

}  // namespace

RdnSequence SubjectRdnSequence(const X509Subject& subject, const std::string& common_name) {
  RdnSequence rdns;
  AppendRdn(rdns, subject.countries, kOidCountry);
  AppendRdn(rdns, subject.provinces, kOidProvince);
  AppendRdn(rdns, subject.localities, kOidLocality);
  AppendRdn(rdns, subject.street_addresses, kOidStreetAddress);
  AppendRdn(rdns, subject.postal_codes, kOidPostalCode);
  AppendRdn(rdns, subject.organizations, kOidOrganization);
  AppendRdn(rdns, subject.organizational_units, kOidOrganizationalUnit);
  if (!common_name.empty()) AppendRdn(rdns, {common_name}, kOidCommonName);
  if (!subject.serial_number.empty()) AppendRdn(rdns, {subject.serial_number}, kOidSerialNumber);
  return rdns;
}

absl::StatusOr<RdnSequence> ParseLiteralSubject(std::string_view text) {
  RdnSequence parsed;  // in written order; reversed at the end
  if (text.find_first_not_of(" \t\n\v\f\r") == std::string_view::npos) return parsed;

  RelativeDistinguishedName rdn;
  NameAttribute attribute;
  bool escaping = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (escaping) {
      escaping = false;
    } else if (c == '\\') {
      escaping = true;
    } else if (c == '=' && attribute.type.empty()) {
      CF_RETURN_IF_ERROR(SetAttributeType(attribute, text.substr(start, i - start)));
      start = i + 1;
    } else if (c == ',' || c == '+' || c == ';') {
      if (attribute.type.empty()) {
        return absl::InvalidArgumentError("incomplete type, value pair");
      }
      CF_RETURN_IF_ERROR(SetAttributeValue(attribute, text.substr(start, i - start)));
      start = i + 1;
      rdn.push_back(std::move(attribute));
      attribute = NameAttribute();
      if (c != '+') {
        parsed.push_back(std::move(rdn));
        rdn.clear();
      }
    }
  }
  if (attribute.type.empty()) {
    return absl::InvalidArgumentError("DN ended with incomplete type, value pair");
  }
  CF_RETURN_IF_ERROR(SetAttributeValue(attribute, text.substr(start)));
  rdn.push_back(std::move(attribute));
  parsed.push_back(std::move(rdn));

  RdnSequence rdns(parsed.rbegin(), parsed.rend());
  for (RelativeDistinguishedName& r : rdns) {
    for (NameAttribute& a : r) a.oid = LiteralTypeOid(a.type);
  }
  return rdns;
}

absl::StatusOr<RdnSequence> SpecSubjectRdnSequence(const CertificateSpec& spec) {
  if (!spec.literal_subject.empty()) return ParseLiteralSubject(spec.literal_subject);
  return SubjectRdnSequence(spec.subject, spec.common_name);
}

std::string RdnCommonName(const RdnSequence& rdns) {
  for (const RelativeDistinguishedName& rdn : rdns) {
    for (const NameAttribute& attribute : rdn) {
      if (attribute.oid == kOidCommonName) return attribute.value;
    }
  }
  return {};
}

absl::StatusOr<X509NamePtr> BuildX509Name(const RdnSequence& rdns) {
  X509NamePtr name(X509_NAME_new());
  if (!name) return OpenSslError(absl::StatusCode::kInternal, "allocating name");
  for (const RelativeDistinguishedName& rdn : rdns) {
    for (size_t i = 0; i < rdn.size(); ++i) {
      CF_RETURN_IF_ERROR(AddAttribute(name.get(), rdn[i], i == 0));
    }
  }
  return name;
}

absl::StatusOr<std::string> RdnSequenceDer(const RdnSequence& rdns) {
  CF_ASSIGN_OR_RETURN(X509NamePtr name, BuildX509Name(rdns));
  std::string der = NameDer(name.get());
  if (der.empty()) return OpenSslError(absl::StatusCode::kInternal, "encoding name");
  return der;
}

std::vector<std::string> NameValues(const X509_NAME* name, int nid) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) {
      OpenSslErrors();
      continue;
    }
    OpenSslBytesPtr owned(utf8);
    out.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  }
  return out;
}

std::string NameDer(const X509_NAME* name) { return ToDer(name, i2d_X509_NAME); }

std::string NameText(const X509_NAME* name) {
  BioPtr bio = NewMemoryBio();
  if (!bio || X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) < 0) {
    OpenSslErrors();
    return {};
  }
  return BioContents(bio.get());
}

}  // namespace certforge::pki
