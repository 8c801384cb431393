#include "services/local-apiserver/metadata_validation.h"

#include <gtest/gtest.h>

namespace certforge::apiserver {
namespace {

using nlohmann::json;

TEST(MetadataValidationTest, DnsNames) {
  struct Case {
    std::string name;
    bool label;
    bool subdomain;
  };
  const Case cases[] = {
      {"a", true, true},
      {"web-1", true, true},
      {"0abc", true, true},
      {"example.com", false, true},
      {"a.b-c.d", false, true},
      {"", false, false},
      {"-a", false, false},
      {"a-", false, false},
      {"A", false, false},
      {"a_b", false, false},
      {"a..b", false, false},
      {".a", false, false},
      {"a.", false, false},
      {std::string(63, 'a'), true, true},
      // Only the whole subdomain has a length limit, not its parts (as in apimachinery).
      {std::string(64, 'a'), false, true},
      {std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
           std::string(61, 'd'),
       false, true},  // 253 characters
      {std::string(63, 'a') + "." + std::string(63, 'b') + "." + std::string(63, 'c') + "." +
           std::string(62, 'd'),
       false, false},  // 254
  };
  for (const auto& c : cases) {
    EXPECT_EQ(IsDnsLabel(c.name), c.label) << c.name;
    EXPECT_EQ(IsDnsSubdomain(c.name), c.subdomain) << c.name;
  }
}

TEST(MetadataValidationTest, QualifiedNames) {
  struct Case {
    std::string name;
    bool valid;
  };
  const Case cases[] = {
      {"app", true},
      {"App_Name.v2", true},
      {"example.com/app", true},
      {"kubernetes.io/metadata.name", true},
      {"a/b/c", false},
      {"/app", false},
      {"example.com/", false},
      {"Example.com/app", false},
      {"-app", false},
      {"app-", false},
      {"my app", false},
      {"caf\xc3\xa9", false},  // letters outside ASCII
      {"app:v1", false},
      {std::string(63, 'x'), true},
      {std::string(64, 'x'), false},
      {"", false},
  };
  for (const auto& c : cases) EXPECT_EQ(IsQualifiedName(c.name), c.valid) << c.name;
}

TEST(MetadataValidationTest, ObjectMetaFields) {
  for (const char* f :
       {"name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
        "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels",
        "annotations", "ownerReferences", "finalizers", "managedFields"}) {
    EXPECT_TRUE(IsObjectMetaField(f)) << f;
  }
  for (const char* f : {"", "Name", "clusterName", "status", "spec"}) {
    EXPECT_FALSE(IsObjectMetaField(f)) << f;
  }
}

TEST(MetadataValidationTest, ValidateObjectMeta) {
  struct Case {
    const char* what;
    json meta;
    bool namespaced;
    bool dns_label;
    std::vector<kube::FieldError> want;
  };
  const std::string subdomain_detail =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
      "'.', and must start and end with an alphanumeric character (e.g. 'example.com', regex "
      "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  const std::string label_value_detail =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
      "'.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or "
      "'my_value',  or '12345', regex used for validation is "
      "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";
  const std::string qualified_detail =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and "
      "end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex "
      "used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  const json ref = {{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "o"}, {"uid", "u"}};
  auto ref_without = [&](const char* field) {
    json r = ref;
    r.erase(field);
    return r;
  };
  auto controller = [&](const std::string& name) {
    json r = ref;
    r["name"] = name;
    r["controller"] = true;
    return r;
  };
  const Case cases[] = {
      {"valid",
       {{"name", "web"},
        {"namespace", "default"},
        {"labels", {{"app", "web"}, {"example.com/tier", ""}}},
        {"annotations", {{"note", "anything at all, even spaces"}}},
        {"finalizers", {"example.com/cleanup", "orphan"}},
        {"ownerReferences", {ref, controller("c")}}},
       true,
       false,
       {}},
      {"no name",
       {{"namespace", "default"}},
       true,
       false,
       {{"metadata.name", "FieldValueRequired",
         "Required value: name or generateName is required"}}},
      {"no namespace",
       {{"name", "web"}},
       true,
       false,
       {{"metadata.namespace", "FieldValueRequired", "Required value"}}},
      {"cluster-scoped needs no namespace", {{"name", "web"}}, false, false, {}},
      {"bad subdomain name",
       {{"name", "Web"}},
       false,
       false,
       {{"metadata.name", "FieldValueInvalid", "Invalid value: \"Web\": " + subdomain_detail}}},
      {"namespace names are labels",
       {{"name", "a.b"}},
       false,
       true,
       {{"metadata.name", "FieldValueInvalid",
         "Invalid value: \"a.b\": a lowercase RFC 1123 label must consist of lower case "
         "alphanumeric characters or '-', and must start and end with an alphanumeric character "
         "(e.g. 'my-name',  or '123-abc', regex used for validation is "
         "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"}}},
      {"bad label value",
       {{"name", "web"}, {"labels", {{"app", "a b"}}}},
       false,
       false,
       {{"metadata.labels", "FieldValueInvalid", "Invalid value: \"a b\": " + label_value_detail}}},
      {"long label value",
       {{"name", "web"}, {"labels", {{"app", std::string(64, 'v')}}}},
       false,
       false,
       {{"metadata.labels", "FieldValueInvalid",
         "Invalid value: \"" + std::string(64, 'v') + "\": must be no more than 63 characters"}}},
      {"bad label key",
       {{"name", "web"}, {"labels", {{"a b", "v"}}}},
       false,
       false,
       {{"metadata.labels", "FieldValueInvalid", "Invalid value: \"a b\": " + qualified_detail}}},
      {"non-string annotation",
       {{"name", "web"}, {"annotations", {{"n", 1}}}},
       false,
       false,
       {{"metadata.annotations[n]", "FieldValueInvalid", "Invalid value: must be a string"}}},
      {"huge annotations",
       {{"name", "web"}, {"annotations", {{"big", std::string(256 * 1024, 'x')}}}},
       false,
       false,
       {{"metadata.annotations", "FieldValueTooLong", "Too long: must have at most 262144 bytes"}}},
      {"bad finalizer",
       {{"name", "web"}, {"finalizers", {"ok", "not/ok/at/all"}}},
       false,
       false,
       {{"metadata.finalizers[1]", "FieldValueInvalid",
         "Invalid value: \"not/ok/at/all\": " + qualified_detail}}},
      {"owner reference without uid",
       {{"name", "web"}, {"ownerReferences", {ref_without("uid")}}},
       false,
       false,
       {{"metadata.ownerReferences[0].uid", "FieldValueInvalid",
         "Invalid value: \"\": uid must not be empty"}}},
      {"owner reference without name or kind",
       {{"name", "web"}, {"ownerReferences", {ref, ref_without("name"), ref_without("kind")}}},
       false,
       false,
       {{"metadata.ownerReferences[1].name", "FieldValueInvalid",
         "Invalid value: \"\": name must not be empty"},
        {"metadata.ownerReferences[2].kind", "FieldValueInvalid",
         "Invalid value: \"\": kind must not be empty"}}},
      {"owner reference without a version",
       {{"name", "web"},
        {"ownerReferences",
         {ref_without("apiVersion"),
          [&] {
            json r = ref;
            r["apiVersion"] = "apps/";
            return r;
          }()}}},
       false,
       false,
       {{"metadata.ownerReferences[0].apiVersion", "FieldValueInvalid",
         "Invalid value: \"\": version must not be empty"},
        {"metadata.ownerReferences[1].apiVersion", "FieldValueInvalid",
         "Invalid value: \"apps/\": version must not be empty"}}},
      {"two controllers",
       {{"name", "web"}, {"ownerReferences", {controller("a"), controller("b")}}},
       false,
       false,
       {{"metadata.ownerReferences", "FieldValueInvalid",
         "Invalid value: Only one reference can have Controller set to true. Found \"true\" in "
         "references for ConfigMap/a and ConfigMap/b"}}},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ValidateObjectMeta(c.meta, c.namespaced, c.dns_label), c.want) << c.what;
  }
}

}  // namespace
}  // namespace certforge::apiserver
