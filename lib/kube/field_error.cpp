#include "lib/kube/field_error.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/kube/go_format.h"

namespace certforge::kube {
namespace {

FieldError Make(std::string field, std::string_view reason, std::string message) {
  return FieldError{std::move(field), std::string(reason), std::move(message)};
}

// "<Type>: <value>[: <detail>]", field.Error.ErrorBody for the kinds that show a value.
std::string BodyWithValue(std::string_view type, const nlohmann::json& bad_value,
                          std::string_view detail) {
  std::string body(type);
  body += ": ";
  body += RenderBadValue(bad_value);
  if (!detail.empty()) {
    body += ": ";
    body += detail;
  }
  return body;
}

std::string BodyWithoutValue(std::string_view type, std::string_view detail) {
  std::string body(type);
  if (!detail.empty()) {
    body += ": ";
    body += detail;
  }
  return body;
}

}  // namespace

std::string FieldError::ToString() const { return absl::StrCat(field, ": ", message); }

std::string RenderBadValue(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      return GoQuote("null");
    case nlohmann::json::value_t::string:
      return GoQuote(value.get_ref<const std::string&>());
    case nlohmann::json::value_t::object:
    case nlohmann::json::value_t::array:
      return GoSyntax(value);
    default:
      return GoPlain(value);
  }
}

FieldError RequiredError(std::string field, std::string_view detail) {
  return Make(std::move(field), reason::kRequired, BodyWithoutValue("Required value", detail));
}

FieldError InvalidError(std::string field, const nlohmann::json& bad_value,
                        std::string_view detail) {
  return Make(std::move(field), reason::kInvalid,
              BodyWithValue("Invalid value", bad_value, detail));
}

FieldError TypeInvalidError(std::string field, const nlohmann::json& bad_value,
                            std::string_view detail) {
  return Make(std::move(field), reason::kTypeInvalid,
              BodyWithValue("Invalid value", bad_value, detail));
}

FieldError NotSupportedError(std::string field, const nlohmann::json& bad_value,
                             const std::vector<std::string>& supported) {
  std::string detail;
  if (!supported.empty()) {
    detail = "supported values: ";
    for (size_t i = 0; i < supported.size(); ++i) {
      if (i > 0) detail += ", ";
      detail += GoQuote(supported[i]);
    }
  }
  return Make(std::move(field), reason::kNotSupported,
              BodyWithValue("Unsupported value", bad_value, detail));
}

FieldError TooLongError(std::string field, int64_t max_length) {
  const std::string detail = max_length >= 0
                                 ? absl::StrCat("may not be more than ", max_length, " bytes")
                                 : std::string("value is too long");
  return Make(std::move(field), reason::kTooLong, BodyWithoutValue("Too long", detail));
}

FieldError TooManyError(std::string field, int64_t actual, int64_t max) {
  const std::string detail = max >= 0 ? absl::StrCat("must have at most ", max, " items")
                                      : std::string("has too many items");
  if (actual < 0) {
    return Make(std::move(field), reason::kTooMany, BodyWithoutValue("Too many", detail));
  }
  return Make(std::move(field), reason::kTooMany,
              BodyWithValue("Too many", nlohmann::json(actual), detail));
}

FieldError DuplicateError(std::string field, const nlohmann::json& bad_value) {
  return Make(std::move(field), reason::kDuplicate,
              BodyWithValue("Duplicate value", bad_value, {}));
}

FieldError ForbiddenError(std::string field, std::string_view detail) {
  return Make(std::move(field), reason::kForbidden, BodyWithoutValue("Forbidden", detail));
}

}  // namespace certforge::kube
