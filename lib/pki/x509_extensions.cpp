#include "lib/pki/x509_extensions.h"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "absl/strings/str_cat.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {
namespace {

// X509_add1_ext_i2d encodes `value` into a new extension; the caller keeps ownership of `value`.
absl::Status AddExtension(X509* x509, int nid, void* value, bool critical) {
  if (X509_add1_ext_i2d(x509, nid, value, critical ? 1 : 0, X509V3_ADD_DEFAULT) != 1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        absl::StrCat("adding extension ", OBJ_nid2sn(nid)));
  }
  return absl::OkStatus();
}

Asn1OctetStringPtr OctetString(std::string_view bytes) {
  Asn1OctetStringPtr out(ASN1_OCTET_STRING_new());
  if (out && ASN1_OCTET_STRING_set(out.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size())) != 1) {
    return nullptr;
  }
  return out;
}

absl::Status PushName(GENERAL_NAMES* names, int type, int string_type, std::string_view value) {
  GeneralNamePtr name(GENERAL_NAME_new());
  Asn1StringPtr data(ASN1_STRING_type_new(string_type));
  if (!name || !data ||
      ASN1_STRING_set(data.get(), value.data(), static_cast<int>(value.size())) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating subject alternative name");
  }
  GENERAL_NAME_set0_value(name.get(), type, data.release());
  if (sk_GENERAL_NAME_push(names, name.get()) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating subject alternative name");
  }
  name.release();  // now owned by `names`
  return absl::OkStatus();
}

}  // namespace

absl::Status AddBasicConstraints(X509* x509, bool is_ca, std::optional<int> max_path_length) {
  BasicConstraintsPtr constraints(BASIC_CONSTRAINTS_new());
  if (!constraints) return OpenSslError(absl::StatusCode::kInternal, "allocating constraints");
  constraints->ca = is_ca ? 0xff : 0;
  if (is_ca && max_path_length.has_value()) {
    constraints->pathlen = ASN1_INTEGER_new();
    if (constraints->pathlen == nullptr ||
        ASN1_INTEGER_set(constraints->pathlen, *max_path_length) != 1) {
      return OpenSslError(absl::StatusCode::kInternal, "setting path length");
    }
  }
  return AddExtension(x509, NID_basic_constraints, constraints.get(), true);
}

absl::Status AddKeyUsage(X509* x509, const std::vector<KeyUsage>& usages) {
  Asn1BitStringPtr bits(ASN1_BIT_STRING_new());
  if (!bits) return OpenSslError(absl::StatusCode::kInternal, "allocating key usage");
  for (KeyUsage usage : usages) {
    if (ASN1_BIT_STRING_set_bit(bits.get(), static_cast<int>(usage), 1) != 1) {
      return OpenSslError(absl::StatusCode::kInternal, "setting key usage");
    }
  }
  return AddExtension(x509, NID_key_usage, bits.get(), true);
}

absl::Status AddExtKeyUsage(X509* x509, const std::vector<ExtKeyUsage>& usages) {
  ExtendedKeyUsagePtr list(sk_ASN1_OBJECT_new_null());
  if (!list) return OpenSslError(absl::StatusCode::kInternal, "allocating extended key usage");
  for (ExtKeyUsage usage : usages) {
    // Built-in OIDs are static objects: the list's free leaves them alone.
    if (sk_ASN1_OBJECT_push(list.get(), OBJ_nid2obj(ExtKeyUsageNid(usage))) <= 0) {
      return OpenSslError(absl::StatusCode::kInternal, "setting extended key usage");
    }
  }
  return AddExtension(x509, NID_ext_key_usage, list.get(), false);
}

absl::Status AddSubjectAltNames(X509* x509, const std::vector<std::string>& dns_names,
                                const std::vector<std::string>& ip_octets, bool critical) {
  GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return OpenSslError(absl::StatusCode::kInternal, "allocating names");
  for (const std::string& dns : dns_names) {
    if (absl::Status s = PushName(names.get(), GEN_DNS, V_ASN1_IA5STRING, dns); !s.ok()) return s;
  }
  for (const std::string& ip : ip_octets) {
    if (absl::Status s = PushName(names.get(), GEN_IPADD, V_ASN1_OCTET_STRING, ip); !s.ok()) {
      return s;
    }
  }
  return AddExtension(x509, NID_subject_alt_name, names.get(), critical);
}

absl::Status AddSubjectKeyId(X509* x509, std::string_view id) {
  Asn1OctetStringPtr value = OctetString(id);
  if (!value) return OpenSslError(absl::StatusCode::kInternal, "allocating key id");
  return AddExtension(x509, NID_subject_key_identifier, value.get(), false);
}

absl::Status AddAuthorityKeyId(X509* x509, std::string_view id) {
  AuthorityKeyIdPtr value(AUTHORITY_KEYID_new());
  if (!value) return OpenSslError(absl::StatusCode::kInternal, "allocating key id");
  value->keyid = OctetString(id).release();
  if (value->keyid == nullptr)
    return OpenSslError(absl::StatusCode::kInternal, "allocating key id");
  return AddExtension(x509, NID_authority_key_identifier, value.get(), false);
}

std::string KeyIdentifier(std::string_view public_key_bits) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(public_key_bits.data(), public_key_bits.size(), digest, &length, EVP_sha1(),
                 nullptr) != 1) {
    OpenSslErrors();
    return {};
  }
  return std::string(reinterpret_cast<char*>(digest), length);
}

}  // namespace certforge::pki
