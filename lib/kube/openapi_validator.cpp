#include "lib/kube/openapi_validator.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/kube/go_format.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using Code = OpenApiError::Code;

constexpr const char* kIn = " in body";

// Appends a child's name to the path buffer and restores it when the child is done.
class PathScope {
 public:
  enum class Join { kProperty, kMapKey };  // properties omit the dot at the root, map keys do not

  PathScope(std::string& path, const std::string& key, Join join)
      : path_(path), size_(path.size()) {
    if (join == Join::kMapKey || !path_.empty()) path_ += '.';
    path_ += key;
  }
  PathScope(std::string& path, size_t index) : path_(path), size_(path.size()) {
    absl::StrAppend(&path_, "[", index, "]");
  }
  ~PathScope() { path_.resize(size_); }
  PathScope(const PathScope&) = delete;
  PathScope& operator=(const PathScope&) = delete;

 private:
  std::string& path_;
  size_t size_;
};

// Whether a decoded number is an int64 in Go's eyes (Kubernetes decodes integers as int64).
bool IsGoInt(const json& value) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return true;
  return value.is_number_unsigned() &&
         value.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max());
}

// kube-openapi's JSON type name for a decoded value, and the format it infers for numbers.
const char* SchemaType(const json& value) {
  if (value.is_boolean()) return "boolean";
  if (value.is_string()) return "string";
  if (value.is_array()) return "array";
  if (value.is_object()) return "object";
  return IsGoInt(value) ? "integer" : "number";
}

const char* InferredFormat(const json& value) {
  if (value.is_number()) return IsGoInt(value) ? "int64" : "float64";
  return "";
}

// swag.IsFloat64AJSONInteger.
bool IsJsonInteger(double value) {
  if (!std::isfinite(value) || std::fabs(value) > 9007199254740992.0) return false;
  return value == std::trunc(value);
}

json GoNumber(const json& value) {
  if (IsGoInt(value)) return value.get<int64_t>();
  return value.get<double>();
}

OpenApiError TypeError(const std::string& path, const std::string& type_name,
                       const std::string& got) {
  OpenApiError error;
  error.code = Code::kInvalidType;
  error.name = path;
  error.value = got;
  error.message = absl::StrCat(path, kIn, " must be of type ", type_name, ": ", GoQuote(got));
  return error;
}

OpenApiError Validation(Code code, const std::string& path, json value, std::string message) {
  OpenApiError error;
  error.code = code;
  error.name = path;
  error.value = std::move(value);
  error.message = std::move(message);
  return error;
}

}  // namespace

void OpenApiValidator::Validate(const SchemaNode& root, const json& object,
                                std::vector<FieldError>& out) {
  OpenApiResult result;
  std::string path;
  Node(root, object, path, result);
  for (const OpenApiError& error : result.errors) out.push_back(error.ToFieldError());
}

void OpenApiValidator::Node(const SchemaNode& node, const json& value, std::string& path,
                            OpenApiResult& result) {
  const bool type_applies = !node.type.empty() || node.int_or_string || !node.format.empty();
  if (value.is_null()) {
    if (type_applies) Type(node, value, path, result);
    Enum(node, value, path, result);
    return;
  }
  // Each applicable validator adds its own matches plus one, as kube-openapi counts them.
  auto run = [&result](auto&& validate) {
    OpenApiResult sub;
    validate(sub);
    result.Merge(std::move(sub));
    ++result.match_count;
  };
  if (type_applies) run([&](OpenApiResult& r) { Type(node, value, path, r); });
  run([&](OpenApiResult& r) { Combinators(node, value, path, r); });
  if (value.is_string()) {
    run([&](OpenApiResult& r) { String(node, value, path, r); });
    if (node.format_kind != StringFormat::kNone) {
      run([&](OpenApiResult& r) { Format(node, value, path, r); });
    }
  }
  if (value.is_number()) run([&](OpenApiResult& r) { Number(node, value, path, r); });
  if (value.is_array()) run([&](OpenApiResult& r) { Array(node, value, path, r); });
  run([&](OpenApiResult& r) { Enum(node, value, path, r); });
  if (value.is_object()) run([&](OpenApiResult& r) { Object(node, value, path, r); });
  ++result.match_count;
}

