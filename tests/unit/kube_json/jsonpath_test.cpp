#include "lib/kube/jsonpath.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

const json& Certificate() {
  static const json cert = json::parse(R"({
    "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
    "metadata": {"name": "web-cert", "namespace": "default",
                 "creationTimestamp": "2026-11-27T19:42:09Z",
                 "labels": {"app": "web", "app.kubernetes.io/name": "web"}},
    "spec": {"secretName": "web-cert-tls",
             "dnsNames": ["a.example.com", "b.example.com", "c.example.com", "d.example.com"],
             "issuerRef": {"name": "selfsigned", "kind": "ClusterIssuer",
                           "group": "cert-manager.io"}},
    "status": {"conditions": [
                 {"type": "Issuing", "status": "False", "reason": "Done", "observedGeneration": 1},
                 {"type": "Ready", "status": "True", "observedGeneration": 2,
                  "message": "Certificate is up to date and has not expired"}],
               "revision": 2, "notAfter": "2027-02-25T19:42:09Z"}})");
  return cert;
}

struct PathCase {
  std::string expression;
  std::string results;  // JSON array of every match
};

void RunCases(const std::vector<PathCase>& cases, const json& root) {
  for (const auto& c : cases) {
    SCOPED_TRACE(c.expression);
    auto path = JsonPath::Parse(c.expression);
    ASSERT_TRUE(path.ok()) << path.status();
    EXPECT_EQ(json(path->Evaluate(root)), json::parse(c.results));
  }
}

// cert-manager's additionalPrinterColumns and kubectl -o jsonpath expressions.
TEST(JsonPath, CertManagerPrinterColumns) {
  RunCases(
      {
          {R"(.status.conditions[?(@.type=="Ready")].status)", R"(["True"])"},
          {R"(.status.conditions[?(@.type=="Ready")].message)",
           R"(["Certificate is up to date and has not expired"])"},
          {".spec.secretName", R"(["web-cert-tls"])"},
          {".metadata.creationTimestamp", R"(["2026-11-27T19:42:09Z"])"},
          {".spec.issuerRef.name", R"(["selfsigned"])"},
          {R"({.status.conditions[?(@.type=='Ready')].status})", R"(["True"])"},
          {"{.metadata.name}", R"(["web-cert"])"},
          {"  { .spec.secretName }  ", R"(["web-cert-tls"])"},
          {"$.spec.issuerRef.kind", R"(["ClusterIssuer"])"},
          {"{$.status.revision}", "[2]"},
      },
      Certificate());
}

TEST(JsonPath, FieldsIndexesAndSlices) {
  RunCases(
      {
          {".metadata.labels['app.kubernetes.io/name']", R"(["web"])"},
          {R"(.metadata.labels["app.kubernetes.io/name"])", R"(["web"])"},
          {R"(.metadata.labels.app\.kubernetes\.io/name)", R"(["web"])"},
          {"['spec']['secretName']", R"(["web-cert-tls"])"},
          {".spec.issuerRef['name','kind']", R"(["selfsigned","ClusterIssuer"])"},
          {".spec.dnsNames[0]", R"(["a.example.com"])"},
          {".spec.dnsNames[3]", R"(["d.example.com"])"},
          {".spec.dnsNames[-1]", R"(["d.example.com"])"},
          {".spec.dnsNames[-4]", R"(["a.example.com"])"},
          {".spec.dnsNames[4]", "[]"},
          {".spec.dnsNames[-5]", "[]"},
          {".spec.dnsNames[0:2]", R"(["a.example.com","b.example.com"])"},
          {".spec.dnsNames[2:]", R"(["c.example.com","d.example.com"])"},
          {".spec.dnsNames[:1]", R"(["a.example.com"])"},
          {".spec.dnsNames[-2:]", R"(["c.example.com","d.example.com"])"},
          {".spec.dnsNames[::2]", R"(["a.example.com","c.example.com"])"},
          {".spec.dnsNames[1:10:2]", R"(["b.example.com","d.example.com"])"},
          {".spec.dnsNames[3:1]", "[]"},
          {".spec.dnsNames[*]",
           R"(["a.example.com","b.example.com","c.example.com","d.example.com"])"},
          {".spec.dnsNames.*",
           R"(["a.example.com","b.example.com","c.example.com","d.example.com"])"},
          {".spec.issuerRef.*", R"(["cert-manager.io","ClusterIssuer","selfsigned"])"},
          {".spec.issuerRef[*]", R"(["cert-manager.io","ClusterIssuer","selfsigned"])"},
          {".status.conditions[*].type", R"(["Issuing","Ready"])"},
          {".status.conditions[1].observedGeneration", "[2]"},
          {".spec.missing", "[]"},
          {".spec.secretName.deeper", "[]"},
          {".spec.secretName[0]", "[]"},
          {".spec.issuerRef[0]", "[]"},
          {".spec.dnsNames.length", "[]"},
      },
      Certificate());
}

TEST(JsonPath, RootAndRecursiveDescent) {
  const json doc = json::parse(R"({"a":{"name":"x","b":[{"name":"y"},{"c":{"name":"z"}}]},
                                   "name":"top"})");
  RunCases(
      {
          {"{.}", json::array({doc}).dump()},
          {"$", json::array({doc}).dump()},
          {"..name", R"(["top","x","y","z"])"},
          {"$..name", R"(["top","x","y","z"])"},
          {".a..name", R"(["x","y","z"])"},
          {"..b[1].c.name", R"(["z"])"},
          {"..[0].name", R"(["y"])"},
          {".a.b..*", R"([{"name":"y"},{"c":{"name":"z"}},"y",{"name":"z"},"z"])"},
      },
      doc);
}

