// Every supported keyword with a passing and a failing value, checked against the exact field
// errors kube-apiserver returns.

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/unit/kube_schema/schema_test_util.h"

namespace certforge::kube {
namespace {

using json = nlohmann::json;
using testing::MustCompile;
using testing::SpecX;
using testing::SpecXSchema;

struct KeywordCase {
  std::string name;
  std::string property;            // the schema of spec.x, YAML flow style
  std::vector<json> valid;         // values of spec.x that pass
  json invalid;                    // a value of spec.x that fails ...
  std::vector<FieldError> errors;  // ... with exactly these errors, in this order
};

std::ostream& operator<<(std::ostream& os, const KeywordCase& c) { return os << c.name; }

class KeywordTest : public ::testing::TestWithParam<KeywordCase> {};

TEST_P(KeywordTest, AcceptsValidAndReportsInvalid) {
  const KeywordCase& c = GetParam();
  const StructuralSchema schema = MustCompile(SpecXSchema(c.property));
  for (const json& value : c.valid) {
    EXPECT_EQ(schema.Validate(SpecX(value)), std::vector<FieldError>{}) << value.dump();
  }
  EXPECT_EQ(schema.Validate(SpecX(c.invalid)), c.errors) << c.invalid.dump();
}

constexpr const char* kInvalid = "FieldValueInvalid";
constexpr const char* kTypeInvalid = "FieldValueTypeInvalid";

FieldError Err(std::string field, std::string reason, std::string message) {
  return FieldError{std::move(field), std::move(reason), std::move(message)};
}

INSTANTIATE_TEST_SUITE_P(
    Keywords, KeywordTest,
    ::testing::Values(
        KeywordCase{"type_integer",
                    "{type: integer}",
                    {5, -1, 2.0},
                    "string",
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"string\": spec.x in body must be of type integer: "
                         "\"string\"")}},
        KeywordCase{"type_integer_rejects_fraction",
                    "{type: integer}",
                    {},
                    2.5,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"number\": spec.x in body must be of type integer: "
                         "\"number\"")}},
        KeywordCase{"type_number",
                    "{type: number}",
                    {1.5, 2},
                    true,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"boolean\": spec.x in body must be of type number: "
                         "\"boolean\"")}},
        KeywordCase{"type_string",
                    "{type: string}",
                    {"", "a"},
                    5,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"integer\": spec.x in body must be of type string: "
                         "\"integer\"")}},
        KeywordCase{"type_boolean",
                    "{type: boolean}",
                    {true, false},
                    "true",
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"string\": spec.x in body must be of type boolean: "
                         "\"string\"")}},
        KeywordCase{"type_object",
                    "{type: object}",
                    {json::object()},
                    json::array(),
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"array\": spec.x in body must be of type object: "
                         "\"array\"")}},
        KeywordCase{"type_array",
                    "{type: array, items: {type: string}}",
                    {json::array()},
                    json::object(),
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"object\": spec.x in body must be of type array: "
                         "\"object\"")}},
        KeywordCase{"items",
                    "{type: array, items: {type: integer}}",
                    {json::array({1, 2})},
                    json::array({1, "two"}),
                    {Err("spec.x[1]", kTypeInvalid,
                         "Invalid value: \"string\": spec.x[1] in body must be of type integer: "
                         "\"string\"")}},
        KeywordCase{"not_nullable",
                    "{type: string}",
                    {},
                    nullptr,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"null\": spec.x in body must be of type string: "
                         "\"null\"")}},
        KeywordCase{"nullable",
                    "{type: string, nullable: true, maxLength: 1}",
                    {nullptr, "a"},
                    "ab",
                    {Err("spec.x", "FieldValueTooLong", "Too long: may not be more than 1 bytes")}},
        KeywordCase{"enum_strings",
                    "{type: string, enum: [RSA, ECDSA, Ed25519]}",
                    {"RSA", "Ed25519"},
                    "Foo",
                    {Err("spec.x", "FieldValueNotSupported",
                         "Unsupported value: \"Foo\": supported values: \"RSA\", \"ECDSA\", "
                         "\"Ed25519\"")}},
        KeywordCase{"enum_integers",
                    "{type: integer, enum: [1, 2]}",
                    {1, 2},
                    3,
                    {Err("spec.x", "FieldValueNotSupported",
                         "Unsupported value: 3: supported values: \"1\", \"2\"")}},
        KeywordCase{"enum_with_wrong_type",
                    "{type: integer, enum: [1, 2]}",
                    {},
                    "x",
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"string\": spec.x in body must be of type integer: "
                         "\"string\""),
                     Err("spec.x", "FieldValueNotSupported",
                         "Unsupported value: \"x\": supported values: \"1\", \"2\"")}},
        KeywordCase{"pattern",
                    "{type: string, pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'}",
                    {"web-01", "a"},
                    "Web_01",
                    {Err("spec.x", kInvalid,
                         "Invalid value: \"Web_01\": spec.x in body should match "
                         "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'")}},
        KeywordCase{"pattern_is_a_search",
                    "{type: string, pattern: '[0-9]'}",
                    {"a1b"},
                    "abc",
                    {Err("spec.x", kInvalid,
                         "Invalid value: \"abc\": spec.x in body should match '[0-9]'")}},
        KeywordCase{"min_length",
                    "{type: string, minLength: 3}",
                    {"abc", "h\xc3\xa9\xc3\xa9"},
                    "ab",
                    {Err("spec.x", kInvalid,
                         "Invalid value: \"ab\": spec.x in body should be at least 3 chars "
                         "long")}},
        KeywordCase{"max_length_counts_code_points",
                    "{type: string, maxLength: 3}",
                    {"abc", "h\xc3\xa9\xc3\xa9"},
                    "abcd",
                    {Err("spec.x", "FieldValueTooLong", "Too long: may not be more than 3 bytes")}},
        KeywordCase{"first_string_failure_only",
                    "{type: string, maxLength: 2, pattern: '^a'}",
                    {"ab"},
                    "bcd",
                    {Err("spec.x", "FieldValueTooLong", "Too long: may not be more than 2 bytes")}},
        KeywordCase{"minimum",
                    "{type: integer, minimum: 1}",
                    {1, 9},
                    0,
                    {Err("spec.x", kInvalid,
                         "Invalid value: 0: spec.x in body should be greater than or equal to 1")}},
        KeywordCase{"maximum",
                    "{type: integer, maximum: 65535}",
                    {65535},
                    70000,
                    {Err("spec.x", kInvalid,
                         "Invalid value: 70000: spec.x in body should be less than or equal to "
                         "65535")}},
        KeywordCase{
            "exclusive_minimum",
            "{type: integer, minimum: 0, exclusiveMinimum: true}",
            {1},
            0,
            {Err("spec.x", kInvalid, "Invalid value: 0: spec.x in body should be greater than 0")}},
        KeywordCase{
            "exclusive_maximum",
            "{type: integer, maximum: 10, exclusiveMaximum: true}",
            {9},
            10,
            {Err("spec.x", kInvalid, "Invalid value: 10: spec.x in body should be less than 10")}},
        KeywordCase{
            "float_bounds",
            "{type: number, minimum: 0.5, maximum: 1.5}",
            {0.5, 1},
            2.5,
            {Err("spec.x", kInvalid,
                 "Invalid value: 2.5: spec.x in body should be less than or equal to 1.5")}},
        KeywordCase{"multiple_of",
                    "{type: integer, multipleOf: 5}",
                    {0, 10, -5},
                    7,
                    {Err("spec.x", kInvalid,
                         "Invalid value: 7: spec.x in body should be a multiple of 5")}},
        KeywordCase{"min_items",
                    "{type: array, minItems: 1, items: {type: string}}",
                    {json::array({"a"})},
                    json::array(),
                    {Err("spec.x", kInvalid,
                         "Invalid value: 0: spec.x in body should have at least 1 items")}},
        KeywordCase{"max_items",
                    "{type: array, maxItems: 2, items: {type: integer}}",
                    {json::array({1, 2})},
                    json::array({1, 2, 3}),
                    {Err("spec.x", "FieldValueTooMany", "Too many: 3: must have at most 2 items")}},
        KeywordCase{"min_properties",
                    "{type: object, minProperties: 1, additionalProperties: {type: integer}}",
                    {json{{"a", 1}}},
                    json::object(),
                    {Err("spec.x", kInvalid,
                         "Invalid value: 0: spec.x in body should have at least 1 properties")}},
        KeywordCase{"max_properties",
                    "{type: object, maxProperties: 1, additionalProperties: {type: integer}}",
                    {json{{"a", 1}}},
                    json{{"a", 1}, {"b", 2}},
                    {Err("spec.x", "FieldValueTooMany", "Too many: 2: must have at most 1 items")}},
        KeywordCase{"required",
                    "{type: object, required: [name, kind], properties: {name: {type: string}, "
                    "kind: {type: string}}}",
                    {json{{"name", "a"}, {"kind", "b"}}},
                    json{{"kind", "b"}},
                    {Err("spec.x.name", "FieldValueRequired", "Required value")}},
        KeywordCase{"additional_properties_schema",
                    "{type: object, additionalProperties: {type: string}}",
                    {json{{"a", "b"}}},
                    json{{"a", 1}},
                    {Err("spec.x.a", kTypeInvalid,
                         "Invalid value: \"integer\": spec.x.a in body must be of type string: "
                         "\"integer\"")}},
        KeywordCase{"additional_properties_false",
                    "{type: object, additionalProperties: false}",
                    {json::object()},
                    json{{"a", 1}},
                    {Err("spec.x", kInvalid,
                         "Invalid value: \"a\": spec.x.a in body is a forbidden property")}},
        KeywordCase{"format_date_time",
                    "{type: string, format: date-time}",
                    {"2026-11-27T19:58:31Z", "2026-11-27t19:58:31.123+01:00"},
                    "2026-11-27 19:58",
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"2026-11-27 19:58\": spec.x in body must be of type "
                         "date-time: \"2026-11-27 19:58\"")}},
        KeywordCase{"format_date_time_wrong_json_type",
                    "{type: string, format: date-time}",
                    {},
                    5,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"int64\": spec.x in body must be of type date-time: "
                         "\"int64\"")}},
        KeywordCase{"format_byte",
                    "{type: string, format: byte}",
                    {"aGVsbG8=", "YWJj"},
                    "not base64!",
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"not base64!\": spec.x in body must be of type byte: "
                         "\"not base64!\"")}},
        KeywordCase{"format_int64_is_not_validated",
                    "{type: integer, format: int32}",
                    {3000000000},
                    "1",
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"string\": spec.x in body must be of type integer: "
                         "\"string\"")}},
        KeywordCase{"int_or_string",
                    "{x-kubernetes-int-or-string: true}",
                    {5, "50%"},
                    true,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"boolean\": spec.x in body must be of type "
                         "integer,string: \"boolean\"")}},
        KeywordCase{"int_or_string_null",
                    "{x-kubernetes-int-or-string: true}",
                    {},
                    nullptr,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"null\": spec.x in body must be of type "
                         "integer,string: \"null\"")}},
        KeywordCase{"any_of",
                    "{x-kubernetes-int-or-string: true, nullable: true, anyOf: [{type: integer}, "
                    "{type: string}]}",
                    {nullptr, 42, "foo"},
                    true,
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"boolean\": spec.x in body must be of type "
                         "integer,string: \"boolean\""),
                     Err("<nil>", kInvalid,
                         "Invalid value: \"\": \"spec.x\" must validate at least one schema "
                         "(anyOf)"),
                     Err("spec.x", kTypeInvalid,
                         "Invalid value: \"boolean\": spec.x in body must be of type integer: "
                         "\"boolean\"")}},
        KeywordCase{"all_of",
                    "{type: integer, allOf: [{minimum: 1}, {maximum: 5}]}",
                    {1, 5},
                    7,
                    {Err("spec.x", kInvalid,
                         "Invalid value: 7: spec.x in body should be less than or equal to 5"),
                     Err("<nil>", kInvalid,
                         "Invalid value: \"\": \"spec.x\" must validate all the schemas (allOf)")}},
        KeywordCase{"one_of",
                    "{type: integer, oneOf: [{minimum: 10}, {maximum: 0}]}",
                    {20, -1},
                    5,
                    {Err("<nil>", kInvalid,
                         "Invalid value: \"\": \"spec.x\" must validate one and only one schema "
                         "(oneOf). Found none valid"),
                     Err("spec.x", kInvalid,
                         "Invalid value: 5: spec.x in body should be greater than or equal to "
                         "10")}},
        KeywordCase{"one_of_ambiguous",
                    "{type: integer, oneOf: [{minimum: 0}, {maximum: 10}]}",
                    {20},
                    5,
                    {Err("<nil>", kInvalid,
                         "Invalid value: \"\": \"spec.x\" must validate one and only one schema "
                         "(oneOf). Found 2 valid alternatives")}},
        KeywordCase{"not",
                    "{type: string, not: {enum: [forbidden]}}",
                    {"fine"},
                    "forbidden",
                    {Err("<nil>", kInvalid,
                         "Invalid value: \"\": \"spec.x\" must not validate the schema (not)")}},
        KeywordCase{"list_type_set",
                    "{type: array, x-kubernetes-list-type: set, items: {type: string}}",
                    {json::array({"a", "b"})},
                    json::array({"a", "b", "a", "b", "a"}),
                    {Err("spec.x[2]", "FieldValueDuplicate", "Duplicate value: \"a\""),
                     Err("spec.x[3]", "FieldValueDuplicate", "Duplicate value: \"b\"")}},
        KeywordCase{"list_type_map",
                    "{type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name],"
                    " items: {type: object, properties: {name: {type: string}, port: {type: "
                    "integer}}}}",
                    {json::parse(R"([{"name":"a","port":1},{"name":"b","port":1}])")},
                    json::parse(R"([{"name":"a","port":1},{"name":"a","port":2}])"),
                    {Err("spec.x[1]", "FieldValueDuplicate",
                         "Duplicate value: map[string]interface {}{\"name\":\"a\"}")}},
        KeywordCase{"list_type_map_two_keys",
                    "{type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name,"
                    " port], items: {type: object, properties: {name: {type: string}, port: "
                    "{type: integer}}}}",
                    {json::parse(R"([{"name":"a","port":1},{"name":"a","port":2}])")},
                    json::parse(R"([{"name":"a","port":1},{"port":1,"name":"a"}])"),
                    {Err("spec.x[1]", "FieldValueDuplicate",
                         "Duplicate value: map[string]interface {}{\"name\":\"a\", \"port\":1}")}},
        KeywordCase{"list_type_map_items_must_be_objects",
                    "{type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name],"
                    " items: {x-kubernetes-preserve-unknown-fields: true}}",
                    {json::array()},
                    json::array({"a"}),
                    {Err("spec.x[0]", kInvalid,
                         "Invalid value: \"a\": must be an object for an array of list-type map")}},
        KeywordCase{"list_type_atomic_allows_duplicates",
                    "{type: array, x-kubernetes-list-type: atomic, items: {type: string}}",
                    {json::array({"a", "a"})},
                    json::array({1}),
                    {Err("spec.x[0]", kTypeInvalid,
                         "Invalid value: \"integer\": spec.x[0] in body must be of type string: "
                         "\"integer\"")}},
        KeywordCase{"map_type_is_accepted",
                    "{type: object, x-kubernetes-map-type: atomic, properties: {a: {type: "
                    "string}}}",
                    {json{{"a", "b"}}},
                    json{{"a", 1}},
                    {Err("spec.x.a", kTypeInvalid,
                         "Invalid value: \"integer\": spec.x.a in body must be of type string: "
                         "\"integer\"")}},
        KeywordCase{"preserve_unknown_fields",
                    "{type: object, x-kubernetes-preserve-unknown-fields: true}",
                    {json{{"anything", json{{"goes", json::array({1, "x"})}}}}},
                    "scalar",
                    {Err("spec.x", kTypeInvalid,
                         "Invalid value: \"string\": spec.x in body must be of type object: "
                         "\"string\"")}},
        KeywordCase{"embedded_resource",
                    "{type: object, x-kubernetes-embedded-resource: true, "
                    "x-kubernetes-preserve-unknown-fields: true}",
                    {json{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"data", {{"a", "b"}}}}},
                    json{{"data", json::object()}},
                    {Err("spec.x.apiVersion", "FieldValueRequired", "Required value"),
                     Err("spec.x.kind", "FieldValueRequired", "Required value")}},
        KeywordCase{"embedded_resource_type_meta",
                    "{type: object, x-kubernetes-embedded-resource: true, "
                    "x-kubernetes-preserve-unknown-fields: true}",
                    {},
                    json{{"apiVersion", "a/b/c"}, {"kind", ""}},
                    {Err("spec.x.apiVersion", kInvalid,
                         "Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c"),
                     Err("spec.x.kind", "FieldValueRequired", "Required value")}}),
    [](const auto& info) { return info.param.name; });

