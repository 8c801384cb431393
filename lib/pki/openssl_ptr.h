#pragma once
// Owning pointers for OpenSSL objects, so every allocation in lib/pki has exactly one owner, and
// helpers that turn the OpenSSL error queue and memory BIOs into C++ values.

#include <openssl/asn1.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"

namespace certforge::pki {

// Calls OpenSSL's free function for the pointee; the aliases below keep each type with its free.
template <auto kFree>
struct OpenSslDeleter {
  template <typename T>
  void operator()(T* p) const {
    kFree(p);
  }
};

// OPENSSL_free and sk_X509_pop_free are macros, so they cannot be template arguments.
struct OpenSslFreeDeleter {
  void operator()(void* p) const;
};
struct X509StackDeleter {
  void operator()(STACK_OF(X509) * stack) const;
};
struct X509ExtensionStackDeleter {
  void operator()(STACK_OF(X509_EXTENSION) * stack) const;
};

using EvpPkeyPtr = std::unique_ptr<EVP_PKEY, OpenSslDeleter<&EVP_PKEY_free>>;
using EvpPkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, OpenSslDeleter<&EVP_PKEY_CTX_free>>;
using X509Ptr = std::unique_ptr<X509, OpenSslDeleter<&X509_free>>;
using X509ReqPtr = std::unique_ptr<X509_REQ, OpenSslDeleter<&X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, OpenSslDeleter<&X509_NAME_free>>;
using X509ExtensionPtr = std::unique_ptr<X509_EXTENSION, OpenSslDeleter<&X509_EXTENSION_free>>;
using X509PubkeyPtr = std::unique_ptr<X509_PUBKEY, OpenSslDeleter<&X509_PUBKEY_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, OpenSslDeleter<&X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, OpenSslDeleter<&X509_STORE_CTX_free>>;
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;
using X509ExtensionStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), X509ExtensionStackDeleter>;
using X509AlgorPtr = std::unique_ptr<X509_ALGOR, OpenSslDeleter<&X509_ALGOR_free>>;
using NameConstraintsPtr =
    std::unique_ptr<NAME_CONSTRAINTS, OpenSslDeleter<&NAME_CONSTRAINTS_free>>;
using GeneralSubtreePtr = std::unique_ptr<GENERAL_SUBTREE, OpenSslDeleter<&GENERAL_SUBTREE_free>>;
using AuthorityInfoAccessPtr =
    std::unique_ptr<AUTHORITY_INFO_ACCESS, OpenSslDeleter<&AUTHORITY_INFO_ACCESS_free>>;
using AccessDescriptionPtr =
    std::unique_ptr<ACCESS_DESCRIPTION, OpenSslDeleter<&ACCESS_DESCRIPTION_free>>;
using CrlDistPointsPtr = std::unique_ptr<CRL_DIST_POINTS, OpenSslDeleter<&CRL_DIST_POINTS_free>>;
using DistPointPtr = std::unique_ptr<DIST_POINT, OpenSslDeleter<&DIST_POINT_free>>;
using Asn1TypePtr = std::unique_ptr<ASN1_TYPE, OpenSslDeleter<&ASN1_TYPE_free>>;
using EvpMdCtxPtr = std::unique_ptr<EVP_MD_CTX, OpenSslDeleter<&EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, OpenSslDeleter<&BIO_free_all>>;
using BignumPtr = std::unique_ptr<BIGNUM, OpenSslDeleter<&BN_free>>;
using Asn1IntegerPtr = std::unique_ptr<ASN1_INTEGER, OpenSslDeleter<&ASN1_INTEGER_free>>;
using Asn1BitStringPtr = std::unique_ptr<ASN1_BIT_STRING, OpenSslDeleter<&ASN1_BIT_STRING_free>>;
using Asn1OctetStringPtr =
    std::unique_ptr<ASN1_OCTET_STRING, OpenSslDeleter<&ASN1_OCTET_STRING_free>>;
using Asn1StringPtr = std::unique_ptr<ASN1_STRING, OpenSslDeleter<&ASN1_STRING_free>>;
using Asn1ObjectPtr = std::unique_ptr<ASN1_OBJECT, OpenSslDeleter<&ASN1_OBJECT_free>>;
using GeneralNamePtr = std::unique_ptr<GENERAL_NAME, OpenSslDeleter<&GENERAL_NAME_free>>;
using GeneralNamesPtr = std::unique_ptr<GENERAL_NAMES, OpenSslDeleter<&GENERAL_NAMES_free>>;
using BasicConstraintsPtr =
    std::unique_ptr<BASIC_CONSTRAINTS, OpenSslDeleter<&BASIC_CONSTRAINTS_free>>;
using ExtendedKeyUsagePtr =
    std::unique_ptr<EXTENDED_KEY_USAGE, OpenSslDeleter<&EXTENDED_KEY_USAGE_free>>;
using AuthorityKeyIdPtr = std::unique_ptr<AUTHORITY_KEYID, OpenSslDeleter<&AUTHORITY_KEYID_free>>;
using OpenSslBytesPtr = std::unique_ptr<unsigned char, OpenSslFreeDeleter>;
using OpenSslStringPtr = std::unique_ptr<char, OpenSslFreeDeleter>;

// Drains this thread's OpenSSL error queue: "lib: reason (detail); ...", or "" when it is empty.
std::string OpenSslErrors();

// A Status "what: <drained OpenSSL errors>" (just "what" when the queue is empty).
absl::Status OpenSslError(absl::StatusCode code, std::string_view what);

// A read-only memory BIO over `data`, which must outlive it.
BioPtr MemoryBio(std::string_view data);
// An empty, writable memory BIO.
BioPtr NewMemoryBio();
// Everything written to a memory BIO.
std::string BioContents(BIO* bio);

// DER encoding through one of OpenSSL's i2d functions; "" when encoding fails.
template <typename T, typename I2d>
std::string ToDer(const T* object, I2d i2d) {
  unsigned char* out = nullptr;
  int length = i2d(object, &out);
  if (length <= 0) return {};
  OpenSslBytesPtr owned(out);
  return std::string(reinterpret_cast<const char*>(out), static_cast<size_t>(length));
}

// A view of an ASN1_STRING's bytes.
std::string_view Asn1Bytes(const ASN1_STRING* s);

}  // namespace certforge::pki
