// The CertificateRequest's copied annotations (--copied-annotation-prefixes, cert-manager's
// BuildAnnotationsToCopy) and its stable name (StableCertificateRequestName, on by default).

#include "services/controller/request_manager.h"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <string>
#include <vector>

#include "services/controller/controller_context.h"
#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using test::json;

struct CopyCase {
  std::string name;
  json annotations;
  std::vector<std::string> prefixes;
  json expected;
};

TEST(CopiedAnnotations, Table) {
  const json some = {
      {"foo", "bar"}, {"foo.io/thing", "bar"}, {"foo.io/anotherthing", "bat"}, {"bar", "bat"}};
  const std::vector<CopyCase> cases = {
      {"no prefixes: nothing", some, {}, json::object()},
      {"all", some, {"*"}, some},
      {"all but a prefix", some, {"*", "-foo.io/"}, {{"foo", "bar"}, {"bar", "bat"}}},
      {"exclusion listed first", some, {"-foo.io/", "*"}, {{"foo", "bar"}, {"bar", "bat"}}},
      {"only a prefix",
       some,
       {"foo.io/"},
       {{"foo.io/thing", "bar"}, {"foo.io/anotherthing", "bat"}}},
      {"a prefix minus a narrower one",
       some,
       {"foo.io/", "-foo.io/another"},
       {{"foo.io/thing", "bar"}}},
      {"prefixes, none present", json::object(), {"*", "-foo.io/"}, json::object()},
      {"prefix matches from the start only", {{"x.foo.io/a", "1"}}, {"foo.io/"}, json::object()},
      {"not an object", "junk", {"*"}, json::object()},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(CopiedAnnotations(c.annotations, c.prefixes), c.expected);
  }
}

TEST(CopiedAnnotations, DefaultPrefixesLeaveToolAnnotationsBehind) {
  const json annotations = {
      {"kubectl.kubernetes.io/last-applied-configuration", "{}"},
      {"fluxcd.io/sync-checksum", "abc"},
      {"argocd.argoproj.io/sync-wave", "1"},
      {"team.example.com/owner", "web"},
      {"cert-manager.io/issue-temporary-certificate", "true"},
  };
  EXPECT_EQ(CopiedAnnotations(annotations, ControllerOptions{}.copied_annotation_prefixes),
            json({{"team.example.com/owner", "web"},
                  {"cert-manager.io/issue-temporary-certificate", "true"}}));
}

std::string Sha256Hex(const std::string& text) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(text.data()), text.size(), digest);
  static const char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

TEST(RequestName, CertificateNameAndRevision) {
  const std::string n52(52, 'a');
  const std::string n60 = std::string(50, 'b') + "-" + std::string(9, 'c');
  const std::string n233 = std::string(116, 'd') + "." + std::string(116, 'e');
  const std::vector<std::tuple<std::string, int, std::string>> cases = {
      {"web", 1, "web-1"},
      {"web", 1234567, "web-1234567"},
      {"my.cert", 2, "my.cert-2"},
      {n52, 3, n52 + "-3"},
      // Names are not shortened to 52 characters (only generateName was, before the gate).
      {n60, 4, n60 + "-4"},
      {n233, 5, n233 + "-5"},
  };
  for (const auto& [name, revision, expected] : cases) {
    EXPECT_EQ(RequestName(name, revision), expected) << name;
  }
}

TEST(RequestName, LongNamesAreHashed) {
  // Over 233 characters: the first 168 (cut back to a letter or digit), "-", the SHA-256 of
  // the whole name in hex, "-", the revision.
  const std::string plain = std::string(200, 'a') + std::string(34, 'b');
  EXPECT_EQ(RequestName(plain, 1), std::string(168, 'a') + "-" + Sha256Hex(plain) + "-1");

  const std::string cut = std::string(166, 'x') + ".-" + std::string(80, 'y');
  ASSERT_EQ(cut.substr(166, 2), ".-");
  EXPECT_EQ(RequestName(cut, 7), std::string(166, 'x') + "-" + Sha256Hex(cut) + "-7");

  for (const auto& name : {plain, cut, std::string(253, 'z')}) {
    EXPECT_LE(RequestName(name, 1234567890).size(), 253u) << name.size();
  }
}

}  // namespace
}  // namespace certforge::controller
