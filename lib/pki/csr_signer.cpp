#include "lib/pki/csr_signer.h"

#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/certificate_spec.h"
#include "lib/pki/distinguished_name.h"
#include "lib/pki/name_constraints.h"
#include "lib/pki/public_key.h"
#include "lib/pki/signature_algorithm.h"
#include "lib/pki/status_macros.h"
#include "lib/pki/x509_extensions.h"

namespace certforge::pki {
namespace {

// Go's CreateCertificate serial: 20 random bytes with the top bit cleared (positive, at most
// 20 octets encoded).
absl::Status SetRandomSerial(X509* x509) {
  unsigned char bytes[20];
  if (RAND_bytes(bytes, sizeof(bytes)) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "drawing a random serial number");
  }
  bytes[0] &= 0x7f;
  bytes[sizeof(bytes) - 1] |= 1;  // never zero
  BignumPtr number(BN_bin2bn(bytes, sizeof(bytes), nullptr));
  if (!number || BN_to_ASN1_INTEGER(number.get(), X509_get_serialNumber(x509)) == nullptr) {
    return OpenSslError(absl::StatusCode::kInternal, "setting serial number");
  }
  return absl::OkStatus();
}

absl::Status SetTime(ASN1_TIME* field, std::chrono::system_clock::time_point t) {
  time_t seconds = std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
  if (ASN1_TIME_set(field, seconds) == nullptr) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "validity time out of range");
  }
  return absl::OkStatus();
}

const char* GoBool(bool value) { return value ? "true" : "false"; }

// CertificateTemplateValidateAndOverrideBasicConstraints: a requested basicConstraints must
// agree with the request's isCA.
absl::Status CheckRequestedConstraints(const ParsedCsr& csr, bool is_ca) {
  const std::optional<BasicConstraintsValue>& requested = csr.basic_constraints();
  if (requested && requested->is_ca != is_ca) {
    return absl::InvalidArgumentError(
        absl::StrCat("encoded CSR error: IsCA ", GoBool(requested->is_ca),
                     " does not match expected value ", GoBool(is_ca)));
  }
  return absl::OkStatus();
}

// CertificateTemplateValidateAndOverrideKeyUsages: requested usages must be exactly the
// request's (key usages as a set, extended ones in order).
absl::Status CheckRequestedUsages(const ParsedCsr& csr, const Usages& expected) {
  if (!csr.key_usages() && !csr.ext_key_usages()) return absl::OkStatus();
  std::vector<KeyUsage> requested_ku = csr.key_usages().value_or(std::vector<KeyUsage>{});
  if (requested_ku != expected.key_usages) {
    return absl::InvalidArgumentError(absl::StrCat(
        "encoded CSR error: the KeyUsages ", FormatKeyUsages(requested_ku),
        " do not match the expected KeyUsages ", FormatKeyUsages(expected.key_usages)));
  }
  std::vector<ExtKeyUsage> requested_eku =
      csr.ext_key_usages().value_or(std::vector<ExtKeyUsage>{});
  if (requested_eku != expected.ext_key_usages) {
    return absl::InvalidArgumentError(absl::StrCat(
        "encoded CSR error: the ExtKeyUsages ", FormatExtKeyUsages(requested_eku),
        " do not match the expected ExtKeyUsages ", FormatExtKeyUsages(expected.ext_key_usages)));
  }
  return absl::OkStatus();
}

absl::Status CheckSelfSignedKey(const ParsedCsr& csr, const PrivateKey& key) {
  CF_ASSIGN_OR_RETURN(PublicKey own, PublicKey::FromPrivateKey(key));
  if (!own.SameKeyAs(csr.public_key())) {
    return absl::InvalidArgumentError("CSR not signed by referenced private key");
  }
  return absl::OkStatus();
}

