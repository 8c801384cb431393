#include "lib/pki/certificate.h"

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/provider.h>
#include <openssl/x509v3.h>

#include <ctime>
#include <mutex>
#include <utility>

#include "absl/status/status.h"
#include "lib/pki/ip_address.h"
#include "lib/pki/public_key.h"

namespace certforge::pki {

struct Certificate::State {
  X509Ptr x509;
  bool public_key_decoded = true;
  std::once_flag decode_once;
  X509Ptr decoded;  // set at most once, under decode_once
};

namespace {

// A decoded extension owned by the matching smart pointer; null when absent or malformed.
template <typename Ptr>
Ptr Extension(X509* x509, int nid) {
  return Ptr(
      static_cast<typename Ptr::element_type*>(X509_get_ext_d2i(x509, nid, nullptr, nullptr)));
}

std::vector<std::string> NameEntries(const X509_NAME* name, int nid) {
  std::vector<std::string> out;
  for (int i = X509_NAME_get_index_by_NID(name, nid, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(name, nid, i)) {
    const ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
    unsigned char* utf8 = nullptr;
    int length = ASN1_STRING_to_UTF8(&utf8, data);
    if (length < 0) continue;
    OpenSslBytesPtr owned(utf8);
    out.emplace_back(reinterpret_cast<const char*>(utf8), static_cast<size_t>(length));
  }
  return out;
}

std::string FirstNameEntry(const X509_NAME* name, int nid) {
  std::vector<std::string> entries = NameEntries(name, nid);
  return entries.empty() ? std::string() : entries.front();
}

Certificate::TimePoint ToTimePoint(const ASN1_TIME* time) {
  std::tm tm{};
  if (time == nullptr || ASN1_TIME_to_tm(time, &tm) != 1) return {};
  return std::chrono::system_clock::from_time_t(timegm(&tm));
}

std::string LowerHex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 0xf]);
  }
  return out;
}

// A library context without providers (only "null", so that OpenSSL loads no default one into
// it). An X509 parsed in it keeps its SubjectPublicKeyInfo as bytes: the decoder, which on
// OpenSSL 3.0 costs ten times the rest of the certificate, finds nothing to run. The X509 itself
// still belongs to the default context, so signatures on it verify as usual.
OSSL_LIB_CTX* KeyEncodedContext() {
  static OSSL_LIB_CTX* const kContext = [] {
    OSSL_LIB_CTX* context = OSSL_LIB_CTX_new();
    if (context != nullptr && OSSL_PROVIDER_load(context, "null") == nullptr) {
      OSSL_LIB_CTX_free(context);
      context = nullptr;
    }
    return context;  // never freed: parsing may go on on any thread until the process exits
  }();
  return kContext;
}

void* D2iKeyEncoded(void** out, const unsigned char** in, long length) {
  OSSL_LIB_CTX* context = KeyEncodedContext();
  if (context == nullptr) return d2i_X509(reinterpret_cast<X509**>(out), in, length);
  // OpenSSL drops the decoder's failure itself: the key stays undecoded without an error.
  return ASN1_item_d2i_ex(reinterpret_cast<ASN1_VALUE**>(out), in, length, ASN1_ITEM_rptr(X509),
                          context, nullptr);
}

// The next "CERTIFICATE" block of `bio`, parsed as D2iKeyEncoded does.
X509* ReadPemKeyEncoded(BIO* bio) {
  return static_cast<X509*>(
      PEM_ASN1_read_bio(D2iKeyEncoded, PEM_STRING_X509, bio, nullptr, nullptr, nullptr));
}

}  // namespace

Certificate::Certificate(X509Ptr x509, bool public_key_decoded)
    : state_(std::make_shared<State>()) {
  state_->x509 = std::move(x509);
  state_->public_key_decoded = public_key_decoded;
}

