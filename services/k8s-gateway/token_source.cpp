#include "services/k8s-gateway/token_source.h"

#include <fstream>
#include <sstream>

#include "absl/strings/ascii.h"

namespace certforge::k8sgw {

TokenSource::TokenSource(std::string static_token, std::string token_file,
                         std::chrono::seconds refresh)
    : token_file_(std::move(token_file)), refresh_(refresh), token_(std::move(static_token)) {}

std::string TokenSource::Token() {
  std::lock_guard<std::mutex> lock(mu_);
  if (token_file_.empty()) return token_;
  auto now = std::chrono::steady_clock::now();
  if (read_once_ && now - read_at_ < refresh_) return token_;
  std::ifstream in(token_file_, std::ios::binary);
  if (in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string fresh(absl::StripAsciiWhitespace(ss.str()));
    if (!fresh.empty()) token_ = std::move(fresh);
  }
  read_at_ = now;
  read_once_ = true;
  return token_;
}

}  // namespace certforge::k8sgw
