#pragma once
// Go's fmt/strconv renderings that Kubernetes error messages are built from, so certforge's
// messages match kube-apiserver's byte for byte.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace certforge::kube {

// strconv.Quote: double-quoted, with Go escapes for control characters and invalid UTF-8.
std::string GoQuote(std::string_view text);

// fmt's %v for a float64: shortest digits, exponent form from 1e+06 up or below 1e-04.
std::string GoFloat(double value);

// fmt's %v for a decoded JSON scalar: strings unquoted, integers, floats, booleans.
std::string GoPlain(const nlohmann::json& value);

// fmt's %#v for a decoded JSON value (map[string]interface {}{...}, []interface {}{...}).
std::string GoSyntax(const nlohmann::json& value);

// encoding/json.Marshal of a decoded JSON value (compact, keys sorted).
std::string GoJsonMarshal(const nlohmann::json& value);

// Number of Unicode code points, as utf8.RuneCountInString counts them (invalid bytes count 1).
int64_t RuneCount(std::string_view text);

}  // namespace certforge::kube