TEST(StringFormatTest, ValidatesTheFormatsKubernetesValidates) {
  const struct {
    std::string format;
    std::vector<std::string> good;
    std::vector<std::string> bad;
  } cases[] = {
      {"date", {"2024-02-29"}, {"2023-02-29", "2024-13-01", "24-01-01"}},
      {"date-time", {"2024-02-29T23:59:59Z"}, {"2024-02-29T24:00:00Z", "2024-02-29"}},
      {"byte", {"YQ==", "YWI=", "YWJj"}, {"", "YQ", "Y@==", "YWJj\n"}},
      {"uuid",
       {"123e4567-e89b-12d3-a456-426614174000", "123E4567E89B12D3A456426614174000"},
       {"123e4567-e89b-12d3-a456", "g23e4567-e89b-12d3-a456-426614174000"}},
      {"uuid4", {"123e4567-e89b-42d3-a456-426614174000"}, {"123e4567-e89b-12d3-a456-426614174000"}},
      {"ipv4", {"10.0.0.1", "010.0.0.1"}, {"10.0.0.256", "::1", "host"}},
      {"ipv6", {"::1", "2001:db8::1"}, {"10.0.0.1", "2001:db8:::1"}},
      {"cidr", {"10.0.0.0/8", "2001:db8::/32"}, {"10.0.0.0/33", "10.0.0.0"}},
      {"mac", {"01:23:45:67:89:ab", "01-23-45-67-89-ab", "0123.4567.89ab"}, {"01:23:45"}},
      {"hostname", {"example.com", "localhost", "a-b.example.org"}, {"-bad.com", "exa mple.com"}},
      {"email", {"user@example.com", "Jane <jane@example.com>"}, {"user", "@example.com"}},
      {"uri", {"https://example.com/a?b=c", "/relative/path"}, {"example.com", "http://a b"}},
      {"duration", {"5m", "1h30m", "3 days", "0"}, {"five minutes", ""}},
      {"hexcolor", {"#fff", "ABCDEF"}, {"#ffff"}},
      {"isbn10", {"0321751043"}, {"0321751044"}},
      {"isbn13", {"978-0321751041"}, {"978-0321751042"}},
      {"creditcard", {"4111 1111 1111 1111"}, {"4111 1111 1111 1112"}},
      {"ssn", {"123-45-6789"}, {"123456789"}},
      {"password", {"anything at all"}, {}},
      {"float", {"not checked: unknown formats are ignored"}, {}},
  };
  for (const auto& c : cases) {
    const StructuralSchema schema =
        MustCompile(SpecXSchema("{type: string, format: '" + c.format + "'}"));
    for (const std::string& value : c.good) {
      EXPECT_TRUE(schema.Validate(SpecX(value)).empty()) << c.format << " " << value;
    }
    for (const std::string& value : c.bad) {
      const auto errors = schema.Validate(SpecX(value));
      ASSERT_EQ(errors.size(), 1u) << c.format << " " << value;
      EXPECT_EQ(errors[0].reason, "FieldValueTypeInvalid");
      EXPECT_EQ(errors[0].message, "Invalid value: " + nlohmann::json(value).dump() +
                                       ": spec.x in body must be of type " + c.format + ": " +
                                       nlohmann::json(value).dump())
          << c.format << " " << value;
    }
  }
}