absl::StatusOr<Certificate> Certificate::FromPem(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  X509Ptr x509(bio ? ReadPemKeyEncoded(bio.get()) : nullptr);
  if (!x509) return OpenSslError(absl::StatusCode::kInvalidArgument, "no certificate in PEM");
  return Certificate(std::move(x509), false);
}

absl::StatusOr<std::vector<Certificate>> Certificate::ChainFromPem(std::string_view pem) {
  BioPtr bio = MemoryBio(pem);
  if (!bio) return OpenSslError(absl::StatusCode::kInternal, "allocating BIO");
  std::vector<Certificate> chain;
  while (true) {
    X509Ptr x509(ReadPemKeyEncoded(bio.get()));
    if (x509) {
      chain.push_back(Certificate(std::move(x509), false));
      continue;
    }
    unsigned long error = ERR_peek_last_error();
    bool at_end = ERR_GET_LIB(error) == ERR_LIB_PEM && ERR_GET_REASON(error) == PEM_R_NO_START_LINE;
    if (at_end && !chain.empty()) {
      ERR_clear_error();
      return chain;
    }
    return OpenSslError(
        absl::StatusCode::kInvalidArgument,
        chain.empty() ? "no certificate in PEM" : "malformed certificate in PEM bundle");
  }
}

absl::StatusOr<Certificate> Certificate::FromDer(std::string_view der) {
  if (der.empty()) return absl::InvalidArgumentError("certificate DER is empty");
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr x509(static_cast<X509*>(D2iKeyEncoded(nullptr, &p, static_cast<long>(der.size()))));
  if (!x509 || p != reinterpret_cast<const unsigned char*>(der.data() + der.size())) {
    return OpenSslError(absl::StatusCode::kInvalidArgument, "malformed certificate DER");
  }
  return Certificate(std::move(x509), false);
}

Certificate Certificate::AdoptSigned(X509Ptr x509) { return Certificate(std::move(x509), false); }

absl::StatusOr<std::string> Certificate::ToPem() const {
  BioPtr bio = NewMemoryBio();
  if (!bio || PEM_write_bio_X509(bio.get(), raw()) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "encoding certificate PEM");
  }
  return BioContents(bio.get());
}

std::string Certificate::ToDer() const { return pki::ToDer(raw(), i2d_X509); }

std::string Certificate::CommonName() const {
  return FirstNameEntry(X509_get_subject_name(raw()), NID_commonName);
}

std::vector<std::string> Certificate::Organizations() const {
  return NameEntries(X509_get_subject_name(raw()), NID_organizationName);
}

std::string Certificate::IssuerCommonName() const {
  return FirstNameEntry(X509_get_issuer_name(raw()), NID_commonName);
}

std::vector<std::string> Certificate::DnsNames() const {
  std::vector<std::string> out;
  auto names = Extension<GeneralNamesPtr>(raw(), NID_subject_alt_name);
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type == GEN_DNS) out.emplace_back(Asn1Bytes(name->d.dNSName));
  }
  return out;
}

std::vector<std::string> Certificate::IpAddresses() const {
  std::vector<std::string> out;
  auto names = Extension<GeneralNamesPtr>(raw(), NID_subject_alt_name);
  for (int i = 0; names && i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    if (name->type != GEN_IPADD) continue;
    std::string text = FormatIpAddress(Asn1Bytes(name->d.iPAddress));
    if (!text.empty()) out.push_back(std::move(text));
  }
  return out;
}

Certificate::TimePoint Certificate::NotBefore() const {
  return ToTimePoint(X509_get0_notBefore(raw()));
}

Certificate::TimePoint Certificate::NotAfter() const {
  return ToTimePoint(X509_get0_notAfter(raw()));
}

bool Certificate::IsCa() const {
  auto constraints = Extension<BasicConstraintsPtr>(raw(), NID_basic_constraints);
  return constraints && constraints->ca != 0;
}

std::optional<int> Certificate::MaxPathLength() const {
  auto constraints = Extension<BasicConstraintsPtr>(raw(), NID_basic_constraints);
  if (!constraints || constraints->pathlen == nullptr) return std::nullopt;
  return static_cast<int>(ASN1_INTEGER_get(constraints->pathlen));
}

