#pragma once
// The bearer token for each request: a static one, or a file re-read periodically because
// bound service-account tokens rotate. Thread-safe. The token is never logged.

#include <chrono>
#include <mutex>
#include <string>

namespace certforge::k8sgw {

class TokenSource {
 public:
  TokenSource(std::string static_token, std::string token_file,
              std::chrono::seconds refresh = std::chrono::seconds(60));

  // Empty when there is no token. A failed re-read keeps the last good token.
  std::string Token();

 private:
  const std::string token_file_;
  const std::chrono::seconds refresh_;
  std::mutex mu_;
  std::string token_;
  std::chrono::steady_clock::time_point read_at_{};
  bool read_once_ = false;
};

}  // namespace certforge::k8sgw
