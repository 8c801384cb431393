#include "lib/pki/x509_extensions.h"

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "absl/strings/str_cat.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {
namespace {

Asn1OctetStringPtr OctetString(std::string_view bytes) {
  Asn1OctetStringPtr out(ASN1_OCTET_STRING_new());
  if (out && ASN1_OCTET_STRING_set(out.get(), reinterpret_cast<const unsigned char*>(bytes.data()),
                                   static_cast<int>(bytes.size())) != 1) {
    return nullptr;
  }
  return out;
}

// A GENERAL_NAME of type uniformResourceIdentifier.
GeneralNamePtr UriName(const std::string& uri) {
  GeneralNamePtr name(GENERAL_NAME_new());
  Asn1StringPtr data(ASN1_IA5STRING_new());
  if (!name || !data ||
      ASN1_STRING_set(data.get(), uri.data(), static_cast<int>(uri.size())) != 1) {
    return nullptr;
  }
  GENERAL_NAME_set0_value(name.get(), GEN_URI, data.release());
  return name;
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

absl::Status PushAccessDescription(AUTHORITY_INFO_ACCESS* access, int method_nid,
                                   const std::string& url) {
  AccessDescriptionPtr description(ACCESS_DESCRIPTION_new());
  GeneralNamePtr location = UriName(url);
  if (!description || !location) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating access description");
  }
  ASN1_OBJECT_free(description->method);
  description->method = OBJ_nid2obj(method_nid);  // static object: nothing to free later
  GENERAL_NAME_free(description->location);
  description->location = location.release();
  if (sk_ACCESS_DESCRIPTION_push(access, description.get()) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating access description");
  }
  description.release();
  return absl::OkStatus();
}

}  // namespace

absl::Status ExtensionSink::AddEncoded(int nid, void* value, bool critical) const {
  // Both calls encode `value` into a new extension appended without a further copy.
  int added = x509_ != nullptr
                  ? X509_add1_ext_i2d(x509_, nid, value, critical ? 1 : 0, X509V3_ADD_APPEND)
                  : X509V3_add1_i2d(list_, nid, value, critical ? 1 : 0, X509V3_ADD_APPEND);
  if (added != 1) {
    return OpenSslError(absl::StatusCode::kInternal,
                        absl::StrCat("adding extension ", OBJ_nid2sn(nid)));
  }
  return absl::OkStatus();
}

absl::Status ExtensionSink::AddCopy(const X509_EXTENSION* extension, bool critical) const {
  X509ExtensionPtr copy(X509_EXTENSION_create_by_OBJ(
      nullptr, X509_EXTENSION_get_object(const_cast<X509_EXTENSION*>(extension)), critical ? 1 : 0,
      X509_EXTENSION_get_data(const_cast<X509_EXTENSION*>(extension))));
  if (!copy) return OpenSslError(absl::StatusCode::kInternal, "copying extension");
  bool added = x509_ != nullptr ? X509_add_ext(x509_, copy.get(), -1) == 1
                                : X509v3_add_ext(list_, copy.get(), -1) != nullptr;
  if (!added) return OpenSslError(absl::StatusCode::kInternal, "copying extension");
  return absl::OkStatus();
}

absl::Status AddBasicConstraints(ExtensionSink sink, bool is_ca,
                                 std::optional<int> max_path_length) {
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
  return sink.AddEncoded(NID_basic_constraints, constraints.get(), true);
}

absl::Status AddKeyUsage(ExtensionSink sink, const std::vector<KeyUsage>& usages) {
  Asn1BitStringPtr bits(ASN1_BIT_STRING_new());
  if (!bits) return OpenSslError(absl::StatusCode::kInternal, "allocating key usage");
  for (KeyUsage usage : usages) {
    if (ASN1_BIT_STRING_set_bit(bits.get(), static_cast<int>(usage), 1) != 1) {
      return OpenSslError(absl::StatusCode::kInternal, "setting key usage");
    }
  }
  return sink.AddEncoded(NID_key_usage, bits.get(), true);
}

