#include "lib/pki/certificate_request.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstring>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/der_reader.h"
#include "lib/pki/distinguished_name.h"
#include "lib/pki/name_constraints.h"
#include "lib/pki/object_identifier.h"
#include "lib/pki/status_macros.h"

namespace certforge::pki {

struct ParsedCsrState {
  std::string der;
  std::string_view info_der;
  std::string_view subject_der;
  std::string_view signature;
  X509NamePtr subject;
  X509AlgorPtr signature_algorithm;
  std::optional<PublicKey> public_key;
  X509ExtensionStackPtr extensions;
  const X509_EXTENSION* subject_alt_name = nullptr;
  SubjectAltNames alt_names;
  std::optional<std::vector<KeyUsage>> key_usages;
  std::optional<std::vector<ExtKeyUsage>> ext_key_usages;
  std::vector<std::string> unknown_ext_key_usages;
  std::optional<BasicConstraintsValue> basic_constraints;
  std::optional<NameConstraints> name_constraints;
};

namespace {

// DER contents of the PKCS#9 extensionRequest OID, 1.2.840.113549.1.9.14.
constexpr std::string_view kExtensionRequestOid = "\x2a\x86\x48\x86\xf7\x0d\x01\x09\x0e";

absl::Status Malformed(std::string_view what) {
  return absl::InvalidArgumentError("malformed certificate request: " + std::string(what));
}

// Decodes exactly `der` (trailing bytes are an error, reported as null).
template <typename Ptr, typename D2i>
Ptr DecodeWhole(std::string_view der, D2i d2i) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Ptr out(d2i(nullptr, &p, static_cast<long>(der.size())));
  if (out && p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) out.reset();
  return out;
}

// Appends the extensions of every extensionRequest attribute (Go reads each one's first value).
absl::Status ReadAttributes(std::string_view attributes, STACK_OF(X509_EXTENSION) * *extensions) {
  while (!attributes.empty()) {
    CF_ASSIGN_OR_RETURN(DerElement attribute,
                        ReadDerElement(attributes, V_ASN1_SEQUENCE, "CSR attribute"));
    std::string_view fields = attribute.contents;
    CF_ASSIGN_OR_RETURN(DerElement type, ReadDerElement(fields, V_ASN1_OBJECT, "CSR attribute"));
    if (type.contents != kExtensionRequestOid) continue;
    CF_ASSIGN_OR_RETURN(DerElement values, ReadDerElement(fields, V_ASN1_SET, "CSR attribute"));
    std::string_view value_list = values.contents;
    CF_ASSIGN_OR_RETURN(DerElement first,
                        ReadDerElement(value_list, V_ASN1_SEQUENCE, "CSR extension request"));
    X509ExtensionStackPtr parsed =
        DecodeWhole<X509ExtensionStackPtr>(first.full, d2i_X509_EXTENSIONS);
    if (!parsed) {
      OpenSslErrors();
      return Malformed("extension request");
    }
    while (sk_X509_EXTENSION_num(parsed.get()) > 0) {
      X509_EXTENSION* ext = sk_X509_EXTENSION_shift(parsed.get());
      if (*extensions == nullptr) *extensions = sk_X509_EXTENSION_new_null();
      if (*extensions == nullptr || sk_X509_EXTENSION_push(*extensions, ext) <= 0) {
        X509_EXTENSION_free(ext);
        return OpenSslError(absl::StatusCode::kInternal, "allocating extensions");
      }
    }
  }
  return absl::OkStatus();
}

template <typename Ptr>
absl::StatusOr<Ptr> DecodeExtension(const X509_EXTENSION* ext, const char* what) {
  Ptr value(
      static_cast<typename Ptr::element_type*>(X509V3_EXT_d2i(const_cast<X509_EXTENSION*>(ext))));
  if (!value) {
    OpenSslErrors();
    return Malformed(absl::StrCat(what, " extension"));
  }
  return value;
}

// Go's isValidIPMask: ones, then zeros.
bool IsPrefixMask(std::string_view mask) {
  bool seen_zero = false;
  for (unsigned char byte : mask) {
    if (seen_zero) {
      if (byte != 0) return false;
      continue;
    }
    if (byte == 0xff) continue;
    if (std::string_view("\x00\x80\xc0\xe0\xf0\xf8\xfc\xfe", 8).find(static_cast<char>(byte)) ==
        std::string_view::npos) {
      return false;
    }
    seen_zero = true;
  }
  return true;
}

// Go's UnmarshalNameConstraints refuses other name types and malformed IP ranges.
absl::Status CheckConstraintSubtrees(const STACK_OF(GENERAL_SUBTREE) * subtrees) {
  for (int i = 0; i < sk_GENERAL_SUBTREE_num(subtrees); ++i) {
    const GENERAL_NAME* base = sk_GENERAL_SUBTREE_value(subtrees, i)->base;
    if (base->type == GEN_IPADD) {
      std::string_view octets = Asn1Bytes(base->d.iPAddress);
      if (octets.size() != 8 && octets.size() != 32) {
        return absl::InvalidArgumentError(
            absl::StrCat("x509: IP constraint contained value of length ", octets.size()));
      }
      if (!IsPrefixMask(octets.substr(octets.size() / 2))) {
        return absl::InvalidArgumentError("x509: IP constraint contained invalid mask");
      }
    } else if (base->type != GEN_DNS && base->type != GEN_EMAIL && base->type != GEN_URI) {
      return absl::InvalidArgumentError("x509: unsupported NameConstraints tag");
    }
  }
  return absl::OkStatus();
}

// Reads the extensions cert-manager's signers look at, as CertificateTemplateFromCSR does.
absl::Status InterpretExtensions(ParsedCsrState& state) {
  std::set<std::string> seen;
  for (int i = 0; i < sk_X509_EXTENSION_num(state.extensions.get()); ++i) {
    const X509_EXTENSION* ext = sk_X509_EXTENSION_value(state.extensions.get(), i);
    const ASN1_OBJECT* object = X509_EXTENSION_get_object(const_cast<X509_EXTENSION*>(ext));
    if (!seen.insert(ObjectIdentifierText(object)).second) {
      return absl::InvalidArgumentError(
          "x509: certificate request contains duplicate requested extensions");
    }
    switch (OBJ_obj2nid(object)) {
      case NID_subject_alt_name: {
        CF_ASSIGN_OR_RETURN(GeneralNamesPtr names,
                            DecodeExtension<GeneralNamesPtr>(ext, "subjectAltName"));
        state.alt_names = DecodeGeneralNames(names.get());
        state.subject_alt_name = ext;
        break;
      }
      case NID_key_usage: {
        CF_ASSIGN_OR_RETURN(Asn1BitStringPtr bits,
                            DecodeExtension<Asn1BitStringPtr>(ext, "keyUsage"));
        std::vector<KeyUsage> usages;
        for (int bit = 0; bit < kKeyUsageBits; ++bit) {
          if (ASN1_BIT_STRING_get_bit(bits.get(), bit) == 1) {
            usages.push_back(static_cast<KeyUsage>(bit));
          }
        }
        state.key_usages = std::move(usages);
        break;
      }
      case NID_ext_key_usage: {
        CF_ASSIGN_OR_RETURN(ExtendedKeyUsagePtr list,
                            DecodeExtension<ExtendedKeyUsagePtr>(ext, "extendedKeyUsage"));
        std::vector<ExtKeyUsage> usages;
        for (int k = 0; k < sk_ASN1_OBJECT_num(list.get()); ++k) {
          const ASN1_OBJECT* oid = sk_ASN1_OBJECT_value(list.get(), k);
          if (std::optional<ExtKeyUsage> usage = ExtKeyUsageFromNid(OBJ_obj2nid(oid))) {
            usages.push_back(*usage);
          } else {
            state.unknown_ext_key_usages.push_back(ObjectIdentifierText(oid));
          }
        }
        state.ext_key_usages = std::move(usages);
        break;
      }
      case NID_basic_constraints: {
        CF_ASSIGN_OR_RETURN(BasicConstraintsPtr constraints,
                            DecodeExtension<BasicConstraintsPtr>(ext, "basicConstraints"));
        BasicConstraintsValue value;
        value.is_ca = constraints->ca != 0;
        if (constraints->pathlen != nullptr) {
          long length = ASN1_INTEGER_get(constraints->pathlen);
          if (length < 0) return Malformed("basicConstraints path length");
          value.max_path_length = static_cast<int>(length);
        }
        state.basic_constraints = value;
        break;
      }
      case NID_name_constraints: {
        CF_ASSIGN_OR_RETURN(NameConstraintsPtr constraints,
                            DecodeExtension<NameConstraintsPtr>(ext, "nameConstraints"));
        if (sk_GENERAL_SUBTREE_num(constraints->permittedSubtrees) <= 0 &&
            sk_GENERAL_SUBTREE_num(constraints->excludedSubtrees) <= 0) {
          return absl::InvalidArgumentError("x509: empty name constraints extension");
        }
        CF_RETURN_IF_ERROR(CheckConstraintSubtrees(constraints->permittedSubtrees));
        CF_RETURN_IF_ERROR(CheckConstraintSubtrees(constraints->excludedSubtrees));
        state.name_constraints =
            DecodeNameConstraints(constraints.get(), X509_EXTENSION_get_critical(ext) == 1);
        break;
      }
      default:
        break;
    }
  }
  return absl::OkStatus();
}

int ExpectedKeyNid(KeyAlgorithm algorithm) {
  switch (algorithm) {
    case KeyAlgorithm::kRsa:
      return NID_rsaEncryption;
    case KeyAlgorithm::kEcdsa:
      return NID_X9_62_id_ecPublicKey;
    case KeyAlgorithm::kEd25519:
      return NID_ED25519;
  }
  return NID_undef;
}

// Slow path for signature algorithms the fast one does not know (RSASSA-PSS, ...).
absl::Status VerifyWithOpenSsl(const std::string& der) {
  X509ReqPtr request = DecodeWhole<X509ReqPtr>(der, d2i_X509_REQ);
  EVP_PKEY* key = request ? X509_REQ_get0_pubkey(request.get()) : nullptr;
  if (key == nullptr || X509_REQ_verify(request.get(), key) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "certificate request signature does not verify");
  }
  return absl::OkStatus();
}

