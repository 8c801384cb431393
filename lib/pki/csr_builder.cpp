#include "lib/pki/csr_builder.h"

#include <openssl/pem.h>
#include <openssl/x509.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/distinguished_name.h"
#include "lib/pki/general_names.h"
#include "lib/pki/name_constraints.h"
#include "lib/pki/public_key.h"
#include "lib/pki/signature_algorithm.h"
#include "lib/pki/status_macros.h"
#include "lib/pki/x509_extensions.h"

namespace certforge::pki {
namespace {

constexpr char kNoNameMessage[] =
    "at least one of commonName (from the commonName field or from a literalSubject), dnsNames, "
    "emailSANs, ipAddresses, otherNames, or uriSANs must be set";

// Appends the requested extensions to `list` in GenerateCSR's order.
absl::Status AddRequestedExtensions(const CertificateSpec& spec, const SubjectAltNames& names,
                                    bool subject_empty, const CsrOptions& options,
                                    STACK_OF(X509_EXTENSION) * *list) {
  if (!names.empty()) CF_RETURN_IF_ERROR(AddGeneralNames(list, names, subject_empty));
  if (spec.encode_usages_in_request) {
    absl::StatusOr<Usages> usages = SpecUsages(spec);
    if (!usages.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("failed to build key usages: ", usages.status().message()));
    }
    if (!usages->key_usages.empty()) CF_RETURN_IF_ERROR(AddKeyUsage(list, usages->key_usages));
    if (!usages->ext_key_usages.empty()) {
      CF_RETURN_IF_ERROR(AddExtKeyUsage(list, usages->ext_key_usages));
    }
  }
  if (options.encode_basic_constraints) {
    CF_RETURN_IF_ERROR(AddBasicConstraints(list, spec.is_ca, std::nullopt));
  }
  if (spec.name_constraints) CF_RETURN_IF_ERROR(AddNameConstraints(list, *spec.name_constraints));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> BuildCsrDer(const CertificateSpec& spec, const PrivateKey& key,
                                        const CsrOptions& options) {
  CF_ASSIGN_OR_RETURN(RdnSequence rdns, SpecSubjectRdnSequence(spec));
  std::string common_name = spec.literal_subject.empty() ? spec.common_name : RdnCommonName(rdns);
  SubjectAltNames names;
  names.dns_names = spec.dns_names;
  names.email_addresses = spec.email_addresses;
  names.ip_addresses = spec.ip_addresses;
  names.uris = spec.uris;
  names.other_names = spec.other_names;
  if (common_name.empty() && names.empty()) return absl::InvalidArgumentError(kNoNameMessage);

  CF_ASSIGN_OR_RETURN(const EVP_MD* digest, CsrSignatureDigest(spec, key));
  CF_ASSIGN_OR_RETURN(X509NamePtr subject, BuildX509Name(rdns));
  bool subject_empty = X509_NAME_entry_count(subject.get()) == 0;
  STACK_OF(X509_EXTENSION)* list = nullptr;
  absl::Status added = AddRequestedExtensions(spec, names, subject_empty, options, &list);
  X509ExtensionStackPtr extensions(list);
  CF_RETURN_IF_ERROR(added);
  CF_ASSIGN_OR_RETURN(PublicKey public_key, PublicKey::FromPrivateKey(key));

  X509ReqPtr request(X509_REQ_new());
  if (!request || X509_REQ_set_version(request.get(), X509_REQ_VERSION_1) != 1 ||
      X509_REQ_set_subject_name(request.get(), subject.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "building certificate request");
  }
  // Copied encoded, not set from the EVP_PKEY (see public_key.h for why).
  CF_RETURN_IF_ERROR(public_key.CopyInto(X509_REQ_get_X509_PUBKEY(request.get())));
  if (sk_X509_EXTENSION_num(extensions.get()) > 0 &&
      X509_REQ_add_extensions(request.get(), extensions.get()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "adding requested extensions");
  }
  if (X509_REQ_sign(request.get(), key.get(), digest) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "signing certificate request");
  }
  std::string der = ToDer(request.get(), i2d_X509_REQ);
  if (der.empty()) return OpenSslError(absl::StatusCode::kInternal, "encoding request");
  return der;
}

absl::StatusOr<std::string> BuildCsr(const CertificateSpec& spec, const PrivateKey& key,
                                     const CsrOptions& options) {
  CF_ASSIGN_OR_RETURN(std::string der, BuildCsrDer(spec, key, options));
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  BioPtr bio = NewMemoryBio();
  if (!bio ||
      PEM_write_bio(bio.get(), "CERTIFICATE REQUEST", "", p, static_cast<long>(der.size())) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "encoding request PEM");
  }
  return BioContents(bio.get());
}

}  // namespace certforge::pki