TEST(ValidateTest, ReportsEveryViolationInAStableOrder) {
  const StructuralSchema schema = MustCompile(R"(
type: object
required: [spec]
properties:
  spec:
    type: object
    required: [secretName, issuerRef]
    properties:
      secretName: {type: string}
      duration: {type: string}
      issuerRef:
        type: object
        required: [name]
        properties:
          name: {type: string}
      dnsNames: {type: array, items: {type: string}}
)");
  const json object = json::parse(R"({
    "spec": {"duration": 90, "issuerRef": {}, "dnsNames": ["a", 1, true]}
  })");
  const std::vector<std::string> expected = {
      "spec.dnsNames[1]: Invalid value: \"integer\": spec.dnsNames[1] in body must be of type "
      "string: \"integer\"",
      "spec.dnsNames[2]: Invalid value: \"boolean\": spec.dnsNames[2] in body must be of type "
      "string: \"boolean\"",
      "spec.duration: Invalid value: \"integer\": spec.duration in body must be of type string: "
      "\"integer\"",
      "spec.issuerRef.name: Required value",
      "spec.secretName: Required value",
  };
  for (int run = 0; run < 3; ++run) {
    std::vector<std::string> rendered;
    for (const FieldError& error : schema.Validate(object)) rendered.push_back(error.ToString());
    EXPECT_EQ(rendered, expected);
  }
  EXPECT_EQ(schema.Validate(json::object()),
            (std::vector<FieldError>{Err("spec", "FieldValueRequired", "Required value")}));
}

TEST(ValidateTest, IdenticalMessagesAreReportedOnce) {
  // Both allOf branches fail the same way; kube-openapi keeps one copy of each message.
  const StructuralSchema schema =
      MustCompile(SpecXSchema("{type: integer, allOf: [{maximum: 1}, {maximum: 1}]}"));
  EXPECT_EQ(schema.Validate(SpecX(2)).size(), 2u);
}

TEST(ValidateTest, ObjectWithoutSchemaMembersIsNotAnError) {
  // Validation never complains about unknown fields: pruning removes them first.
  const StructuralSchema schema = MustCompile(SpecXSchema("{type: string}"));
  EXPECT_TRUE(schema.Validate(json{{"spec", {{"x", "a"}, {"unknown", 1}}}, {"status", 1}}).empty());
}

}  // namespace
}  // namespace certforge::kube
