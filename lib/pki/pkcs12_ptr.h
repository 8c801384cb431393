#pragma once
// Owning pointers for the OpenSSL PKCS#12 / PKCS#7 objects the keystore encoders build.

#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>

#include <memory>

#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

// sk_*_pop_free are macros, so they cannot be template arguments.
struct SafeBagStackDeleter {
  void operator()(STACK_OF(PKCS12_SAFEBAG) * stack) const {
    sk_PKCS12_SAFEBAG_pop_free(stack, PKCS12_SAFEBAG_free);
  }
};
struct Pkcs7StackDeleter {
  void operator()(STACK_OF(PKCS7) * stack) const { sk_PKCS7_pop_free(stack, PKCS7_free); }
};

using Pkcs12Ptr = std::unique_ptr<PKCS12, OpenSslDeleter<&PKCS12_free>>;
using SafeBagPtr = std::unique_ptr<PKCS12_SAFEBAG, OpenSslDeleter<&PKCS12_SAFEBAG_free>>;
using SafeBagStackPtr = std::unique_ptr<STACK_OF(PKCS12_SAFEBAG), SafeBagStackDeleter>;
using Pkcs7Ptr = std::unique_ptr<PKCS7, OpenSslDeleter<&PKCS7_free>>;
using Pkcs7StackPtr = std::unique_ptr<STACK_OF(PKCS7), Pkcs7StackDeleter>;
using Pkcs8InfoPtr =
    std::unique_ptr<PKCS8_PRIV_KEY_INFO, OpenSslDeleter<&PKCS8_PRIV_KEY_INFO_free>>;

}  // namespace certforge::pki
