#include "lib/kube/string_format.h"

#include <arpa/inet.h>

#include <cctype>
#include <regex>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "lib/kube/text_util.h"

namespace certforge::kube {
namespace {

bool IsDigits(std::string_view text) {
  return !text.empty() &&
         std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isdigit(c); });
}

bool IsHexDigits(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return absl::ascii_isxdigit(c); });
}

bool Matches(const std::regex& re, std::string_view text) {
  return std::regex_match(text.begin(), text.end(), re);
}

// Dotted quad; leading zeros allowed, as Kubernetes' ParseIPSloppy allows them.
bool IsSloppyIpv4(std::string_view text) {
  std::vector<std::string_view> parts = SplitView(text, '.');
  if (parts.size() != 4) return false;
  for (std::string_view part : parts) {
    int64_t value = 0;
    if (!IsDigits(part) || part.size() > 3 || !ParseInt64(part, value) || value > 255) {
      return false;
    }
  }
  return true;
}

bool IsIpv6Text(std::string_view text) {
  in6_addr address;
  return inet_pton(AF_INET6, std::string(text).c_str(), &address) == 1;
}

bool IsIp(std::string_view text) { return IsSloppyIpv4(text) || IsIpv6Text(text); }

bool IsCidr(std::string_view text) {
  const size_t slash = text.find('/');
  if (slash == std::string_view::npos) return false;
  const std::string_view address = text.substr(0, slash);
  const std::string_view prefix = text.substr(slash + 1);
  int64_t bits = 0;
  if (!IsDigits(prefix) || prefix.size() > 3 || !ParseInt64(prefix, bits)) return false;
  if (IsSloppyIpv4(address)) return bits <= 32;
  return IsIpv6Text(address) && bits <= 128;
}

// net.ParseMAC: 6, 8 or 20 octets as xx:xx:.., xx-xx-.. or xxxx.xxxx.xxxx.
bool IsMac(std::string_view text) {
  auto valid_count = [](size_t octets) { return octets == 6 || octets == 8 || octets == 20; };
  if (text.size() >= 14 && text[4] == '.') {
    std::vector<std::string_view> groups = SplitView(text, '.');
    for (std::string_view group : groups) {
      if (group.size() != 4 || !IsHexDigits(group)) return false;
    }
    return valid_count(groups.size() * 2);
  }
  if (text.size() < 14 || (text[2] != ':' && text[2] != '-')) return false;
  std::vector<std::string_view> octets = SplitView(text, text[2]);
  for (std::string_view octet : octets) {
    if (octet.size() != 2 || !IsHexDigits(octet)) return false;
  }
  return valid_count(octets.size());
}

// url.ParseRequestURI: an absolute URI or an absolute path, without spaces or control bytes.
bool IsRequestUri(std::string_view text) {
  static const std::regex kScheme("^[A-Za-z][A-Za-z0-9+.-]*:.*");
  if (text.empty()) return false;
  for (char c : text) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F || c == ' ') return false;
  }
  return text[0] == '/' || Matches(kScheme, text);
}

bool IsEmail(std::string_view text) {
  static const std::regex kBare(R"re(^[^\s@<>()",;:]+@[^\s@<>()",;:]+$)re");
  static const std::regex kNamed(R"re(^[^<>]*<[^\s@<>()",;:]+@[^\s@<>()",;:]+>$)re");
  return Matches(kBare, text) || Matches(kNamed, text);
}

bool IsHostname(std::string_view text) {
  static const std::regex kHostname(
      R"(^([a-zA-Z0-9]((-?[a-zA-Z0-9]{0,62})?)|([a-zA-Z0-9](([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\.)){1,}([a-zA-Z]){2,63})$)");
  if (text.size() > 255 || !Matches(kHostname, text)) return false;
  for (std::string_view label : SplitView(text, '.')) {
    if (label.size() > 63) return false;
  }
  return true;
}

bool IsIsbn10(std::string_view text) {
  const std::string digits = WithoutChars(text, " -");
  if (digits.size() != 10 || !IsDigits(std::string_view(digits).substr(0, 9)) ||
      !(absl::ascii_isdigit(digits[9]) || digits[9] == 'X')) {
    return false;
  }
  int checksum = 0;
  for (int i = 0; i < 9; ++i) checksum += (i + 1) * (digits[i] - '0');
  checksum += 10 * (digits[9] == 'X' ? 10 : digits[9] - '0');
  return checksum % 11 == 0;
}

