#include "services/local-apiserver/metadata_validation.h"

namespace certforge::apiserver {
namespace {

using kube::FieldError;

bool IsAlnum(char c, bool lower_only) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (!lower_only && c >= 'A' && c <= 'Z');
}

// Alphanumeric characters with `inner` ones allowed between them: the shape of the validation
// regexes apimachinery uses ("[a-z0-9]([-a-z0-9]*[a-z0-9])?" and its relatives), checked without a
// regex because every write checks several.
bool IsDelimitedToken(std::string_view s, std::string_view inner, bool lower_only) {
  if (s.empty() || !IsAlnum(s.front(), lower_only) || !IsAlnum(s.back(), lower_only)) return false;
  for (char c : s) {
    if (!IsAlnum(c, lower_only) && inner.find(c) == std::string_view::npos) return false;
  }
  return true;
}

bool IsLabelValue(std::string_view v) { return v.empty() || IsDelimitedToken(v, "-_.", false); }

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

FieldError Invalid(std::string field, std::string_view value, std::string_view detail) {
  return {std::move(field), "FieldValueInvalid",
          "Invalid value: " + Quote(value) + ": " + std::string(detail)};
}

constexpr char kSubdomainDetail[] =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used "
    "for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr char kLabelDetail[] =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and "
    "must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex "
    "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
constexpr char kQualifiedDetail[] =
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
    "with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for "
    "validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr char kLabelValueDetail[] =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
    "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
    "'my_value',  or '12345', regex used for validation is "
    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

// The version part of an apiVersion as apimachinery parses it: none in "apps/" or "a/b/c".
std::string_view VersionOf(std::string_view api_version) {
  size_t slash = api_version.find('/');
  if (slash == std::string_view::npos) return api_version;
  if (api_version.find('/', slash + 1) != std::string_view::npos) return {};
  return api_version.substr(slash + 1);
}

void ValidateStringMap(const nlohmann::json& map, const std::string& field, bool values_are_labels,
                       std::vector<FieldError>& errors) {
  if (map.is_null()) return;
  if (!map.is_object()) {
    errors.push_back({field, "FieldValueInvalid", "Invalid value: must be a map of strings"});
    return;
  }
  size_t total = 0;
  for (const auto& [key, value] : map.items()) {
    if (!IsQualifiedName(key)) errors.push_back(Invalid(field, key, kQualifiedDetail));
    if (!value.is_string()) {
      errors.push_back(
          {field + "[" + key + "]", "FieldValueInvalid", "Invalid value: must be a string"});
      continue;
    }
    const std::string& v = value.get_ref<const std::string&>();
    total += key.size() + v.size();
    if (values_are_labels) {
      if (v.size() > 63) {
        errors.push_back(Invalid(field, v, "must be no more than 63 characters"));
      } else if (!IsLabelValue(v)) {
        errors.push_back(Invalid(field, v, kLabelValueDetail));
      }
    }
  }
  if (!values_are_labels && total > 256 * 1024) {
    errors.push_back({field, "FieldValueTooLong", "Too long: must have at most 262144 bytes"});
  }
}

}  // namespace

bool IsDnsLabel(std::string_view name) {
  return name.size() <= 63 && IsDelimitedToken(name, "-", true);
}

