#include "lib/pki/parse_memo.h"

#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"

namespace certforge::pki {
namespace {

// Two generations: lookups promote from the old one, and when the young one is full it becomes
// the old one. Bounded at 2 * kGeneration entries with no per-entry bookkeeping.
constexpr size_t kGeneration = 4096;

template <typename T>
class Memo {
 public:
  template <typename Parse>
  absl::StatusOr<T> Get(std::string_view text, Parse parse) {
    {
      std::lock_guard lock(mu_);
      absl::string_view key(text.data(), text.size());
      if (auto it = young_.find(key); it != young_.end()) return it->second;
      if (auto it = old_.find(key); it != old_.end()) {
        T value = it->second;
        Remember(std::string(text), value);
        return value;
      }
    }
    absl::StatusOr<T> parsed = parse(text);    // outside the lock: parses run in parallel
    if (!parsed.ok()) return parsed.status();  // failures are rare and not worth keeping
    std::lock_guard lock(mu_);
    Remember(std::string(text), *parsed);
    return parsed;
  }

 private:
  void Remember(std::string text, const T& value) {
    if (young_.size() >= kGeneration) {
      old_ = std::move(young_);
      young_.clear();
    }
    young_.insert_or_assign(std::move(text), value);
  }

  std::mutex mu_;
  absl::flat_hash_map<std::string, T> young_;
  absl::flat_hash_map<std::string, T> old_;
};

}  // namespace

absl::StatusOr<PrivateKey> MemoPrivateKeyFromPem(std::string_view pem) {
  static Memo<PrivateKey> memo;
  return memo.Get(pem, PrivateKey::FromPem);
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
