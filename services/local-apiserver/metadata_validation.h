#pragma once
// Validation of ObjectMeta as kube-apiserver does it for every kind: names, labels,
// annotations, finalizers and owner references. Messages match the real server's.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "lib/kube/field_error.h"

namespace certforge::apiserver {

// RFC 1123 subdomain (most object names) and label (namespaces, CRD plurals).
bool IsDnsSubdomain(std::string_view name);
bool IsDnsLabel(std::string_view name);
// A label key or finalizer: [prefix/]name.
bool IsQualifiedName(std::string_view name);

std::vector<kube::FieldError> ValidateObjectMeta(const nlohmann::json& metadata,
                                                 bool namespaced, bool name_is_dns_label);

// The fields ObjectMeta has; anything else in metadata is unknown (dropped, or refused under
// fieldValidation=Strict).
bool IsObjectMetaField(std::string_view field);

}  // namespace certforge::apiserver