bool IsDnsSubdomain(std::string_view name) {
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string_view part =
        name.substr(start, dot == std::string_view::npos ? name.npos : dot - start);
    if (!IsDelimitedToken(part, "-", true)) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

bool IsQualifiedName(std::string_view name) {
  std::string_view part = name;
  size_t slash = name.find('/');
  if (slash != std::string_view::npos) {
    std::string_view prefix = name.substr(0, slash);
    part = name.substr(slash + 1);
    if (!IsDnsSubdomain(prefix)) return false;
  }
  return part.size() <= 63 && IsDelimitedToken(part, "-_.", false);
}

bool IsObjectMetaField(std::string_view field) {
  static const char* kFields[] = {"name",
                                  "generateName",
                                  "namespace",
                                  "selfLink",
                                  "uid",
                                  "resourceVersion",
                                  "generation",
                                  "creationTimestamp",
                                  "deletionTimestamp",
                                  "deletionGracePeriodSeconds",
                                  "labels",
                                  "annotations",
                                  "ownerReferences",
                                  "finalizers",
                                  "managedFields"};
  for (const char* f : kFields) {
    if (field == f) return true;
  }
  return false;
}

std::vector<FieldError> ValidateObjectMeta(const nlohmann::json& meta, bool namespaced,
                                           bool name_is_dns_label) {
  std::vector<FieldError> errors;
  std::string name = meta.value("name", "");
  if (name.empty()) {
    errors.push_back({"metadata.name", "FieldValueRequired",
                      "Required value: name or generateName is required"});
  } else if (name_is_dns_label ? !IsDnsLabel(name) : !IsDnsSubdomain(name)) {
    errors.push_back(
        Invalid("metadata.name", name, name_is_dns_label ? kLabelDetail : kSubdomainDetail));
  }
  if (namespaced && meta.value("namespace", "").empty()) {
    errors.push_back({"metadata.namespace", "FieldValueRequired", "Required value"});
  }
  if (meta.contains("labels")) ValidateStringMap(meta["labels"], "metadata.labels", true, errors);
  if (meta.contains("annotations")) {
    ValidateStringMap(meta["annotations"], "metadata.annotations", false, errors);
  }
  if (auto fin = meta.find("finalizers"); fin != meta.end() && !fin->is_null()) {
    if (!fin->is_array()) {
      errors.push_back(
          {"metadata.finalizers", "FieldValueInvalid", "Invalid value: must be a list of strings"});
    } else {
      for (size_t i = 0; i < fin->size(); ++i) {
        const auto& f = (*fin)[i];
        std::string field = "metadata.finalizers[" + std::to_string(i) + "]";
        if (!f.is_string()) {
          errors.push_back({field, "FieldValueInvalid", "Invalid value: must be a string"});
        } else if (!IsQualifiedName(f.get<std::string>())) {
          errors.push_back(Invalid(field, f.get<std::string>(), kQualifiedDetail));
        }
      }
    }
  }
  if (auto refs = meta.find("ownerReferences"); refs != meta.end() && !refs->is_null()) {
    if (!refs->is_array()) {
      errors.push_back(
          {"metadata.ownerReferences", "FieldValueInvalid", "Invalid value: must be a list"});
    } else {
      std::string first_controller;
      for (size_t i = 0; i < refs->size(); ++i) {
        const auto& ref = (*refs)[i];
        std::string field = "metadata.ownerReferences[" + std::to_string(i) + "]";
        auto text = [&](const char* key) {
          return ref.is_object() && ref.contains(key) && ref[key].is_string()
                     ? ref[key].get<std::string>()
                     : std::string();
        };
        std::string api_version = text("apiVersion");
        if (VersionOf(api_version).empty()) {
          errors.push_back(
              Invalid(field + ".apiVersion", api_version, "version must not be empty"));
        }
        for (const char* key : {"kind", "name", "uid"}) {
          if (text(key).empty()) {
            errors.push_back(
                Invalid(field + "." + key, "", std::string(key) + " must not be empty"));
          }
        }
        if (!ref.is_object() || !ref.value("controller", false)) continue;
        std::string controller = text("kind") + "/" + text("name");
        if (first_controller.empty()) {
          first_controller = controller;
        } else {
          errors.push_back({"metadata.ownerReferences", "FieldValueInvalid",
                            "Invalid value: Only one reference can have Controller set to true. "
                            "Found \"true\" in references for " +
                                first_controller + " and " + controller});
        }
      }
    }
  }
  return errors;
}

}  // namespace certforge::apiserver
