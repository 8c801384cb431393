#include "lib/pki/parse_memo.h"

#include <mutex>
#include <string>

#include "lib/core/recent_map.h"

namespace certforge::pki {
namespace {

template <typename T>
class Memo {
 public:
  template <typename Parse>
  absl::StatusOr<T> Get(std::string_view text, Parse parse) {
    {
      std::lock_guard lock(mu_);
      if (const T* known = parsed_.Find(text)) return *known;
    }
    absl::StatusOr<T> parsed = parse(text);    // outside the lock: parses run in parallel
    if (!parsed.ok()) return parsed.status();  // failures are rare and not worth keeping
    std::lock_guard lock(mu_);
    parsed_.Put(std::string(text), *parsed);
    return parsed;
  }

  void Put(std::string_view text, const T& value) {
    std::lock_guard lock(mu_);
    if (parsed_.Find(text) == nullptr) parsed_.Put(std::string(text), value);
  }

 private:
  std::mutex mu_;
  core::RecentMap<T> parsed_{4096};
};

Memo<PrivateKey>& PrivateKeys() {
  static Memo<PrivateKey> memo;
  return memo;
}

}  // namespace

absl::StatusOr<PrivateKey> MemoPrivateKeyFromPem(std::string_view pem) {
  return PrivateKeys().Get(pem, PrivateKey::FromPem);
}

void RememberPrivateKeyPem(std::string_view pem, const PrivateKey& key) {
  PrivateKeys().Put(pem, key);
}

absl::StatusOr<Certificate> MemoCertificateFromPem(std::string_view pem) {
  static Memo<Certificate> memo;
  return memo.Get(pem, Certificate::FromPem);
}

absl::StatusOr<ParsedCsr> MemoCsrFromPemUnverified(std::string_view pem) {
  static Memo<ParsedCsr> memo;
  return memo.Get(pem, ParsedCsr::FromPemUnverified);
}

}  // namespace certforge::pki