bool IsIsbn13(std::string_view text) {
  const std::string digits = WithoutChars(text, " -");
  if (digits.size() != 13 || !IsDigits(digits)) return false;
  int checksum = 0;
  for (int i = 0; i < 12; ++i) checksum += (i % 2 == 0 ? 1 : 3) * (digits[i] - '0');
  return (digits[12] - '0') == (10 - checksum % 10) % 10;
}

bool IsCreditCard(std::string_view text) {
  static const std::regex kCard(
      "^(?:4[0-9]{12}(?:[0-9]{3})?|5[1-5][0-9]{14}|6(?:011|5[0-9][0-9])[0-9]{12}|3[47][0-9]{13}|"
      "3(?:0[0-5]|[68][0-9])[0-9]{11}|(?:2131|1800|35\\d{3})\\d{11})$");
  std::string digits;
  for (char c : text) {
    if (absl::ascii_isdigit(c)) digits += c;
  }
  if (!Matches(kCard, digits)) return false;
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int digit = *it - '0';
    if (double_it) {
      digit *= 2;
      if (digit >= 10) digit = digit % 10 + 1;
    }
    sum += digit;
    double_it = !double_it;
  }
  return sum % 10 == 0;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

// time.Parse("2006-01-02", ...): fixed widths and a real calendar day.
bool IsDate(std::string_view text) {
  static const std::regex kDate(R"(^(\d{4})-(\d{2})-(\d{2})$)");
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(text.begin(), text.end(), match, kDate)) return false;
  const int year = std::stoi(match[1].str());
  const int month = std::stoi(match[2].str());
  const int day = std::stoi(match[3].str());
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1) return false;
  const int days = kDays[month - 1] + (month == 2 && IsLeapYear(year) ? 1 : 0);
  return day <= days;
}

// strfmt.IsDateTime: a date, 't', then hh:mm:ss[.frac](z|±hh:mm), case-insensitive.
bool IsDateTime(std::string_view text) {
  static const std::regex kTime(
      R"(^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$)");
  if (text.size() < 4) return false;
  const std::string lower = AsciiLower(text);
  std::vector<std::string_view> parts = SplitView(lower, 't');
  if (parts.size() < 2 || !IsDate(parts[0])) return false;
  std::match_results<std::string_view::const_iterator> match;
  if (!std::regex_match(parts[1].begin(), parts[1].end(), match, kTime)) return false;
  return match[1].str() <= "23" && match[2].str() <= "59" && match[3].str() <= "59";
}

// strfmt.ParseDuration: Go's time.ParseDuration, or any "<digits> <unit>" group with a known unit.
bool IsDuration(std::string_view text) {
  static const std::regex kGroup(R"((\d+)\s*([A-Za-z]+))");
  static const std::vector<std::vector<std::string_view>> kUnits = {
      {"ns", "nano"}, {"us", "micro"},     {"ms", "milli"}, {"s", "sec"},
      {"m", "min"},   {"h", "hr", "hour"}, {"d", "day"},    {"w", "wk", "week"}};
  if (text == "0" || text == "+0" || text == "-0") return true;
  for (auto it =
           std::regex_iterator<std::string_view::const_iterator>(text.begin(), text.end(), kGroup);
       it != std::regex_iterator<std::string_view::const_iterator>(); ++it) {
    const std::string unit = AsciiLower((*it)[2].str());
    for (const auto& variants : kUnits) {
      for (size_t i = 0; i < variants.size(); ++i) {
        if (unit == variants[i] || (i + 1 == variants.size() && unit.starts_with(variants[i]))) {
          return true;
        }
      }
    }
  }
  return false;
}

}  // namespace