void OpenApiValidator::Type(const SchemaNode& node, const json& value, const std::string& path,
                            OpenApiResult& result) {
  // x-kubernetes-int-or-string is the type list [integer, string].
  auto allows = [&node](std::string_view type) {
    if (node.int_or_string) return type == "integer" || type == "string";
    return !node.type.empty() && type == node.type;
  };
  const bool typed = node.int_or_string || !node.type.empty();
  auto type_names = [&node] {
    return node.int_or_string ? std::string("integer,string") : node.type;
  };

  if (value.is_null()) {
    if (typed && !node.nullable) result.Add(TypeError(path, type_names(), "null"));
    return;
  }
  const std::string_view schema_type = SchemaType(value);
  const bool float_is_int =
      schema_type == "number" && IsJsonInteger(value.get<double>()) && allows("integer");
  const bool int_is_number = schema_type == "integer" && allows("number");
  const bool type_matches = allows(schema_type) || float_is_int || int_is_number;
  const bool string_or_array = value.is_string() || value.is_array();
  if (!string_or_array && !node.format.empty() && !type_matches) {
    result.Add(TypeError(path, node.format, InferredFormat(value)));
    return;
  }
  if (!allows("number") && !allows("integer") && !node.format.empty() && string_or_array) {
    ++result.match_count;
    return;
  }
  if (!type_matches) {
    result.Add(TypeError(path, type_names(), std::string(schema_type)));
    return;
  }
  ++result.match_count;
}

void OpenApiValidator::Combinators(const SchemaNode& node, const json& value, std::string& path,
                                   OpenApiResult& result) {
  if (!node.any_of.empty()) {
    std::optional<OpenApiResult> best_failure;
    bool succeeded = false;
    for (const auto& branch : node.any_of) {
      OpenApiResult attempt;
      Node(*branch, value, path, attempt);
      if (attempt.ok()) {
        succeeded = true;
        best_failure.reset();
        result.match_count += attempt.match_count;
        break;
      }
      if (!best_failure || attempt.match_count > best_failure->match_count) {
        best_failure = std::move(attempt);
      }
    }
    if (!succeeded) {
      result.Add(
          Validation(Code::kComposite, path, nullptr,
                     absl::StrCat(GoQuote(path), " must validate at least one schema (anyOf)")));
    }
    if (best_failure) result.Merge(*std::move(best_failure));
  }
  if (!node.one_of.empty()) {
    std::optional<OpenApiResult> best_failure;
    int valid = 0;
    int first_success_matches = 0;
    for (const auto& branch : node.one_of) {
      OpenApiResult attempt;
      Node(*branch, value, path, attempt);
      if (attempt.ok()) {
        if (valid++ == 0) first_success_matches = attempt.match_count;
        best_failure.reset();
        continue;
      }
      if (valid == 0 && (!best_failure || attempt.match_count > best_failure->match_count)) {
        best_failure = std::move(attempt);
      }
    }
    if (valid != 1) {
      const std::string found =
          valid == 0 ? "Found none valid" : absl::StrCat("Found ", valid, " valid alternatives");
      result.Add(Validation(
          Code::kComposite, path, nullptr,
          absl::StrCat(GoQuote(path), " must validate one and only one schema (oneOf). ", found)));
      if (best_failure) result.Merge(*std::move(best_failure));
    } else {
      result.match_count += first_success_matches;
    }
  }
  if (!node.all_of.empty()) {
    size_t valid = 0;
    for (const auto& branch : node.all_of) {
      OpenApiResult attempt;
      Node(*branch, value, path, attempt);
      if (attempt.ok()) ++valid;
      result.Merge(std::move(attempt));
    }
    if (valid != node.all_of.size()) {
      result.Add(Validation(Code::kComposite, path, nullptr,
                            absl::StrCat(GoQuote(path), " must validate all the schemas (allOf)",
                                         valid == 0 ? ". None validated" : "")));
    }
  }
  if (node.not_schema != nullptr) {
    OpenApiResult attempt;
    Node(*node.not_schema, value, path, attempt);
    if (attempt.ok()) {
      result.Add(Validation(Code::kComposite, path, nullptr,
                            absl::StrCat(GoQuote(path), " must not validate the schema (not)")));
    }
  }
  ++result.match_count;
}

