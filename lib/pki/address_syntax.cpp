#include "lib/pki/address_syntax.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/pki/ip_address.h"

namespace certforge::pki {
namespace {

// Go's %q for short ASCII texts (the only ones these messages quote).
std::string GoQuote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// net/mail's isAtext: visible ASCII except specials, or any multi-byte UTF-8 rune.
bool IsAtext(unsigned char c, bool dot) {
  if (c == '.') return dot;
  if (std::strchr("()<>[]:;@\\,\"", c) != nullptr) return false;
  return (c >= '!' && c <= '~') || c >= 0x80;
}

// A cursor over an address being parsed, as net/mail's addrParser.
class MailParser {
 public:
  explicit MailParser(std::string_view s) : s_(s) {}

  bool empty() const { return s_.empty(); }
  std::string_view rest() const { return s_; }
  void SkipSpace() {
    size_t n = s_.find_first_not_of(" \t");
    s_.remove_prefix(n == std::string_view::npos ? s_.size() : n);
  }
  bool Consume(char c) {
    if (s_.empty() || s_[0] != c) return false;
    s_.remove_prefix(1);
    return true;
  }
  char Peek() const { return s_.empty() ? '\0' : s_[0]; }

  absl::StatusOr<std::string> Atom(bool dot, bool permissive) {
    size_t i = 0;
    while (i < s_.size() && IsAtext(static_cast<unsigned char>(s_[i]), dot)) ++i;
    if (i == 0) return absl::InvalidArgumentError("mail: invalid string");
    std::string atom(s_.substr(0, i));
    s_.remove_prefix(i);
    if (!permissive) {
      if (atom.front() == '.') return absl::InvalidArgumentError("mail: leading dot in atom");
      if (atom.find("..") != std::string::npos) {
        return absl::InvalidArgumentError("mail: double dot in atom");
      }
      if (atom.back() == '.') return absl::InvalidArgumentError("mail: trailing dot in atom");
    }
    return atom;
  }

  absl::StatusOr<std::string> QuotedString() {
    std::string out;
    for (size_t i = 1; i < s_.size(); ++i) {
      char c = s_[i];
      if (c == '"') {
        s_.remove_prefix(i + 1);
        return out;
      }
      if (c == '\\' && i + 1 < s_.size()) c = s_[++i];
      out += c;
    }
    return absl::InvalidArgumentError("mail: unclosed quoted-string");
  }

  absl::StatusOr<std::string> AddrSpec() {
    std::string_view saved = s_;
    absl::StatusOr<std::string> spec = AddrSpecInner();
    if (!spec.ok()) s_ = saved;
    return spec;
  }

  absl::StatusOr<std::string> Phrase() {
    std::vector<std::string> words;
    while (true) {
      SkipSpace();
      absl::StatusOr<std::string> word =
          Peek() == '"' ? QuotedString() : Atom(/*dot=*/true, /*permissive=*/true);
      if (!word.ok()) {
        if (words.empty()) {
          return absl::InvalidArgumentError(
              absl::StrCat("mail: missing word in phrase: ", word.status().message()));
        }
        break;
      }
      words.push_back(*word);
    }
    std::string phrase;
    for (const std::string& w : words) phrase += (phrase.empty() ? "" : " ") + w;
    return phrase;
  }

 private:
  absl::StatusOr<std::string> AddrSpecInner() {
    SkipSpace();
    if (empty()) return absl::InvalidArgumentError("mail: no addr-spec");
    absl::StatusOr<std::string> local;
    if (Peek() == '"') {
      local = QuotedString();
      if (local.ok() && local->empty()) {
        return absl::InvalidArgumentError("mail: empty quoted-string in addr-spec");
      }
    } else {
      local = Atom(/*dot=*/true, /*permissive=*/false);
    }
    if (!local.ok()) return local.status();
    if (!Consume('@')) return absl::InvalidArgumentError("mail: missing @ in addr-spec");
    SkipSpace();
    if (empty()) return absl::InvalidArgumentError("mail: no domain in addr-spec");
    absl::StatusOr<std::string> domain;
    if (Peek() == '[') {
      size_t close = s_.find(']');
      if (close == std::string_view::npos) {
        return absl::InvalidArgumentError("mail: unclosed domain-literal");
      }
      std::string_view literal = s_.substr(1, close - 1);
      if (!ParseIpAddress(literal).ok()) {
        return absl::InvalidArgumentError(
            absl::StrCat("mail: invalid IP address in domain-literal: ", GoQuote(literal)));
      }
      domain = "[" + std::string(literal) + "]";
      s_.remove_prefix(close + 1);
    } else {
      domain = Atom(/*dot=*/true, /*permissive=*/false);
    }
    if (!domain.ok()) return domain.status();
    return absl::StrCat(*local, "@", *domain);
  }