// Go's buildCertExtensions order: keyUsage, extendedKeyUsage, basicConstraints,
// subjectKeyIdentifier, authorityKeyIdentifier, authorityInfoAccess, nameConstraints,
// cRLDistributionPoints, then the subjectAltName copied from the CSR.
absl::Status AddExtensions(X509* x509, const ParsedCsr& csr, const SignOptions& options,
                           const Usages& usages, const X509_NAME* issuer_name) {
  if (!usages.key_usages.empty()) CF_RETURN_IF_ERROR(AddKeyUsage(x509, usages.key_usages));
  if (!usages.ext_key_usages.empty() || !csr.unknown_ext_key_usages().empty()) {
    // Unknown requested OIDs survive: cert-manager overrides only the known usages.
    CF_RETURN_IF_ERROR(AddExtKeyUsage(x509, usages.ext_key_usages, csr.unknown_ext_key_usages()));
  }
  CF_RETURN_IF_ERROR(AddBasicConstraints(x509, options.is_ca, std::nullopt));
  if (options.is_ca) {
    CF_RETURN_IF_ERROR(AddSubjectKeyId(x509, Sha256KeyIdentifier(csr.public_key().KeyBits())));
  }
  if (options.ca && !options.ca->subject_key_id().empty() &&
      NameDer(issuer_name) != csr.subject_der()) {
    CF_RETURN_IF_ERROR(AddAuthorityKeyId(x509, options.ca->subject_key_id()));
  }
  if (options.ca && (!options.ocsp_servers.empty() || !options.issuing_certificate_urls.empty())) {
    CF_RETURN_IF_ERROR(
        AddAuthorityInfoAccess(x509, options.ocsp_servers, options.issuing_certificate_urls));
  }
  if (csr.name_constraints()) CF_RETURN_IF_ERROR(AddNameConstraints(x509, *csr.name_constraints()));
  if (!options.crl_distribution_points.empty()) {
    CF_RETURN_IF_ERROR(AddCrlDistributionPoints(x509, options.crl_distribution_points));
  }
  if (const X509_EXTENSION* names = csr.subject_alt_name_extension()) {
    ExtensionSink sink(x509);
    CF_RETURN_IF_ERROR(sink.AddCopy(names, csr.subject_empty()));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<IssuedCertificate> IssueFromCsr(const ParsedCsr& csr, const SignOptions& options) {
  if (options.self_signed_key.has_value() == (options.ca != nullptr)) {
    return absl::InvalidArgumentError("exactly one of a self-signed key or a CA issuer is needed");
  }
  std::chrono::nanoseconds duration = options.duration.value_or(kDefaultCertificateDuration);
  if (duration <= std::chrono::nanoseconds(0)) {
    return absl::InvalidArgumentError("the certificate duration must be positive");
  }
  CF_ASSIGN_OR_RETURN(Usages usages, UsagesFromNames(options.usages, options.is_ca));
  CF_RETURN_IF_ERROR(CheckRequestedConstraints(csr, options.is_ca));
  CF_RETURN_IF_ERROR(CheckRequestedUsages(csr, usages));
  const PrivateKey& signer = options.ca ? options.ca->key() : *options.self_signed_key;
  if (!options.ca) CF_RETURN_IF_ERROR(CheckSelfSignedKey(csr, signer));

  X509Ptr x509(X509_new());
  if (!x509 || X509_set_version(x509.get(), X509_VERSION_3) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating certificate");
  }
  X509* x = x509.get();
  CF_RETURN_IF_ERROR(SetRandomSerial(x));
  auto now = options.now.value_or(std::chrono::system_clock::now());
  CF_RETURN_IF_ERROR(SetTime(X509_getm_notBefore(x), now));
  CF_RETURN_IF_ERROR(
      SetTime(X509_getm_notAfter(x),
              now + std::chrono::duration_cast<std::chrono::system_clock::duration>(duration)));
  const X509_NAME* issuer_name =
      options.ca ? X509_get_subject_name(options.ca->signing_certificate().get()) : csr.subject();
  if (X509_set_subject_name(x, csr.subject()) != 1 || X509_set_issuer_name(x, issuer_name) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "setting names");
  }
  // Copied encoded: decoding and re-encoding the key would cost more than the signature.
  CF_RETURN_IF_ERROR(csr.public_key().CopyInto(X509_get_X509_PUBKEY(x)));
  CF_RETURN_IF_ERROR(AddExtensions(x, csr, options, usages, issuer_name));
  if (X509_sign(x, signer.get(), CertificateSignatureDigest(signer)) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "signing certificate");
  }

  IssuedCertificate issued{Certificate::AdoptSigned(std::move(x509)), "", "", "", {}};
  CF_ASSIGN_OR_RETURN(issued.certificate_pem, issued.certificate.ToPem());
  if (options.ca) {
    issued.chain_pem = issued.certificate_pem + options.ca->chain_pem();
    issued.ca_pem = options.ca->ca_pem();
  } else {
    issued.chain_pem = issued.certificate_pem;
    issued.ca_pem = issued.certificate_pem;
    if (csr.subject_empty()) issued.warnings.push_back(kEmptyIssuerDnWarning);
  }
  return issued;
}

}  // namespace certforge::pki
