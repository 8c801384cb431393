#include "lib/kube/merge_patch.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using nlohmann::json;

struct MergeCase {
  std::string target;
  std::string patch;
  std::string result;
};

// RFC 7386 Appendix A, every row.
TEST(ApplyMergePatch, Rfc7386AppendixA) {
  const std::vector<MergeCase> cases = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", R"(null)", R"(null)"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.target + " + " + c.patch);
    EXPECT_EQ(ApplyMergePatch(json::parse(c.target), json::parse(c.patch)), json::parse(c.result));
  }
}

// RFC 7386 section 3's worked example.
TEST(ApplyMergePatch, Rfc7386Section3Example) {
  json target = json::parse(R"({
    "title": "Goodbye!",
    "author": {"givenName": "John", "familyName": "Doe"},
    "tags": ["example", "sample"],
    "content": "This will be unchanged"})");
  json patch = json::parse(R"({
    "title": "Hello!",
    "phoneNumber": "+01-123-456-7890",
    "author": {"familyName": null},
    "tags": ["example"]})");
  json expected = json::parse(R"({
    "title": "Hello!",
    "author": {"givenName": "John"},
    "tags": ["example"],
    "content": "This will be unchanged",
    "phoneNumber": "+01-123-456-7890"})");
  EXPECT_EQ(ApplyMergePatch(target, patch), expected);
}

// The bodies kubectl sends (kube-api-surface.md §5.1 and §5.10).
TEST(ApplyMergePatch, KubectlBodies) {
  json cert = json::parse(R"({
    "apiVersion": "cert-manager.io/v1", "kind": "Certificate",
    "metadata": {"name": "web-cert", "namespace": "default", "labels": {"app": "web"},
                 "annotations": {"kubectl.kubernetes.io/last-applied-configuration": "old"}},
    "spec": {"secretName": "web-cert-tls", "dnsNames": ["web.example.com"],
             "issuerRef": {"name": "selfsigned", "kind": "ClusterIssuer"}}})");
  json applied = ApplyMergePatch(cert, json::parse(R"({
    "metadata": {"annotations": {"kubectl.kubernetes.io/last-applied-configuration": "new"}},
    "spec": {"dnsNames": ["web.example.com", "www.example.com"]}})"));
  EXPECT_EQ(applied["spec"]["dnsNames"], json::parse(R"(["web.example.com","www.example.com"])"));
  EXPECT_EQ(applied["spec"]["issuerRef"]["name"], "selfsigned");
  EXPECT_EQ(applied["metadata"]["annotations"]["kubectl.kubernetes.io/last-applied-configuration"],
            "new");
  EXPECT_EQ(applied["metadata"]["labels"], json::parse(R"({"app":"web"})"));

  json labelled = ApplyMergePatch(cert, json::parse(R"({"metadata":{"labels":{"team":"x"}}})"));
  EXPECT_EQ(labelled["metadata"]["labels"], json::parse(R"({"app":"web","team":"x"})"));
  json unlabelled = ApplyMergePatch(cert, json::parse(R"({"metadata":{"labels":{"app":null}}})"));
  EXPECT_EQ(unlabelled["metadata"]["labels"], json::object());
}

TEST(ApplyMergePatch, LeavesInputsUntouched) {
  const json target = json::parse(R"({"a":{"b":1}})");
  const json patch = json::parse(R"({"a":{"b":null}})");
  json result = ApplyMergePatch(target, patch);
  EXPECT_EQ(result, json::parse(R"({"a":{}})"));
  EXPECT_EQ(target, json::parse(R"({"a":{"b":1}})"));
}

struct DiffCase {
  std::string from;
  std::string to;
  std::string patch;  // the minimal patch expected
};

TEST(CreateMergePatch, ProducesMinimalPatchesThatApply) {
  const std::vector<DiffCase> cases = {
      {R"({"a":1})", R"({"a":1})", R"({})"},
      {R"({"a":1})", R"({"a":2})", R"({"a":2})"},
      {R"({"a":1,"b":2})", R"({"b":2})", R"({"a":null})"},
      {R"({"a":1})", R"({"a":1,"c":{"d":true}})", R"({"c":{"d":true}})"},
      {R"({"m":{"x":1,"y":2,"z":3}})", R"({"m":{"x":1,"y":5}})", R"({"m":{"y":5,"z":null}})"},
      {R"({"l":[1,2,3]})", R"({"l":[1,2]})", R"({"l":[1,2]})"},
      {R"({"o":{"k":"v"}})", R"({"o":"scalar"})", R"({"o":"scalar"})"},
      {R"({"o":"scalar"})", R"({"o":{"k":"v"}})", R"({"o":{"k":"v"}})"},
      {R"({"a":1})", R"([1,2])", R"([1,2])"},
      {R"("x")", R"({"a":1})", R"({"a":1})"},
      {R"({"n":1})", R"({"n":1.0})", R"({})"},
      {R"({"spec":{"dnsNames":["a"],"secretName":"s"},"metadata":{"labels":{"app":"web"}}})",
       R"({"spec":{"dnsNames":["a","b"],"secretName":"s"},"metadata":{"labels":{}}})",
       R"({"spec":{"dnsNames":["a","b"]},"metadata":{"labels":{"app":null}}})"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.from + " -> " + c.to);
    json from = json::parse(c.from);
    json to = json::parse(c.to);
    json patch = CreateMergePatch(from, to);
    EXPECT_EQ(patch, json::parse(c.patch));
    EXPECT_EQ(ApplyMergePatch(from, patch), to);
  }
}

}  // namespace
}  // namespace certforge::kube