  std::string_view s_;
};

// net/mail's parseSingleAddress, reduced to the address it yields.
absl::StatusOr<std::string> ParseMailAddress(std::string_view text) {
  MailParser p(text);
  p.SkipSpace();
  if (p.empty()) return absl::InvalidArgumentError("mail: no address");
  absl::StatusOr<std::string> address = p.AddrSpec();
  if (!address.ok()) {
    std::string display_name;
    if (p.Peek() != '<') {
      absl::StatusOr<std::string> phrase = p.Phrase();
      if (!phrase.ok()) return phrase.status();
      display_name = *phrase;
    }
    p.SkipSpace();
    if (!p.Consume('<')) {
      bool atext = std::all_of(display_name.begin(), display_name.end(),
                               [](char c) { return IsAtext(static_cast<unsigned char>(c), true); });
      return absl::InvalidArgumentError(atext ? "mail: missing '@' or angle-addr"
                                              : "mail: no angle-addr");
    }
    address = p.AddrSpec();
    if (!address.ok()) return address.status();
    if (!p.Consume('>')) return absl::InvalidArgumentError("mail: unclosed angle-addr");
  }
  p.SkipSpace();
  if (!p.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("mail: expected single address, got ", GoQuote(p.rest())));
  }
  return address;
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// crypto/x509's domainToReverseLabels acceptance: no empty label, no trailing dot, and only
// visible ASCII.
bool IsUriDomain(std::string_view host) {
  if (host.empty() || host.back() == '.') return false;
  size_t start = 0;
  while (start <= host.size()) {
    size_t dot = host.find('.', start);
    std::string_view label =
        host.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty()) return false;
    for (char c : label) {
      if (c < 33 || c > 126) return false;
    }
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return true;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    size_t extra;
    unsigned int code;
    if (c < 0x80) {
      ++i;
      continue;
    } else if ((c & 0xe0) == 0xc0) {
      extra = 1;
      code = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      extra = 2;
      code = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      extra = 3;
      code = c & 0x07;
    } else {
      return false;
    }
    if (i + extra >= s.size()) return false;
    for (size_t k = 1; k <= extra; ++k) {
      unsigned char next = static_cast<unsigned char>(s[i + k]);
      if ((next & 0xc0) != 0x80) return false;
      code = (code << 6) | (next & 0x3f);
    }
    static constexpr unsigned int kSmallest[] = {0, 0x80, 0x800, 0x10000};
    if (code < kSmallest[extra] || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return false;
    }
    i += extra + 1;
  }
  return true;
}

bool IsIa5String(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

absl::StatusOr<std::string> ParseCidr(std::string_view text) {
  absl::Status invalid =
      absl::InvalidArgumentError(absl::StrCat("invalid CIDR address: ", std::string(text)));
  size_t slash = text.find('/');
  if (slash == std::string_view::npos) return invalid;
  std::string_view address = text.substr(0, slash);
  std::string_view prefix = text.substr(slash + 1);
  // An IPv4-mapped IPv6 range stays 16 octets, as Go keeps it.
  bool v6 = address.find(':') != std::string_view::npos;
  absl::StatusOr<std::string> octets = ParseIpAddress(address);
  if (!octets.ok()) return invalid;
  if (v6 && octets->size() == 4) octets->insert(0, std::string("\0\0\0\0\0\0\0\0\0\0\xff\xff", 12));
  if (prefix.empty() || prefix.size() > 3) return invalid;
  int bits = 0;
  for (char c : prefix) {
    if (c < '0' || c > '9') return invalid;
    bits = bits * 10 + (c - '0');
  }
  int total = static_cast<int>(octets->size()) * 8;
  if (bits > total) return invalid;
  std::string mask(octets->size(), '\0');
  for (int i = 0; i < bits; ++i)
    mask[static_cast<size_t>(i / 8)] |= static_cast<char>(0x80 >> (i % 8));
  for (size_t i = 0; i < mask.size(); ++i) (*octets)[i] &= mask[i];
  return *octets + mask;
}

absl::Status CheckEmailAddress(std::string_view text) {
  absl::StatusOr<std::string> address = ParseMailAddress(text);
  if (!address.ok()) return address.status();
  if (*address != text) {
    return absl::InvalidArgumentError(
        "make sure the supplied value only contains the email address itself");
  }
  return absl::OkStatus();
}

absl::Status CheckUri(std::string_view text) {
  if (!IsIa5String(text)) {
    return absl::InvalidArgumentError(
        absl::StrCat("x509: ", GoQuote(text), " cannot be encoded as an IA5String"));
  }
  for (char c : text) {
    if (c < 0x20 || c == 0x7f) {
      return absl::InvalidArgumentError("net/url: invalid control character in URL");
    }
  }
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') continue;
    if (i + 2 >= text.size() || !IsHex(text[i + 1]) || !IsHex(text[i + 2])) {
      return absl::InvalidArgumentError(absl::StrCat(
          "invalid URL escape ", GoQuote(text.substr(i, std::min<size_t>(3, text.size() - i)))));
    }
  }
  if (!text.empty() && text[0] == ':') return absl::InvalidArgumentError("missing protocol scheme");
  // scheme ":" ["//" authority] ...
  std::string_view rest = text;
  size_t colon = text.find(':');
  bool has_scheme =
      colon != std::string_view::npos && std::isalpha(static_cast<unsigned char>(text[0]));
  for (size_t i = 1; has_scheme && i < colon; ++i) {
    char c = text[i];
    has_scheme = std::isalnum(static_cast<unsigned char>(c)) || c == '+' || c == '-' || c == '.';
  }
  if (has_scheme) {
    rest = text.substr(colon + 1);
  } else if (colon != std::string_view::npos && text.find('/') > colon) {
    return absl::InvalidArgumentError("first path segment in URL cannot contain colon");
  }
  if (rest.substr(0, 2) != "//") return absl::OkStatus();
  std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  std::string_view host = authority;
  if (!host.empty() && host[0] == '[') {
    size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return absl::InvalidArgumentError("missing ']' in host");
    }
    std::string_view port = host.substr(close + 1);
    if (!port.empty() &&
        (port[0] != ':' || port.find_first_not_of("0123456789", 1) != std::string_view::npos)) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid port ", GoQuote(port), " after host"));
    }
    return absl::OkStatus();
  }
  if (size_t port_colon = host.rfind(':'); port_colon != std::string_view::npos) {
    std::string_view port = host.substr(port_colon);
    if (port.find_first_not_of("0123456789", 1) != std::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid port ", GoQuote(port), " after host"));
    }
  }
  if (!host.empty() && !IsUriDomain(host)) return absl::InvalidArgumentError("invalid domain");
  return absl::OkStatus();
}

}  // namespace certforge::pki
