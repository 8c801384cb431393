#include "lib/core/time_format.h"

#include <cstdio>
#include <ctime>

namespace certforge::core {

std::string FormatRfc3339(TimePoint t) {
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string FormatRfc3339Micro(TimePoint t) {
  auto us = std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(us / 1000000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  size_t n = std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%S", &tm);
  std::snprintf(buf + n, sizeof(buf) - n, ".%06lldZ", static_cast<long long>(us % 1000000));
  return buf;
}

absl::StatusOr<TimePoint> ParseRfc3339(std::string_view text) {
  std::tm tm{};
  std::string s(text);
  const char* rest = strptime(s.c_str(), "%Y-%m-%dT%H:%M:%S", &tm);
  if (rest == nullptr) return absl::InvalidArgumentError("not an RFC 3339 time: " + s);
  long long micros = 0;
  if (*rest == '.') {
    ++rest;
    int digits = 0;
    while (*rest >= '0' && *rest <= '9') {
      if (digits < 6) micros = micros * 10 + (*rest - '0');
      ++digits;
      ++rest;
    }
    if (digits == 0) return absl::InvalidArgumentError("not an RFC 3339 time: " + s);
    for (int i = digits; i < 6; ++i) micros *= 10;
  }
  long offset = 0;
  if (*rest == 'Z' || *rest == 'z') {
    ++rest;
  } else if (*rest == '+' || *rest == '-') {
    int hh = 0, mm = 0;
    if (std::sscanf(rest + 1, "%2d:%2d", &hh, &mm) != 2) {
      return absl::InvalidArgumentError("not an RFC 3339 time: " + s);
    }
    offset = (hh * 3600L + mm * 60L) * (*rest == '-' ? -1 : 1);
    rest += 6;
  } else {
    return absl::InvalidArgumentError("not an RFC 3339 time: " + s);
  }
  if (*rest != '\0') return absl::InvalidArgumentError("not an RFC 3339 time: " + s);
  std::time_t secs = timegm(&tm) - offset;
  return std::chrono::system_clock::from_time_t(secs) + std::chrono::microseconds(micros);
}

std::string HumanDuration(std::chrono::seconds d) {
  long long s = d.count();
  if (s < -1) return "<invalid>";
  if (s < 0) return "0s";
  auto fmt = [](const char* f, long long a, long long b = 0) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), f, a, b);
    return std::string(buf);
  };
  if (s < 60 * 2) return fmt("%llds", s);
  long long minutes = s / 60;
  if (minutes < 10) {
    long long rem = s % 60;
    return rem == 0 ? fmt("%lldm", minutes) : fmt("%lldm%llds", minutes, rem);
  }
  if (minutes < 60 * 3) return fmt("%lldm", minutes);
  long long hours = s / 3600;
  if (hours < 8) {
    long long rem = minutes % 60;
    return rem == 0 ? fmt("%lldh", hours) : fmt("%lldh%lldm", hours, rem);
  }
  if (hours < 48) return fmt("%lldh", hours);
  if (hours < 24 * 8) {
    long long rem = hours % 24;
    return rem == 0 ? fmt("%lldd", hours / 24) : fmt("%lldd%lldh", hours / 24, rem);
  }
  if (hours < 24 * 365 * 2) return fmt("%lldd", hours / 24);
  if (hours < 24 * 365 * 8) {
    long long days = hours / 24;
    long long rem = days % 365;
    return rem == 0 ? fmt("%lldy", days / 365) : fmt("%lldy%lldd", days / 365, rem);
  }
  return fmt("%lldy", hours / 24 / 365);
}

}  // namespace certforge::core