void OpenApiValidator::String(const SchemaNode& node, const json& value, const std::string& path,
                              OpenApiResult& result) {
  const std::string& text = value.get_ref<const std::string&>();
  // Like kube-openapi, only the first failing string check is reported.
  if (node.max_length || node.min_length) {
    const int64_t length = RuneCount(text);
    if (node.max_length && length > *node.max_length) {
      OpenApiError error = Validation(
          Code::kTooLong, path, text,
          absl::StrCat(path, kIn, " should be at most ", *node.max_length, " chars long"));
      error.limit = *node.max_length;
      result.Add(std::move(error));
      return;
    }
    if (node.min_length && length < *node.min_length) {
      result.Add(Validation(
          Code::kTooShort, path, text,
          absl::StrCat(path, kIn, " should be at least ", *node.min_length, " chars long")));
      return;
    }
  }
  if (node.pattern_regex && !std::regex_search(text, *node.pattern_regex)) {
    result.Add(Validation(Code::kPattern, path, text,
                          absl::StrCat(path, kIn, " should match '", node.pattern, "'")));
  }
}

void OpenApiValidator::Format(const SchemaNode& node, const json& value, const std::string& path,
                              OpenApiResult& result) {
  const std::string& text = value.get_ref<const std::string&>();
  if (!MatchesStringFormat(node.format_kind, text)) {
    OpenApiError error = TypeError(path, node.format, text);
    result.Add(std::move(error));
  }
}

void OpenApiValidator::Number(const SchemaNode& node, const json& value, const std::string& path,
                              OpenApiResult& result) {
  const bool is_int = IsGoInt(value);
  const json data = GoNumber(value);
  // Integers are checked against the bounds truncated to int64 (and printed as integers), other
  // numbers against the float64 bounds, as kube-openapi's *NativeType helpers do.
  auto bound_text = [is_int](double bound) {
    return is_int ? absl::StrCat(static_cast<int64_t>(bound)) : GoFloat(bound);
  };
  if (node.multiple_of) {
    const double factor = *node.multiple_of;
    if (is_int) {
      const auto int_factor = static_cast<int64_t>(factor);
      const int64_t number = data.get<int64_t>();
      if (int_factor <= 0) {
        result.Add(Validation(Code::kMultipleOf, path, int_factor,
                              absl::StrCat("factor MultipleOf declared for ", path,
                                           " must be positive: ", int_factor)));
      } else if (number % int_factor != 0) {
        result.Add(Validation(Code::kMultipleOf, path, data,
                              absl::StrCat(path, kIn, " should be a multiple of ", int_factor)));
      }
    } else {
      const double number = data.get<double>();
      const double quotient = factor < 1 ? 1 / factor * number : number / factor;
      if (!IsJsonInteger(quotient)) {
        result.Add(
            Validation(Code::kMultipleOf, path, data,
                       absl::StrCat(path, kIn, " should be a multiple of ", GoFloat(factor))));
      }
    }
  }
  if (node.minimum) {
    const bool below = is_int ? (node.exclusive_minimum
                                     ? data.get<int64_t>() <= static_cast<int64_t>(*node.minimum)
                                     : data.get<int64_t>() < static_cast<int64_t>(*node.minimum))
                              : (node.exclusive_minimum ? data.get<double>() <= *node.minimum
                                                        : data.get<double>() < *node.minimum);
    if (below) {
      result.Add(Validation(
          Code::kMinimum, path, data,
          absl::StrCat(path, kIn, " should be greater than ",
                       node.exclusive_minimum ? "" : "or equal to ", bound_text(*node.minimum))));
    }
  }
  if (node.maximum) {
    const bool above = is_int ? (node.exclusive_maximum
                                     ? data.get<int64_t>() >= static_cast<int64_t>(*node.maximum)
                                     : data.get<int64_t>() > static_cast<int64_t>(*node.maximum))
                              : (node.exclusive_maximum ? data.get<double>() >= *node.maximum
                                                        : data.get<double>() > *node.maximum);
    if (above) {
      result.Add(Validation(
          Code::kMaximum, path, data,
          absl::StrCat(path, kIn, " should be less than ",
                       node.exclusive_maximum ? "" : "or equal to ", bound_text(*node.maximum))));
    }
  }
  ++result.match_count;
}