StringFormat LookupStringFormat(std::string_view name) {
  const std::string normalized = WithoutChars(name, "-");
  static const std::pair<std::string_view, StringFormat> kFormats[] = {
      {"bsonobjectid", StringFormat::kBsonObjectId},
      {"uri", StringFormat::kUri},
      {"email", StringFormat::kEmail},
      {"hostname", StringFormat::kHostname},
      {"ipv4", StringFormat::kIpv4},
      {"ipv6", StringFormat::kIpv6},
      {"cidr", StringFormat::kCidr},
      {"mac", StringFormat::kMac},
      {"uuid", StringFormat::kUuid},
      {"uuid3", StringFormat::kUuid3},
      {"uuid4", StringFormat::kUuid4},
      {"uuid5", StringFormat::kUuid5},
      {"isbn", StringFormat::kIsbn},
      {"isbn10", StringFormat::kIsbn10},
      {"isbn13", StringFormat::kIsbn13},
      {"creditcard", StringFormat::kCreditCard},
      {"ssn", StringFormat::kSsn},
      {"hexcolor", StringFormat::kHexColor},
      {"rgbcolor", StringFormat::kRgbColor},
      {"byte", StringFormat::kByte},
      {"password", StringFormat::kPassword},
      {"date", StringFormat::kDate},
      {"duration", StringFormat::kDuration},
      {"datetime", StringFormat::kDateTime},
  };
  for (const auto& [known, format] : kFormats) {
    if (normalized == known) return format;
  }
  return StringFormat::kNone;
}

namespace {

// Standard base64 with padding. A loop, not a regex: Secret values run to megabytes and
// std::regex recurses per character.
bool IsBase64(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) return false;
  size_t padding = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '=') {
      ++padding;
      continue;
    }
    bool alphabet = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '+' || c == '/';
    if (!alphabet || padding > 0) return false;
  }
  return padding <= 2;
}

}  // namespace

bool MatchesStringFormat(StringFormat format, std::string_view value) {
  static const std::regex kUuid(
      "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");
  static const std::regex kUuid3(
      "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?3[0-9a-fA-F]{3}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$");
  static const std::regex kUuid4(
      "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?4[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}$");
  static const std::regex kUuid5(
      "^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?5[0-9a-fA-F]{3}-?[89abAB][0-9a-fA-F]{3}-?[0-9a-fA-F]{12}$");
  static const std::regex kSsn(R"(^\d{3}[- ]?\d{2}[- ]?\d{4}$)");
  static const std::regex kHexColor("^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$");
  static const std::regex kRgbColor(
      R"(^rgb\(\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*,\s*(0|[1-9]\d?|1\d\d?|2[0-4]\d|25[0-5])\s*\)$)");
  switch (format) {
    case StringFormat::kNone:
    case StringFormat::kPassword:
      return true;
    case StringFormat::kBsonObjectId:
      return value.size() == 24 && IsHexDigits(value);
    case StringFormat::kUri:
      return IsRequestUri(value);
    case StringFormat::kEmail:
      return IsEmail(value);
    case StringFormat::kHostname:
      return IsHostname(value);
    case StringFormat::kIpv4:
      return IsIp(value) && value.find('.') != std::string_view::npos;
    case StringFormat::kIpv6:
      return IsIpv6Text(value) && value.find(':') != std::string_view::npos;
    case StringFormat::kCidr:
      return IsCidr(value);
    case StringFormat::kMac:
      return IsMac(value);
    case StringFormat::kUuid:
      return Matches(kUuid, value);
    case StringFormat::kUuid3:
      return Matches(kUuid3, value);
    case StringFormat::kUuid4:
      return Matches(kUuid4, value);
    case StringFormat::kUuid5:
      return Matches(kUuid5, value);
    case StringFormat::kIsbn:
      return IsIsbn10(value) || IsIsbn13(value);
    case StringFormat::kIsbn10:
      return IsIsbn10(value);
    case StringFormat::kIsbn13:
      return IsIsbn13(value);
    case StringFormat::kCreditCard:
      return IsCreditCard(value);
    case StringFormat::kSsn:
      return value.size() == 11 && Matches(kSsn, value);
    case StringFormat::kHexColor:
      return Matches(kHexColor, value);
    case StringFormat::kRgbColor:
      return Matches(kRgbColor, value);
    case StringFormat::kByte:
      return IsBase64(value);
    case StringFormat::kDate:
      return IsDate(value);
    case StringFormat::kDuration:
      return IsDuration(value);
    case StringFormat::kDateTime:
      return IsDateTime(value);
  }
  return true;
}

}  // namespace certforge::kube
