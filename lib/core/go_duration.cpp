#include "lib/core/go_duration.h"

#include <cstdint>
#include <optional>

#include "absl/status/status.h"

namespace certforge::core {
namespace {

constexpr uint64_t kMaxMagnitude = uint64_t{1} << 63;  // |math.MinInt64|

// Go's quote(): double quotes, with \ and " escaped and other bytes outside printable ASCII
// written as \xNN.
std::string Quote(std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c >= 0x80 || c < ' ') {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      if (c == '"' || c == '\\') out += '\\';
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::optional<uint64_t> UnitNanos(std::string_view unit) {
  if (unit == "ns") return 1;
  if (unit == "us" || unit == "\xc2\xb5s" || unit == "\xce\xbcs") return 1000;
  if (unit == "ms") return 1000000;
  if (unit == "s") return 1000000000;
  if (unit == "m") return uint64_t{60} * 1000000000;
  if (unit == "h") return uint64_t{3600} * 1000000000;
  return std::nullopt;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

// Consumes leading digits; false on overflow past 1<<63.
bool LeadingInt(std::string_view& s, uint64_t& value) {
  size_t i = 0;
  value = 0;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (value > kMaxMagnitude / 10) return false;
    value = value * 10 + static_cast<uint64_t>(s[i] - '0');
    if (value > kMaxMagnitude) return false;
  }
  s.remove_prefix(i);
  return true;
}

// Consumes fraction digits; digits past uint64 precision are read and ignored, as Go does.
void LeadingFraction(std::string_view& s, uint64_t& value, double& scale) {
  size_t i = 0;
  value = 0;
  scale = 1;
  bool overflow = false;
  for (; i < s.size() && IsDigit(s[i]); ++i) {
    if (overflow) continue;
    if (value > (kMaxMagnitude - 1) / 10) {
      overflow = true;
      continue;
    }
    uint64_t next = value * 10 + static_cast<uint64_t>(s[i] - '0');
    if (next > kMaxMagnitude) {
      overflow = true;
      continue;
    }
    value = next;
    scale *= 10;
  }
  s.remove_prefix(i);
}

// Writes v/10^precision's fraction (trailing zeros and a bare point omitted) in front of `out`
// and returns v/10^precision.
uint64_t PrependFraction(std::string& out, uint64_t v, int precision) {
  bool print = false;
  std::string digits;
  for (int i = 0; i < precision; ++i) {
    uint64_t digit = v % 10;
    print = print || digit != 0;
    if (print) digits.insert(digits.begin(), static_cast<char>('0' + digit));
    v /= 10;
  }
  if (print) out.insert(0, "." + digits);
  return v;
}

}  // namespace

absl::StatusOr<std::chrono::nanoseconds> ParseGoDuration(std::string_view text) {
  const std::string invalid = "time: invalid duration " + Quote(text);
  std::string_view s = text;
  bool negative = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s == "0") return std::chrono::nanoseconds(0);
  if (s.empty()) return absl::InvalidArgumentError(invalid);

  uint64_t total = 0;
  while (!s.empty()) {
    if (!(s[0] == '.' || IsDigit(s[0]))) return absl::InvalidArgumentError(invalid);
    size_t before = s.size();
    uint64_t whole = 0;
    if (!LeadingInt(s, whole)) return absl::InvalidArgumentError(invalid);
    bool has_whole = before != s.size();
    uint64_t fraction = 0;
    double scale = 1;
    bool has_fraction = false;
    if (!s.empty() && s[0] == '.') {
      s.remove_prefix(1);
      size_t fraction_start = s.size();
      LeadingFraction(s, fraction, scale);
      has_fraction = fraction_start != s.size();
    }
    if (!has_whole && !has_fraction) return absl::InvalidArgumentError(invalid);

    size_t unit_length = 0;
    while (unit_length < s.size() && s[unit_length] != '.' && !IsDigit(s[unit_length])) {
      ++unit_length;
    }
    if (unit_length == 0) {
      return absl::InvalidArgumentError("time: missing unit in duration " + Quote(text));
    }
    std::string_view unit_text = s.substr(0, unit_length);
    s.remove_prefix(unit_length);
    std::optional<uint64_t> unit = UnitNanos(unit_text);
    if (!unit) {
      return absl::InvalidArgumentError("time: unknown unit " + Quote(unit_text) + " in duration " +
                                        Quote(text));
    }
    if (whole > kMaxMagnitude / *unit) return absl::InvalidArgumentError(invalid);
    whole *= *unit;
    if (fraction > 0) {
      // Go computes the fraction in float64, which is nanosecond-exact up to hours.
      whole += static_cast<uint64_t>(static_cast<double>(fraction) *
                                     (static_cast<double>(*unit) / scale));
      if (whole > kMaxMagnitude) return absl::InvalidArgumentError(invalid);
    }
    total += whole;
    if (total > kMaxMagnitude) return absl::InvalidArgumentError(invalid);
  }
  if (negative) return std::chrono::nanoseconds(static_cast<int64_t>(0 - total));
  if (total > kMaxMagnitude - 1) return absl::InvalidArgumentError(invalid);
  return std::chrono::nanoseconds(static_cast<int64_t>(total));
}

std::string FormatGoDuration(std::chrono::nanoseconds duration) {
  int64_t count = duration.count();
  bool negative = count < 0;
  uint64_t u = negative ? 0 - static_cast<uint64_t>(count) : static_cast<uint64_t>(count);
  std::string out;
  if (u < 1000000000) {
    if (u == 0) return "0s";
    int precision;
    if (u < 1000) {
      precision = 0;
      out = "ns";
    } else if (u < 1000000) {
      precision = 3;
      out = "\xc2\xb5s";
    } else {
      precision = 6;
      out = "ms";
    }
    u = PrependFraction(out, u, precision);
    out.insert(0, std::to_string(u));
  } else {
    out = "s";
    u = PrependFraction(out, u, 9);
    out.insert(0, std::to_string(u % 60));
    u /= 60;
    if (u > 0) {
      out.insert(0, std::to_string(u % 60) + "m");
      u /= 60;
      if (u > 0) out.insert(0, std::to_string(u) + "h");
    }
  }
  if (negative) out.insert(0, "-");
  return out;
}

}  // namespace certforge::core
