#include "lib/pki/general_names.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/address_syntax.h"
#include "lib/pki/ip_address.h"
#include "lib/pki/object_identifier.h"
#include "lib/pki/status_macros.h"

namespace certforge::pki {
namespace {

absl::Status Push(GENERAL_NAMES* names, GeneralNamePtr name) {
  if (!name || sk_GENERAL_NAME_push(names, name.get()) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating subject alternative name");
  }
  name.release();  // now owned by `names`
  return absl::OkStatus();
}

absl::StatusOr<GeneralNamePtr> StringName(int type, int string_type, std::string_view value) {
  GeneralNamePtr name(GENERAL_NAME_new());
  Asn1StringPtr data(ASN1_STRING_type_new(string_type));
  if (!name || !data ||
      ASN1_STRING_set(data.get(), value.data(), static_cast<int>(value.size())) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating subject alternative name");
  }
  GENERAL_NAME_set0_value(name.get(), type, data.release());
  return name;
}

absl::StatusOr<GeneralNamePtr> Ia5Name(int type, const std::string& value) {
  if (!IsIa5String(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("x509: \"", value, "\" cannot be encoded as an IA5String"));
  }
  return StringName(type, V_ASN1_IA5STRING, value);
}

absl::StatusOr<GeneralNamePtr> OtherNameEntry(const OtherName& other) {
  CF_ASSIGN_OR_RETURN(Asn1ObjectPtr oid, ParseObjectIdentifier(other.oid));
  if (!IsValidUtf8(other.utf8_value)) {
    return absl::InvalidArgumentError("asn1: invalid UTF-8 string");
  }
  GeneralNamePtr name(GENERAL_NAME_new());
  Asn1TypePtr value(ASN1_TYPE_new());
  Asn1StringPtr text(ASN1_UTF8STRING_new());
  if (!name || !value || !text ||
      ASN1_STRING_set(text.get(), other.utf8_value.data(),
                      static_cast<int>(other.utf8_value.size())) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating otherName");
  }
  ASN1_TYPE_set(value.get(), V_ASN1_UTF8STRING, text.release());
  if (GENERAL_NAME_set0_othername(name.get(), oid.get(), value.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating otherName");
  }
  oid.release();  // both now owned by `name`
  value.release();
  return name;
}

}  // namespace

bool SubjectAltNames::empty() const {
  return dns_names.empty() && email_addresses.empty() && ip_addresses.empty() && uris.empty() &&
         other_names.empty() && !has_other_name_of_other_type && other_kinds == 0;
}

absl::StatusOr<GeneralNamesPtr> EncodeGeneralNames(const SubjectAltNames& names) {
  GeneralNamesPtr out(sk_GENERAL_NAME_new_null());
  if (!out) return OpenSslError(absl::StatusCode::kInternal, "allocating names");
  for (const std::string& dns : names.dns_names) {
    CF_ASSIGN_OR_RETURN(GeneralNamePtr name, Ia5Name(GEN_DNS, dns));
    CF_RETURN_IF_ERROR(Push(out.get(), std::move(name)));
  }
  for (const std::string& email : names.email_addresses) {
    CF_ASSIGN_OR_RETURN(GeneralNamePtr name, Ia5Name(GEN_EMAIL, email));
    CF_RETURN_IF_ERROR(Push(out.get(), std::move(name)));
  }
  for (const std::string& ip : names.ip_addresses) {
    CF_ASSIGN_OR_RETURN(std::string octets, ParseIpAddress(ip));
    CF_ASSIGN_OR_RETURN(GeneralNamePtr name, StringName(GEN_IPADD, V_ASN1_OCTET_STRING, octets));
    CF_RETURN_IF_ERROR(Push(out.get(), std::move(name)));
  }
  for (const std::string& uri : names.uris) {
    CF_ASSIGN_OR_RETURN(GeneralNamePtr name, Ia5Name(GEN_URI, uri));
    CF_RETURN_IF_ERROR(Push(out.get(), std::move(name)));
  }
  for (const OtherName& other : names.other_names) {
    CF_ASSIGN_OR_RETURN(GeneralNamePtr name, OtherNameEntry(other));
    CF_RETURN_IF_ERROR(Push(out.get(), std::move(name)));
  }
  return out;
}

absl::Status AddGeneralNames(ExtensionSink sink, const SubjectAltNames& names, bool critical) {
  CF_ASSIGN_OR_RETURN(GeneralNamesPtr encoded, EncodeGeneralNames(names));
  return sink.AddEncoded(NID_subject_alt_name, encoded.get(), critical);
}

SubjectAltNames DecodeGeneralNames(const GENERAL_NAMES* names) {
  SubjectAltNames out;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    switch (name->type) {
      case GEN_DNS:
        out.dns_names.emplace_back(Asn1Bytes(name->d.dNSName));
        break;
      case GEN_EMAIL:
        out.email_addresses.emplace_back(Asn1Bytes(name->d.rfc822Name));
        break;
      case GEN_URI:
        out.uris.emplace_back(Asn1Bytes(name->d.uniformResourceIdentifier));
        break;
      case GEN_IPADD: {
        std::string text = FormatIpAddress(Asn1Bytes(name->d.iPAddress));
        if (text.empty()) {
          ++out.other_kinds;
        } else {
          out.ip_addresses.push_back(std::move(text));
        }
        break;
      }
      case GEN_OTHERNAME: {
        const OTHERNAME* other = name->d.otherName;
        if (other->value != nullptr && other->value->type == V_ASN1_UTF8STRING) {
          out.other_names.push_back({ObjectIdentifierText(other->type_id),
                                     std::string(Asn1Bytes(other->value->value.utf8string))});
        } else {
          out.has_other_name_of_other_type = true;
        }
        break;
      }
      default:
        ++out.other_kinds;
    }
  }
  return out;
}

}  // namespace certforge::pki