absl::Status VerifySignature(const ParsedCsrState& state) {
  int md_nid = NID_undef;
  int key_nid = NID_undef;
  int signature_nid = OBJ_obj2nid(state.signature_algorithm->algorithm);
  if (OBJ_find_sigid_algs(signature_nid, &md_nid, &key_nid) != 1 ||
      (md_nid == NID_undef && key_nid != NID_ED25519)) {
    return VerifyWithOpenSsl(state.der);
  }
  if (md_nid == NID_md5 || md_nid == NID_md5_sha1) {
    return absl::InvalidArgumentError("x509: cannot verify signature: insecure algorithm MD5");
  }
  if (key_nid != ExpectedKeyNid(state.public_key->algorithm())) {
    return absl::InvalidArgumentError(
        "certificate request signature algorithm does not match its public key");
  }
  CF_ASSIGN_OR_RETURN(EvpPkeyPtr key, state.public_key->Decode());
  EvpMdCtxPtr ctx(EVP_MD_CTX_new());
  const EVP_MD* md = md_nid == NID_undef ? nullptr : EVP_get_digestbynid(md_nid);
  bool verified =
      ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(state.signature.data()),
                       state.signature.size(),
                       reinterpret_cast<const unsigned char*>(state.info_der.data()),
                       state.info_der.size()) == 1;
  if (!verified) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "certificate request signature does not verify");
  }
  return absl::OkStatus();
}

