#include "lib/kube/go_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>

namespace certforge::kube {
namespace {

// Length of the UTF-8 sequence starting at text[i], or 0 when it is not valid UTF-8.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  size_t length = 0;
  uint32_t min_code_point = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    min_code_point = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    min_code_point = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    min_code_point = 0x10000;
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  uint32_t code_point = lead & (0x7F >> length);
  for (size_t k = 1; k < length; ++k) {
    const auto c = static_cast<unsigned char>(text[i + k]);
    if ((c & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (c & 0x3F);
  }
  if (code_point < min_code_point || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

// Shortest round-trip digits of a finite non-zero |value| and its decimal exponent (d.ddd × 10^e).
void ShortestDigits(double value, std::string& digits, int& exponent) {
  char buffer[64];
  auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), std::fabs(value),
                                 std::chars_format::scientific);
  std::string_view text(buffer, end - buffer);
  const size_t e = text.find('e');
  digits.clear();
  for (char c : text.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  exponent = std::stoi(std::string(text.substr(e + 1)));
}

std::string FixedFromDigits(const std::string& digits, int exponent) {
  std::string out;
  const int point = exponent + 1;  // digits before the decimal point
  if (point <= 0) {
    out.append("0.");
    out.append(static_cast<size_t>(-point), '0');
    out.append(digits);
  } else if (point >= static_cast<int>(digits.size())) {
    out.append(digits);
    out.append(static_cast<size_t>(point) - digits.size(), '0');
  } else {
    out.append(digits, 0, static_cast<size_t>(point));
    out.push_back('.');
    out.append(digits, static_cast<size_t>(point));
  }
  return out;
}

std::string ExponentFromDigits(const std::string& digits, int exponent, int min_exp_digits) {
  std::string out(1, digits[0]);
  if (digits.size() > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  out.append(exponent < 0 ? "e-" : "e+");
  const std::string exp = std::to_string(std::abs(exponent));
  if (static_cast<int>(exp.size()) < min_exp_digits) {
    out.append(static_cast<size_t>(min_exp_digits) - exp.size(), '0');
  }
  out.append(exp);
  return out;
}

std::string SpecialFloat(double value) {
  if (std::isnan(value)) return "NaN";
  return value > 0 ? "+Inf" : "-Inf";
}

}  // namespace

std::string GoQuote(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = "\"";
  for (size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8SequenceLength(text, i);
    if (length == 0) {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
      ++i;
      continue;
    }
    if (length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\a':
        out += "\\a";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\v':
        out += "\\v";
        break;
      default:
        if (c < 0x20 || c == 0x7F) {
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 0xF];
        } else {
          out += static_cast<char>(c);
        }
    }
    ++i;
  }
  out += '"';
  return out;
}

std::string GoFloat(double value) {
  if (!std::isfinite(value)) return SpecialFloat(value);
  if (value == 0) return std::signbit(value) ? "-0" : "0";
  std::string digits;
  int exponent = 0;
  ShortestDigits(value, digits, exponent);
  const std::string sign = value < 0 ? "-" : "";
  if (exponent < -4 || exponent >= 6) {
    return sign + ExponentFromDigits(digits, exponent, 2);
  }
  return sign + FixedFromDigits(digits, exponent);
}

std::string GoPlain(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return value.get_ref<const std::string&>();
    case nlohmann::json::value_t::number_integer:
      return std::to_string(value.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned:
      return std::to_string(value.get<uint64_t>());
    case nlohmann::json::value_t::number_float:
      return GoFloat(value.get<double>());
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? "true" : "false";
    case nlohmann::json::value_t::null:
      return "<nil>";
    default:
      return GoSyntax(value);
  }
}

std::string GoSyntax(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::string:
      return GoQuote(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::null:
      return "interface {}(nil)";
    case nlohmann::json::value_t::object: {
      std::string out = "map[string]interface {}{";
      bool first = true;
      for (const auto& [key, item] : value.items()) {  // nlohmann keeps keys sorted, like fmt
        if (!first) out += ", ";
        first = false;
        out += GoQuote(key) + ":" + GoSyntax(item);
      }
      return out + "}";
    }
    case nlohmann::json::value_t::array: {
      std::string out = "[]interface {}{";
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ", ";
        out += GoSyntax(value[i]);
      }
      return out + "}";
    }
    default:
      return GoPlain(value);
  }
}

std::string GoJsonMarshal(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::number_float: {
      const double number = value.get<double>();
      if (!std::isfinite(number)) return SpecialFloat(number);
      if (number == 0) return "0";
      std::string digits;
      int exponent = 0;
      ShortestDigits(number, digits, exponent);
      const std::string sign = number < 0 ? "-" : "";
      const double magnitude = std::fabs(number);
      if (magnitude < 1e-6 || magnitude >= 1e21) {
        return sign + ExponentFromDigits(digits, exponent, 1);
      }
      return sign + FixedFromDigits(digits, exponent);
    }
    case nlohmann::json::value_t::object: {
      std::string out = "{";
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ",";
        first = false;
        out += nlohmann::json(key).dump() + ":" + GoJsonMarshal(item);
      }
      return out + "}";
    }
    case nlohmann::json::value_t::array: {
      std::string out = "[";
      for (size_t i = 0; i < value.size(); ++i) {
        if (i > 0) out += ",";
        out += GoJsonMarshal(value[i]);
      }
      return out + "]";
    }
    default:
      return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
}

int64_t RuneCount(std::string_view text) {
  int64_t count = 0;
  for (size_t i = 0; i < text.size(); ++count) {
    const size_t length = Utf8SequenceLength(text, i);
    i += length == 0 ? 1 : length;
  }
  return count;
}

}  // namespace certforge::kube
