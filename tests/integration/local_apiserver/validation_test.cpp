// Validation from the CRD schema as kubectl reports it: 422 Invalid with the field path for a
// wrong type, a missing required field and an enum violation; strict decoding's 400 for an
// unknown field under default `kubectl apply`, a warning or silent pruning otherwise.

#include "tests/integration/local_apiserver/apiserver_test_base.h"

namespace certforge::testing {
namespace {

using nlohmann::json;

class ValidationTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer(); }
  static void TearDownTestSuite() { StopSuiteServer(); }

  // A Certificate with `spec` given inline (flow YAML).
  std::string Manifest(const std::string& name, const std::string& spec) {
    return "apiVersion: cert-manager.io/v1\nkind: Certificate\nmetadata: {name: " + name +
           ", namespace: " + Namespace() + "}\nspec: " + spec + "\n";
  }
};

struct InvalidCase {
  const char* name;
  const char* spec;
  const char* field;
  const char* cause_reason;
  const char* message;  // what kubectl prints after `The Certificate "<name>" is invalid: `
};

TEST_F(ValidationTest, SchemaViolationsAre422WithTheFieldPath) {
  const InvalidCase cases[] = {
      {"wrong-type", "{secretName: s, issuerRef: {name: i}, duration: 5}", "spec.duration",
       "FieldValueTypeInvalid",
       "spec.duration: Invalid value: \"integer\": spec.duration in body must be of type "
       "string: \"integer\""},
      {"wrong-type-list", "{secretName: s, issuerRef: {name: i}, dnsNames: a.example.com}",
       "spec.dnsNames", "FieldValueTypeInvalid",
       "spec.dnsNames: Invalid value: \"string\": spec.dnsNames in body must be of type array: "
       "\"string\""},
      {"missing", "{issuerRef: {name: i}}", "spec.secretName", "FieldValueRequired",
       "spec.secretName: Required value"},
      {"missing-nested", "{secretName: s, issuerRef: {kind: Issuer}}", "spec.issuerRef.name",
       "FieldValueRequired", "spec.issuerRef.name: Required value"},
      {"bad-enum", "{secretName: s, issuerRef: {name: i}, privateKey: {algorithm: DSA}}",
       "spec.privateKey.algorithm", "FieldValueNotSupported",
       "spec.privateKey.algorithm: Unsupported value: \"DSA\": supported values: \"RSA\", "
       "\"ECDSA\", \"Ed25519\""},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    CommandResult r = Kubectl({"apply", "-f", "-"}, Manifest(c.name, c.spec));
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_EQ(r.err,
              "The Certificate \"" + std::string(c.name) + "\" is invalid: " + c.message + "\n");
    EXPECT_EQ(Kubectl(InNs({"get", "certificate", c.name})).exit_code, 1) << "was stored";

    // The Status behind it: 422 Invalid, the Kind in details, one cause naming the field.
    json body = YamlToJson(Manifest(c.name, c.spec));
    auto http = Http("POST", "/apis/cert-manager.io/v1/namespaces/" + Namespace() + "/certificates",
                     body.dump());
    EXPECT_EQ(http.code, 422) << http.body;
    json status = json::parse(http.body, nullptr, false);
    EXPECT_EQ(status.value("reason", ""), "Invalid");
    EXPECT_EQ(status["details"]["kind"], "Certificate");
    EXPECT_EQ(status["details"]["group"], "cert-manager.io");
    EXPECT_EQ(status["details"]["name"], c.name);
    ASSERT_EQ(status["details"]["causes"].size(), 1u) << http.body;
    EXPECT_EQ(status["details"]["causes"][0]["field"], c.field);
    EXPECT_EQ(status["details"]["causes"][0]["reason"], c.cause_reason);
  }
}

TEST_F(ValidationTest, SeveralViolationsAreListedTogether) {
  CommandResult r = Kubectl(
      {"apply", "-f", "-"},
      Manifest("many", "{issuerRef: {name: i}, privateKey: {algorithm: DSA}, duration: 5}"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.err.rfind("The Certificate \"many\" is invalid: \n", 0), 0u) << r.err;
  for (const char* line :
       {"* spec.secretName: Required value\n",
        "* spec.duration: Invalid value: \"integer\": spec.duration in body must be of type "
        "string: \"integer\"\n",
        "* spec.privateKey.algorithm: Unsupported value: \"DSA\": supported values: \"RSA\", "
        "\"ECDSA\", \"Ed25519\"\n"}) {
    EXPECT_NE(r.err.find(line), std::string::npos) << line << "\n" << r.err;
  }
}

TEST_F(ValidationTest, UnknownFieldsFollowFieldValidation) {
  const std::string spec = "{secretName: s, issuerRef: {name: i}, foo: bar}";
  // Default kubectl apply asks for Strict: refused, nothing stored.
  CommandResult strict = Kubectl({"apply", "-f", "-"}, Manifest("strict", spec));
  EXPECT_EQ(strict.exit_code, 1);
  EXPECT_EQ(strict.err,
            "Error from server (BadRequest): error when creating \"STDIN\": strict decoding "
            "error: unknown field \"spec.foo\"\n");
  EXPECT_EQ(Kubectl(InNs({"get", "certificate", "strict"})).exit_code, 1);

  // Warn: stored without the field, and kubectl shows the server's warning.
  CommandResult warn = Kubectl({"apply", "--validate=warn", "-f", "-"}, Manifest("warn", spec));
  EXPECT_EQ(warn.exit_code, 0) << warn.Describe();
  EXPECT_EQ(warn.err, "Warning: unknown field \"spec.foo\"\n");
  EXPECT_EQ(GetJson(InNs({"certificate", "warn"}))["spec"],
            (json{{"secretName", "s"}, {"issuerRef", {{"name", "i"}}}}));

  // Ignore: pruned silently.
  CommandResult ignore =
      Kubectl({"apply", "--validate=false", "-f", "-"}, Manifest("ignore", spec));
  EXPECT_EQ(ignore.exit_code, 0) << ignore.Describe();
  EXPECT_EQ(ignore.err, "");
  EXPECT_FALSE(GetJson(InNs({"certificate", "ignore"}))["spec"].contains("foo"));

  // A nested unknown field is named by its whole path.
  CommandResult nested =
      Kubectl({"apply", "-f", "-"},
              Manifest("nested", "{secretName: s, issuerRef: {name: i, colour: blue}}"));
  EXPECT_EQ(nested.exit_code, 1);
  EXPECT_EQ(nested.err,
            "Error from server (BadRequest): error when creating \"STDIN\": strict decoding "
            "error: unknown field \"spec.issuerRef.colour\"\n");
}

TEST_F(ValidationTest, ClientSideApplyAnnotationHasTheRealSizeLimit) {
  // 300 KB of data is a fine ConfigMap, but client-side apply copies it into the
  // last-applied-configuration annotation, and annotations are limited to 256 KiB in total.
  std::string big =
      "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: " + Namespace() +
      "}\ndata: {blob: " + std::string(300 * 1024, 'x') + "}\n";
  CommandResult applied = Kubectl({"apply", "-f", "-"}, big);
  EXPECT_EQ(applied.exit_code, 1);
  EXPECT_EQ(
      applied.err.rfind("The ConfigMap \"big\" is invalid: metadata.annotations: Too long: ", 0),
      0u)
      << applied.err;
  EXPECT_NE(applied.err.find("262144 bytes"), std::string::npos) << applied.err;
  EXPECT_EQ(KubectlOk({"create", "-f", "-"}, big), "configmap/big created\n");
}

}  // namespace
}  // namespace certforge::testing
