#include "lib/kube/openapi_error.h"

#include <utility>

#include "lib/kube/go_format.h"
#include "lib/kube/text_util.h"

namespace certforge::kube {
namespace {

// field.Path.Child(name) from a nil path, as the conversion builds it.
std::string FieldName(const std::string& name) {
  if (name.empty() || name == ".") return "<nil>";
  return name.starts_with(".") ? name.substr(1) : name;
}

// Go passes "" when the error carries no value.
nlohmann::json ValueOrEmpty(const nlohmann::json& value) {
  return value.is_null() ? nlohmann::json("") : value;
}

}  // namespace

FieldError OpenApiError::ToFieldError() const {
  switch (code) {
    case Code::kRequired:
      return RequiredError(FieldName(name));
    case Code::kEnum: {
      std::vector<std::string> supported;
      if (enum_values != nullptr) {
        for (const nlohmann::json& allowed : *enum_values) {
          supported.push_back(allowed.is_string() ? allowed.get<std::string>()
                                                  : GoJsonMarshal(allowed));
        }
      }
      return NotSupportedError(FieldName(name), value, supported);
    }
    case Code::kTooLong:
      return TooLongError(FieldName(name), limit);
    case Code::kMaxItems:
    case Code::kTooManyProperties:
      return TooManyError(FieldName(name), value.is_number() ? value.get<int64_t>() : -1, limit);
    case Code::kInvalidType:
      return TypeInvalidError(FieldName(name), ValueOrEmpty(value), message);
    case Code::kComposite:
      return InvalidError("<nil>", "", message);
    default:
      return InvalidError(FieldName(name), ValueOrEmpty(value), message);
  }
}

void OpenApiResult::Add(OpenApiError error) {
  for (const OpenApiError& existing : errors) {
    if (existing.message == error.message) return;
  }
  errors.push_back(std::move(error));
}

void OpenApiResult::Merge(OpenApiResult&& other) {
  for (OpenApiError& error : other.errors) Add(std::move(error));
  match_count += other.match_count;
}

}  // namespace certforge::kube
