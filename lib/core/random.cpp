#include "lib/core/random.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <stdexcept>
#include <vector>

namespace certforge::core {
namespace {

std::vector<unsigned char> RandomBytes(size_t n) {
  std::vector<unsigned char> b(n);
  if (RAND_bytes(b.data(), static_cast<int>(n)) != 1) throw std::runtime_error("RAND_bytes failed");
  return b;
}

// For UIDs and generated names, not secrets: OpenSSL 3.0's generator costs microseconds per call
// (parameter lookups, locks) and a busy API server makes a UID on every create, so each thread
// draws a block at a time.
std::array<unsigned char, 16> IdentifierBytes() {
  constexpr size_t kBlock = 512;
  thread_local std::array<unsigned char, kBlock> block;
  thread_local size_t used = kBlock;
  if (used + 16 > kBlock) {
    if (RAND_bytes(block.data(), kBlock) != 1) throw std::runtime_error("RAND_bytes failed");
    used = 0;
  }
  std::array<unsigned char, 16> b;
  std::copy_n(block.begin() + used, b.size(), b.begin());
  used += b.size();
  return b;
}

void AppendHex(unsigned char c, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back(kHex[c >> 4]);
  out.push_back(kHex[c & 0x0f]);
}

}  // namespace

std::string NewUuid() {
  auto b = IdentifierBytes();
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  std::string out;
  out.reserve(36);
  for (size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    AppendHex(b[i], out);
  }
  return out;
}

std::string RandomNameSuffix(size_t n) {
  static constexpr char kAlphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  constexpr size_t kSize = sizeof(kAlphabet) - 1;
  std::string out;
  while (out.size() < n) {
    for (unsigned char c : IdentifierBytes()) {
      if (out.size() < n) out.push_back(kAlphabet[c % kSize]);
    }
  }
  return out;
}

std::string RandomHex(size_t n_bytes) {
  std::string out;
  for (unsigned char c : RandomBytes(n_bytes)) AppendHex(c, out);
  return out;
}

}  // namespace certforge::core
