#include "lib/pki/go_utf8.h"

#include <cstdint>

namespace certforge::pki {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

// Decodes one rune at the start of `in`; `size` gets the bytes it used (1 when invalid).
char32_t DecodeRune(std::string_view in, size_t& size) {
  size = 1;
  auto byte = [&](size_t i) { return static_cast<uint8_t>(in[i]); };
  uint8_t b0 = byte(0);
  if (b0 < 0x80) return b0;
  int length;
  char32_t code;
  uint8_t low = 0x80;  // bounds of the second byte, which rule out overlongs and surrogates
  uint8_t high = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    length = 2;
    code = b0 & 0x1F;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    length = 3;
    code = b0 & 0x0F;
    if (b0 == 0xE0) low = 0xA0;
    if (b0 == 0xED) high = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    length = 4;
    code = b0 & 0x07;
    if (b0 == 0xF0) low = 0x90;
    if (b0 == 0xF4) high = 0x8F;
  } else {
    return kReplacement;
  }
  if (in.size() < static_cast<size_t>(length)) return kReplacement;
  for (int i = 1; i < length; ++i) {
    uint8_t b = byte(i);
    uint8_t lo = i == 1 ? low : 0x80;
    uint8_t hi = i == 1 ? high : 0xBF;
    if (b < lo || b > hi) return kReplacement;
    code = (code << 6) | (b & 0x3F);
  }
  size = static_cast<size_t>(length);
  return code;
}

}  // namespace

std::vector<GoRune> GoRunes(std::string_view text) {
  std::vector<GoRune> runes;
  size_t offset = 0;
  while (offset < text.size()) {
    size_t size = 1;
    char32_t code = DecodeRune(text.substr(offset), size);
    runes.push_back({offset, code});
    offset += size;
  }
  return runes;
}

void AppendUtf8(std::string& out, char32_t code) {
  if (code < 0x80) {
    out += static_cast<char>(code);
  } else if (code < 0x800) {
    out += static_cast<char>(0xC0 | (code >> 6));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else if (code < 0x10000) {
    out += static_cast<char>(0xE0 | (code >> 12));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code >> 18));
    out += static_cast<char>(0x80 | ((code >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code & 0x3F));
  }
}

std::string GoSanitizedUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const GoRune& rune : GoRunes(text)) AppendUtf8(out, rune.code);
  return out;
}

}  // namespace certforge::pki