absl::Status ParseInto(ParsedCsrState& state) {
  std::string_view in = state.der;
  CF_ASSIGN_OR_RETURN(DerElement request, ReadDerElement(in, V_ASN1_SEQUENCE, "CSR"));
  if (!in.empty()) return Malformed("trailing data");
  std::string_view body = request.contents;
  CF_ASSIGN_OR_RETURN(DerElement info, ReadDerElement(body, V_ASN1_SEQUENCE, "CSR info"));
  CF_ASSIGN_OR_RETURN(DerElement algorithm,
                      ReadDerElement(body, V_ASN1_SEQUENCE, "CSR signature algorithm"));
  CF_ASSIGN_OR_RETURN(DerElement signature,
                      ReadDerElement(body, V_ASN1_BIT_STRING, "CSR signature"));
  if (!body.empty() || signature.contents.empty() || signature.contents[0] != 0) {
    return Malformed("signature");
  }
  state.info_der = info.full;
  state.signature = signature.contents.substr(1);
  state.signature_algorithm = DecodeWhole<X509AlgorPtr>(algorithm.full, d2i_X509_ALGOR);
  if (!state.signature_algorithm) return Malformed("signature algorithm");

  std::string_view fields = info.contents;
  CF_ASSIGN_OR_RETURN(DerElement version, ReadDerElement(fields, V_ASN1_INTEGER, "CSR version"));
  (void)version;
  CF_ASSIGN_OR_RETURN(DerElement subject, ReadDerElement(fields, V_ASN1_SEQUENCE, "CSR subject"));
  state.subject_der = subject.full;
  state.subject = DecodeWhole<X509NamePtr>(subject.full, d2i_X509_NAME);
  if (!state.subject) return Malformed("subject");

  CF_ASSIGN_OR_RETURN(DerElement spki, ReadDerElement(fields, V_ASN1_SEQUENCE, "CSR public key"));
  std::string_view key_fields = spki.contents;
  CF_ASSIGN_OR_RETURN(DerElement key_algorithm,
                      ReadDerElement(key_fields, V_ASN1_SEQUENCE, "CSR public key"));
  CF_ASSIGN_OR_RETURN(DerElement key_bits,
                      ReadDerElement(key_fields, V_ASN1_BIT_STRING, "CSR public key"));
  if (!key_fields.empty() || key_bits.contents.empty() || key_bits.contents[0] != 0) {
    return Malformed("public key");
  }
  X509AlgorPtr key_algor = DecodeWhole<X509AlgorPtr>(key_algorithm.full, d2i_X509_ALGOR);
  if (!key_algor) return Malformed("public key algorithm");
  CF_ASSIGN_OR_RETURN(state.public_key,
                      PublicKey::FromParts(key_algor.get(), key_bits.contents.substr(1)));

  if (!fields.empty()) {
    CF_ASSIGN_OR_RETURN(DerElement attributes, ReadDerElement(fields));
    if (attributes.tag != 0 || attributes.tag_class != V_ASN1_CONTEXT_SPECIFIC ||
        !attributes.constructed || !fields.empty()) {
      return Malformed("attributes");
    }
    STACK_OF(X509_EXTENSION)* extensions = nullptr;
    absl::Status read = ReadAttributes(attributes.contents, &extensions);
    state.extensions.reset(extensions);
    CF_RETURN_IF_ERROR(read);
  }
  return InterpretExtensions(state);
}