absl::Status AddExtKeyUsage(ExtensionSink sink, const std::vector<ExtKeyUsage>& usages,
                            const std::vector<std::string>& extra_oids) {
  // The list frees its objects: built-in OIDs from OBJ_nid2obj are static (freeing them is a
  // no-op), the parsed extra ones are owned by it.
  ExtendedKeyUsagePtr list(sk_ASN1_OBJECT_new_null());
  if (!list) return OpenSslError(absl::StatusCode::kInternal, "allocating extended key usage");
  for (ExtKeyUsage usage : usages) {
    if (sk_ASN1_OBJECT_push(list.get(), OBJ_nid2obj(ExtKeyUsageNid(usage))) <= 0) {
      return OpenSslError(absl::StatusCode::kInternal, "setting extended key usage");
    }
  }
  for (const std::string& oid : extra_oids) {
    Asn1ObjectPtr object(OBJ_txt2obj(oid.c_str(), 1));
    if (!object || sk_ASN1_OBJECT_push(list.get(), object.get()) <= 0) {
      return OpenSslError(absl::StatusCode::kInvalidArgument, "setting extended key usage");
    }
    object.release();
  }
  return sink.AddEncoded(NID_ext_key_usage, list.get(), false);
}

absl::Status AddSubjectAltNames(ExtensionSink sink, const std::vector<std::string>& dns_names,
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
  return sink.AddEncoded(NID_subject_alt_name, names.get(), critical);
}

absl::Status AddSubjectKeyId(ExtensionSink sink, std::string_view id) {
  Asn1OctetStringPtr value = OctetString(id);
  if (!value) return OpenSslError(absl::StatusCode::kInternal, "allocating key id");
  return sink.AddEncoded(NID_subject_key_identifier, value.get(), false);
}

absl::Status AddAuthorityKeyId(ExtensionSink sink, std::string_view id) {
  AuthorityKeyIdPtr value(AUTHORITY_KEYID_new());
  if (!value) return OpenSslError(absl::StatusCode::kInternal, "allocating key id");
  value->keyid = OctetString(id).release();
  if (value->keyid == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating key id");
  }
  return sink.AddEncoded(NID_authority_key_identifier, value.get(), false);
}

absl::Status AddAuthorityInfoAccess(ExtensionSink sink, const std::vector<std::string>& ocsp_urls,
                                    const std::vector<std::string>& issuer_urls) {
  AuthorityInfoAccessPtr access(sk_ACCESS_DESCRIPTION_new_null());
  if (!access) return OpenSslError(absl::StatusCode::kInternal, "allocating access");
  for (const std::string& url : ocsp_urls) {
    if (absl::Status s = PushAccessDescription(access.get(), NID_ad_OCSP, url); !s.ok()) return s;
  }
  for (const std::string& url : issuer_urls) {
    if (absl::Status s = PushAccessDescription(access.get(), NID_ad_ca_issuers, url); !s.ok()) {
      return s;
    }
  }
  return sink.AddEncoded(NID_info_access, access.get(), false);
}

absl::Status AddCrlDistributionPoints(ExtensionSink sink, const std::vector<std::string>& urls) {
  CrlDistPointsPtr points(sk_DIST_POINT_new_null());
  if (!points) return OpenSslError(absl::StatusCode::kInternal, "allocating CRL points");
  for (const std::string& url : urls) {
    DistPointPtr point(DIST_POINT_new());
    DIST_POINT_NAME* name = DIST_POINT_NAME_new();
    GeneralNamesPtr full_name(sk_GENERAL_NAME_new_null());
    GeneralNamePtr uri = UriName(url);
    if (!point || name == nullptr || !full_name || !uri ||
        sk_GENERAL_NAME_push(full_name.get(), uri.get()) <= 0) {
      DIST_POINT_NAME_free(name);
      return OpenSslError(absl::StatusCode::kInternal, "allocating CRL point");
    }
    uri.release();
    name->type = 0;  // fullName
    name->name.fullname = full_name.release();
    point->distpoint = name;
    if (sk_DIST_POINT_push(points.get(), point.get()) <= 0) {
      return OpenSslError(absl::StatusCode::kInternal, "allocating CRL point");
    }
    point.release();
  }
  return sink.AddEncoded(NID_crl_distribution_points, points.get(), false);
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

std::string Sha256KeyIdentifier(std::string_view public_key_bits) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest(public_key_bits.data(), public_key_bits.size(), digest, &length, EVP_sha256(),
                 nullptr) != 1) {
    OpenSslErrors();
    return {};
  }
  return std::string(reinterpret_cast<char*>(digest), 20);
}

}  // namespace certforge::pki