void OpenApiValidator::Array(const SchemaNode& node, const json& value, std::string& path,
                             OpenApiResult& result) {
  if (node.items != nullptr) {
    for (size_t i = 0; i < value.size(); ++i) {
      PathScope scope(path, i);
      Node(*node.items, value[i], path, result);
    }
  }
  const auto size = static_cast<int64_t>(value.size());
  if (node.min_items && size < *node.min_items) {
    result.Add(
        Validation(Code::kMinItems, path, size,
                   absl::StrCat(path, kIn, " should have at least ", *node.min_items, " items")));
  }
  if (node.max_items && size > *node.max_items) {
    OpenApiError error =
        Validation(Code::kMaxItems, path, size,
                   absl::StrCat(path, kIn, " should have at most ", *node.max_items, " items"));
    error.limit = *node.max_items;
    result.Add(std::move(error));
  }
  ++result.match_count;
}

void OpenApiValidator::Enum(const SchemaNode& node, const json& value, const std::string& path,
                            OpenApiResult& result) {
  if (node.enum_values.empty()) return;
  if (!value.is_null()) {
    for (const json& allowed : node.enum_values) {
      if (allowed == value) return;
    }
  }
  OpenApiError error = Validation(Code::kEnum, path, value,
                                  absl::StrCat(path, kIn, " should be one of the allowed values"));
  error.enum_values = &node.enum_values;
  result.Add(std::move(error));
}

void OpenApiValidator::Object(const SchemaNode& node, const json& value, std::string& path,
                              OpenApiResult& result) {
  const auto size = static_cast<int64_t>(value.size());
  if (node.min_properties && size < *node.min_properties) {
    result.Add(Validation(
        Code::kTooFewProperties, path, size,
        absl::StrCat(path, kIn, " should have at least ", *node.min_properties, " properties")));
  }
  if (node.max_properties && size > *node.max_properties) {
    OpenApiError error = Validation(
        Code::kTooManyProperties, path, size,
        absl::StrCat(path, kIn, " should have at most ", *node.max_properties, " properties"));
    error.limit = *node.max_properties;
    result.Add(std::move(error));
  }
  if (node.additional == SchemaNode::AdditionalProperties::kDeny) {
    for (const auto& [key, unused] : value.items()) {
      if (node.properties.count(key) == 0) {
        result.Add(Validation(Code::kForbiddenProperty, path, key,
                              absl::StrCat(path, ".", key, kIn, " is a forbidden property")));
      }
    }
  } else if (node.additional_properties != nullptr) {
    for (const auto& [key, item] : value.items()) {
      if (node.properties.count(key) != 0) continue;
      PathScope scope(path, key, PathScope::Join::kMapKey);
      Node(*node.additional_properties, item, path, result);
    }
  }
  for (const auto& [key, item] : value.items()) {
    auto property = node.properties.find(key);
    if (property == node.properties.end()) continue;
    PathScope scope(path, key, PathScope::Join::kProperty);
    Node(*property->second, item, path, result);
  }
  for (const std::string& key : node.required) {
    if (!value.contains(key)) {
      result.Add(Validation(Code::kRequired, absl::StrCat(path, ".", key), nullptr,
                            absl::StrCat(path, ".", key, kIn, " is required")));
    }
  }
}

}  // namespace certforge::kube
