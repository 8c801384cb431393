#pragma once
// A field-level validation failure as kube-apiserver reports it in a 422 Status: one StatusCause
// (field, reason, message). The message is rendered exactly like apimachinery's field.Error body.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace certforge::kube {

struct FieldError {
  std::string field;  // "spec.dnsNames[0]", "spec.privateKey.size", "metadata.labels[foo]", "<nil>"
  std::string reason;   // FieldValueRequired, FieldValueInvalid, FieldValueNotSupported, ...
  std::string message;  // "Required value", "Invalid value: \"string\": ...", ...

  // "<field>: <message>", the way the Kubernetes renderer prints a cause.
  std::string ToString() const;

  bool operator==(const FieldError&) const = default;
};

// The cause reasons (metav1.CauseType) used for schema validation.
namespace reason {
inline constexpr std::string_view kRequired = "FieldValueRequired";
inline constexpr std::string_view kInvalid = "FieldValueInvalid";
inline constexpr std::string_view kNotSupported = "FieldValueNotSupported";
inline constexpr std::string_view kTooLong = "FieldValueTooLong";
inline constexpr std::string_view kTooMany = "FieldValueTooMany";
inline constexpr std::string_view kDuplicate = "FieldValueDuplicate";
inline constexpr std::string_view kForbidden = "FieldValueForbidden";
inline constexpr std::string_view kTypeInvalid = "FieldValueTypeInvalid";
}  // namespace reason

// Constructors mirroring apimachinery's field.Required/Invalid/... so every producer renders the
// same text. `bad_value` is shown the way Go prints the decoded JSON value.
FieldError RequiredError(std::string field, std::string_view detail = {});
FieldError InvalidError(std::string field, const nlohmann::json& bad_value,
                        std::string_view detail);
FieldError TypeInvalidError(std::string field, const nlohmann::json& bad_value,
                            std::string_view detail);
FieldError NotSupportedError(std::string field, const nlohmann::json& bad_value,
                             const std::vector<std::string>& supported);
FieldError TooLongError(std::string field, int64_t max_length);
FieldError TooManyError(std::string field, int64_t actual, int64_t max);
FieldError DuplicateError(std::string field, const nlohmann::json& bad_value);
FieldError ForbiddenError(std::string field, std::string_view detail);

// The error body's value part: strings quoted like Go's %q, numbers and booleans plain, null as
// "null" quoted, objects and arrays in Go's %#v syntax (what field.Error prints for them).
std::string RenderBadValue(const nlohmann::json& value);

}  // namespace certforge::kube