std::vector<KeyUsage> Certificate::KeyUsages() const {
  std::vector<KeyUsage> out;
  auto bits = Extension<Asn1BitStringPtr>(raw(), NID_key_usage);
  for (int bit = 0; bits && bit < kKeyUsageBits; ++bit) {
    if (ASN1_BIT_STRING_get_bit(bits.get(), bit) == 1) out.push_back(static_cast<KeyUsage>(bit));
  }
  return out;
}

std::vector<ExtKeyUsage> Certificate::ExtKeyUsages() const {
  std::vector<ExtKeyUsage> out;
  auto usages = Extension<ExtendedKeyUsagePtr>(raw(), NID_ext_key_usage);
  for (int i = 0; usages && i < sk_ASN1_OBJECT_num(usages.get()); ++i) {
    std::optional<ExtKeyUsage> usage =
        ExtKeyUsageFromNid(OBJ_obj2nid(sk_ASN1_OBJECT_value(usages.get(), i)));
    if (usage) out.push_back(*usage);
  }
  return out;
}

std::string Certificate::SubjectKeyId() const {
  auto id = Extension<Asn1OctetStringPtr>(raw(), NID_subject_key_identifier);
  return std::string(Asn1Bytes(id.get()));
}

std::string Certificate::AuthorityKeyId() const {
  auto id = Extension<AuthorityKeyIdPtr>(raw(), NID_authority_key_identifier);
  return id ? std::string(Asn1Bytes(id->keyid)) : std::string();
}

std::string Certificate::SerialHex() const {
  const ASN1_INTEGER* serial = X509_get0_serialNumber(raw());
  std::string hex = LowerHex(Asn1Bytes(serial));
  if (hex.empty()) return "00";
  return ASN1_STRING_type(serial) == V_ASN1_NEG_INTEGER ? "-" + hex : hex;
}

std::string Certificate::PublicKeyDer() const {
  return pki::ToDer(EncodedPublicKey(), i2d_X509_PUBKEY);
}

const X509_PUBKEY* Certificate::EncodedPublicKey() const { return X509_get_X509_PUBKEY(raw()); }

bool Certificate::MatchesKey(const PrivateKey& key) const {
  if (key.get() == nullptr) return false;
  // Equal encodings settle it cheaply; otherwise compare the decoded keys, which also catches
  // the same EC point written in another (compressed) form.
  absl::StatusOr<std::string> key_der = key.PublicKeyDer();
  if (key_der.ok() && *key_der == PublicKeyDer()) return true;
  EVP_PKEY* mine = X509_get0_pubkey(get());
  bool equal = mine != nullptr && EVP_PKEY_eq(mine, key.get()) == 1;
  ERR_clear_error();
  return equal;
}

bool Certificate::IsSignedBy(const Certificate& issuer) const {
  if (X509_NAME_cmp(X509_get_issuer_name(raw()), X509_get_subject_name(issuer.raw())) != 0) {
    return false;
  }
  EVP_PKEY* issuer_key = X509_get0_pubkey(issuer.get());
  bool verified = issuer_key != nullptr && X509_verify(raw(), issuer_key) == 1;
  ERR_clear_error();
  return verified;
}

X509* Certificate::get() const {
  if (state_->public_key_decoded) return state_->x509.get();
  // One DER round trip gives OpenSSL its decoded public key; done lazily because most signed
  // certificates are only written out as PEM and never need it.
  std::call_once(state_->decode_once, [this] {
    std::string der = ToDer();
    const auto* p = reinterpret_cast<const unsigned char*>(der.data());
    state_->decoded.reset(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
    ERR_clear_error();
  });
  return state_->decoded ? state_->decoded.get() : state_->x509.get();
}

X509* Certificate::raw() const { return state_->x509.get(); }

}  // namespace certforge::pki
