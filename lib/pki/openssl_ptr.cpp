#include "lib/pki/openssl_ptr.h"

#include <openssl/crypto.h>
#include <openssl/err.h>

#include <string>

namespace certforge::pki {

void OpenSslFreeDeleter::operator()(void* p) const { OPENSSL_free(p); }

void X509StackDeleter::operator()(STACK_OF(X509) * stack) const {
  sk_X509_pop_free(stack, X509_free);
}

void X509ExtensionStackDeleter::operator()(STACK_OF(X509_EXTENSION) * stack) const {
  sk_X509_EXTENSION_pop_free(stack, X509_EXTENSION_free);
}

std::string OpenSslErrors() {
  std::string out;
  const char* data = nullptr;
  int flags = 0;
  while (unsigned long code = ERR_get_error_all(nullptr, nullptr, nullptr, &data, &flags)) {
    if (!out.empty()) out += "; ";
    const char* lib = ERR_lib_error_string(code);
    const char* reason = ERR_reason_error_string(code);
    if (lib != nullptr) {
      out += lib;
      out += ": ";
    }
    if (reason != nullptr) {
      out += reason;
    } else {
      out += "error " + std::to_string(ERR_GET_REASON(code));
    }
    if ((flags & ERR_TXT_STRING) != 0 && data != nullptr && *data != '\0') {
      out += " (";
      out += data;
      out += ")";
    }
  }
  return out;
}

absl::Status OpenSslError(absl::StatusCode code, std::string_view what) {
  std::string errors = OpenSslErrors();
  std::string message(what);
  if (!errors.empty()) message += ": " + errors;
  return absl::Status(code, message);
}

BioPtr MemoryBio(std::string_view data) {
  // BIO_new_mem_buf refuses a null pointer, which an empty string_view may carry.
  const char* bytes = data.data() != nullptr ? data.data() : "";
  return BioPtr(BIO_new_mem_buf(bytes, static_cast<int>(data.size())));
}

BioPtr NewMemoryBio() { return BioPtr(BIO_new(BIO_s_mem())); }

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long length = BIO_get_mem_data(bio, &data);
  if (length <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<size_t>(length));
}

std::string_view Asn1Bytes(const ASN1_STRING* s) {
  if (s == nullptr) return {};
  return std::string_view(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                          static_cast<size_t>(ASN1_STRING_length(s)));
}

}  // namespace certforge::pki