// The DER inside the first PEM block, which must be a certificate request.
absl::StatusOr<std::string> PemBody(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long length = 0;
  if (!bio || PEM_read_bio(bio.get(), &name, &header, &data, &length) != 1) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        "error decoding certificate request PEM block");
  }
  OpenSslStringPtr owned_name(name);
  OpenSslStringPtr owned_header(header);
  OpenSslBytesPtr owned_data(data);
  if (std::strcmp(name, "CERTIFICATE REQUEST") != 0 &&
      std::strcmp(name, "NEW CERTIFICATE REQUEST") != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("expected a CERTIFICATE REQUEST PEM block, got ", name));
  }
  return std::string(reinterpret_cast<char*>(data), static_cast<size_t>(length));
}

}  // namespace

ParsedCsr::ParsedCsr(std::shared_ptr<const ParsedCsrState> state) : state_(std::move(state)) {}

absl::StatusOr<ParsedCsr> ParsedCsr::Parse(std::string_view der, bool verify) {
  auto state = std::make_shared<ParsedCsrState>();
  state->der.assign(der.data(), der.size());  // views below point into this copy
  CF_RETURN_IF_ERROR(ParseInto(*state));
  if (verify) CF_RETURN_IF_ERROR(VerifySignature(*state));
  return ParsedCsr(std::move(state));
}

absl::StatusOr<ParsedCsr> ParsedCsr::ParsePem(std::string_view pem, bool verify) {
  CF_ASSIGN_OR_RETURN(std::string der, PemBody(pem));
  return Parse(der, verify);
}

absl::StatusOr<ParsedCsr> ParsedCsr::FromPem(std::string_view pem) { return ParsePem(pem, true); }

absl::StatusOr<ParsedCsr> ParsedCsr::FromPemUnverified(std::string_view pem) {
  return ParsePem(pem, false);
}

absl::StatusOr<ParsedCsr> ParsedCsr::FromDer(std::string_view der) { return Parse(der, true); }

const std::string& ParsedCsr::der() const { return state_->der; }
std::string_view ParsedCsr::subject_der() const { return state_->subject_der; }
const X509_NAME* ParsedCsr::subject() const { return state_->subject.get(); }
std::string ParsedCsr::SubjectText() const { return NameText(state_->subject.get()); }
bool ParsedCsr::subject_empty() const { return X509_NAME_entry_count(state_->subject.get()) == 0; }

std::string ParsedCsr::CommonName() const {
  std::vector<std::string> names = NameValues(state_->subject.get(), NID_commonName);
  return names.empty() ? std::string() : names.back();
}

const SubjectAltNames& ParsedCsr::alt_names() const { return state_->alt_names; }
const X509_EXTENSION* ParsedCsr::subject_alt_name_extension() const {
  return state_->subject_alt_name;
}
const std::optional<std::vector<KeyUsage>>& ParsedCsr::key_usages() const {
  return state_->key_usages;
}
const std::optional<std::vector<ExtKeyUsage>>& ParsedCsr::ext_key_usages() const {
  return state_->ext_key_usages;
}
const std::vector<std::string>& ParsedCsr::unknown_ext_key_usages() const {
  return state_->unknown_ext_key_usages;
}
const std::optional<BasicConstraintsValue>& ParsedCsr::basic_constraints() const {
  return state_->basic_constraints;
}
const std::optional<NameConstraints>& ParsedCsr::name_constraints() const {
  return state_->name_constraints;
}
const STACK_OF(X509_EXTENSION) * ParsedCsr::extensions() const { return state_->extensions.get(); }
const PublicKey& ParsedCsr::public_key() const { return *state_->public_key; }
int ParsedCsr::signature_nid() const { return OBJ_obj2nid(state_->signature_algorithm->algorithm); }

}  // namespace certforge::pki
