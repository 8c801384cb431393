#pragma once
// UTF-8 decoding with Go's rules (unicode/utf8.DecodeRune): an invalid or overlong sequence, a
// surrogate or a code point above U+10FFFF decodes as one U+FFFD per byte. cert-manager's
// keystore libraries see text through these rules, so certforge must too to produce the same
// bytes.

#include <string>
#include <string_view>
#include <vector>

namespace certforge::pki {

struct GoRune {
  size_t offset;  // byte offset of the rune in the text
  char32_t code;  // U+FFFD for an invalid byte
};

// The runes of `text` as Go's `for i, r := range text` sees them.
std::vector<GoRune> GoRunes(std::string_view text);

// Appends `code` as UTF-8.
void AppendUtf8(std::string& out, char32_t code);

// `text` with every invalid byte replaced by U+FFFD, as Go's []rune round trip does.
std::string GoSanitizedUtf8(std::string_view text);

}  // namespace certforge::pki
