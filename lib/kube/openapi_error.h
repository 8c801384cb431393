#pragma once
// A violation as kube-openapi's validator reports it (code, dotted name, value, message), and
// its conversion into the field error kube-apiserver returns for it
// (apiextensions-apiserver's kubeOpenAPIResultToFieldErrors).

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "lib/kube/field_error.h"

namespace certforge::kube {

struct OpenApiError {
  enum class Code {
    kInvalidType,
    kRequired,
    kTooLong,
    kTooShort,
    kPattern,
    kEnum,
    kMultipleOf,
    kMaximum,
    kMinimum,
    kMaxItems,
    kMinItems,
    kTooFewProperties,
    kTooManyProperties,
    kForbiddenProperty,
    kComposite,  // anyOf/oneOf/allOf/not: a plain error without a field
  };

  Code code = Code::kComposite;
  std::string name;      // "spec.dnsNames[0]", "spec.labels.key"; "" at the root
  nlohmann::json value;  // the Go error's Value; null stands for nil
  int64_t limit = -1;    // maxLength / maxItems / maxProperties for the Too* conversions
  std::string message;   // kube-openapi's message, "spec.x in body must be of type ..."
  const std::vector<nlohmann::json>* enum_values = nullptr;

  FieldError ToFieldError() const;
};

// Collects errors the way kube-openapi's Result does: identical messages are kept once, and
// match_count scores how much of a schema matched (to pick the best failing anyOf branch).
struct OpenApiResult {
  std::vector<OpenApiError> errors;
  int match_count = 0;

  bool ok() const { return errors.empty(); }
  void Add(OpenApiError error);
  void Merge(OpenApiResult&& other);
};

}  // namespace certforge::kube