TEST(JsonPath, Filters) {
  const json list = json::parse(R"({"items": [
    {"metadata": {"name": "a", "labels": {"tier": "fe"}}, "n": 1, "ratio": 0.5, "ready": true,
     "status": {"phase": "Running"}},
    {"metadata": {"name": "b"}, "n": 2, "ratio": 1.5, "ready": false,
     "status": {"phase": "Pending"}},
    {"metadata": {"name": "c", "labels": {"tier": "be"}}, "n": 3, "ratio": 2,
     "status": {"phase": "Running"}, "note": null}]})");
  RunCases(
      {
          {".items[*].metadata.name", R"(["a","b","c"])"},
          {R"(.items[?(@.status.phase=="Running")].metadata.name)", R"(["a","c"])"},
          {R"(.items[?(@.status.phase!="Running")].metadata.name)", R"(["b"])"},
          {R"(.items[?( @.status.phase == 'Pending' )].metadata.name)", R"(["b"])"},
          {".items[?(@.n>1)].metadata.name", R"(["b","c"])"},
          {".items[?(@.n>=2)].metadata.name", R"(["b","c"])"},
          {".items[?(@.n<2)].metadata.name", R"(["a"])"},
          {".items[?(@.n<=2)].metadata.name", R"(["a","b"])"},
          {".items[?(@.n==3)].metadata.name", R"(["c"])"},
          {".items[?(@.n!=3)].metadata.name", R"(["a","b"])"},
          {".items[?(@.ratio>1)].metadata.name", R"(["b","c"])"},
          {".items[?(@.ratio==2.0)].metadata.name", R"(["c"])"},
          {".items[?(@.n>-1)].metadata.name", R"(["a","b","c"])"},
          {".items[?(@.n<1.5)].metadata.name", R"(["a"])"},
          {R"(.items[?(@.metadata.name<"b")].metadata.name)", R"(["a"])"},
          {R"(.items[?(@.metadata.name>="b")].metadata.name)", R"(["b","c"])"},
          {".items[?(@.ready==true)].metadata.name", R"(["a"])"},
          {".items[?(@.ready!=true)].metadata.name", R"(["b"])"},
          {".items[?(@.metadata.labels)].metadata.name", R"(["a","c"])"},
          {".items[?(@.metadata.labels.tier)].metadata.labels.tier", R"(["fe","be"])"},
          {".items[?(@.note)].metadata.name", R"(["c"])"},
          {".items[?(@.missing)].metadata.name", "[]"},
          {".items[?(@.n==@.ratio)].metadata.name", "[]"},
          {".items[?(@.ratio>@.n)].metadata.name", "[]"},
          {".items[?(@.ratio<@.n)].metadata.name", R"(["a","b","c"])"},
          {R"(.items[?(@.metadata.name==$.items[1].metadata.name)].n)", "[2]"},
          // Incomparable operands never match.
          {R"(.items[?(@.n=="1")].metadata.name)", "[]"},
          {R"(.items[?(@.n!="1")].metadata.name)", "[]"},
          {".items[?(@.ready>false)].metadata.name", "[]"},
          {".items[?(@.metadata.labels==1)].metadata.name", "[]"},
          // Filters apply to arrays only.
          {R"(.items[0][?(@=="a")])", "[]"},
          {R"(.items[0].metadata.labels[?(@=="fe")])", "[]"},
          {R"(.items[*].metadata.name[?(@=="a")])", "[]"},
      },
      list);
  RunCases({{R"([?(@=="b")])", R"(["b"])"}, {"[?(@>1)]", "[2,3]"}},
           json::parse(R"(["a","b",1,2,3])"));
}

TEST(JsonPath, ParseErrors) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "empty"},
      {"{}", "empty"},
      {"status", "unexpected 's'"},
      {".status[", "missing ']'"},
      {".a[abc]", "invalid array index"},
      {".a[]", "empty array index"},
      {".a[1:2:0]", "step must be > 0"},
      {".a[1:2:-1]", "step must be > 0"},
      {".a[1:2:3:4]", "invalid array index"},
      {".a[*", "expected ']'"},
      {".a['x'", "expected ']'"},
      {".a['x", "unterminated"},
      {R"(.a[?(@.x=="y")])", ""},
      {".a[?(@.x==\"y\")\"", "expected ']'"},
      {R"(.a[?(@.x=="y"])", "expected ')'"},
      {R"(.a[?(@.x="y")])", "comparison operator"},
      {R"(.a[?(@.x==)])", "expected @path"},
      {R"(.a[?(@.x=="y)])", "unterminated"},
      {R"(.a[?("x")])", "needs an @ or $ path"},
      {".a[?@.x]", "expected '('"},
      {R"(.a[?(@.x==1.2.3)])", "invalid number"},
      {".a..", "field name"},
      {".a.", "field name"},
      {"..", "field name"},
      {".a b", "unexpected 'b'"},
      {"{.a}{.b}", "single expression"},
      {"{range .items[*]}{.metadata.name}{end}", "single expression"},
      {"name: {.metadata.name}", "single expression"},
      {"{.a", "unclosed"},
  };
  for (const auto& [expression, part] : cases) {
    SCOPED_TRACE(expression);
    auto path = JsonPath::Parse(expression);
    if (part.empty()) {
      EXPECT_TRUE(path.ok()) << path.status();
      continue;
    }
    ASSERT_FALSE(path.ok());
    EXPECT_EQ(path.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(path.status().message()), HasSubstr(part));
  }
}

}  // namespace
}  // namespace certforge::kube
