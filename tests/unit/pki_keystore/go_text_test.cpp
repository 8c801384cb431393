// Go-compatible text helpers behind the keystores: the truststore.p12 friendlyName (Go's
// pkix.Name.String) and Go's UTF-8 decoding of passwords; and the profile names.

#include <gtest/gtest.h>
#include <openssl/x509.h>

#include <string>
#include <utility>
#include <vector>

#include "lib/pki/go_name_string.h"
#include "lib/pki/go_utf8.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/pkcs12_keystore.h"

namespace certforge::pki {
namespace {

using Entry = std::pair<std::string, std::string>;  // attribute (short name or OID), value

X509NamePtr MakeName(const std::vector<Entry>& entries, int string_type = MBSTRING_UTF8) {
  X509NamePtr name(X509_NAME_new());
  for (const auto& [field, value] : entries) {
    // OpenSSL's size rules refuse an empty value unless the string type is given as is.
    int type = value.empty() ? V_ASN1_UTF8STRING : string_type;
    EXPECT_EQ(X509_NAME_add_entry_by_txt(name.get(), field.c_str(), type,
                                         reinterpret_cast<const unsigned char*>(value.data()),
                                         static_cast<int>(value.size()), -1, 0),
              1)
        << field;
  }
  return name;
}

struct NameCase {
  const char* label;
  std::vector<Entry> entries;  // in encoding order
  std::string expected;
};

TEST(GoNameStringTest, MatchesGoPkixNameString) {
  const std::vector<NameCase> cases = {
      {"empty", {}, ""},
      {"reversed", {{"C", "US"}, {"O", "Example"}, {"CN", "app"}}, "CN=app,O=Example,C=US"},
      {"Go's fixed order, not the encoding's",
       {{"CN", "app"}, {"O", "Example"}, {"L", "Paris"}, {"C", "FR"}},
       "CN=app,O=Example,L=Paris,C=FR"},
      {"all known",
       {{"C", "US"},
        {"ST", "CA"},
        {"L", "SF"},
        {"street", "1 Main St"},
        {"postalCode", "94000"},
        {"O", "Org"},
        {"OU", "Unit"},
        {"CN", "name"},
        {"serialNumber", "42"}},
       "SERIALNUMBER=42,CN=name,OU=Unit,O=Org,POSTALCODE=94000,STREET=1 Main St,L=SF,ST=CA,C=US"},
      {"repeated values share one RDN", {{"OU", "a"}, {"OU", "b"}, {"CN", "x"}}, "CN=x,OU=a+OU=b"},
      {"the last CN wins", {{"CN", "first"}, {"CN", "second"}}, "CN=second"},
      {"special characters", {{"CN", "a,b+c\"d\\e<f>g;h"}}, "CN=a\\,b\\+c\\\"d\\\\e\\<f\\>g\\;h"},
      {"leading and trailing spaces", {{"CN", " both "}}, "CN=\\ both\\ "},
      {"inner spaces", {{"CN", "a b"}}, "CN=a b"},
      {"leading hash only", {{"CN", "#a#"}}, "CN=\\#a#"},
      {"empty organization stays", {{"O", ""}, {"CN", "x"}}, "CN=x,O="},
      {"unknown attributes go last, as hex of a re-marshalled string",
       {{"emailAddress", "a@b.c"}, {"CN", "x"}, {"DC", "com"}},
       "CN=x,0.9.2342.19200300.100.1.25=#1303636f6d,1.2.840.113549.1.9.1=#0c056140622e63"},
      {"UTF-8", {{"CN", "caf\xC3\xA9"}}, "CN=caf\xC3\xA9"},
  };
  for (const NameCase& c : cases) {
    X509NamePtr name = MakeName(c.entries);
    EXPECT_EQ(GoNameString(name.get()), c.expected) << c.label;
  }
}

TEST(GoNameStringTest, DecodesBmpStrings) {
  X509NamePtr name(X509_NAME_new());
  const std::string bmp(
      "\x00"
      "c\x00"
      "a\x00"
      "f\x00\xE9",
      8);
  ASSERT_EQ(X509_NAME_add_entry_by_txt(name.get(), "CN", V_ASN1_BMPSTRING,
                                       reinterpret_cast<const unsigned char*>(bmp.data()),
                                       static_cast<int>(bmp.size()), -1, 0),
            1);
  EXPECT_EQ(GoNameString(name.get()), "CN=caf\xC3\xA9");
}

TEST(GoUtf8Test, InvalidBytesBecomeReplacementCharacters) {
  const std::string kFffd = "\xEF\xBF\xBD";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", ""},
      {"plain", "plain"},
      {"caf\xC3\xA9", "caf\xC3\xA9"},
      {"\xF0\x9F\x98\x80", "\xF0\x9F\x98\x80"},  // valid, outside the BMP
      {"\xFF", kFffd},
      {"a\xE2\x82", "a" + kFffd + kFffd},                   // truncated
      {"\xC0\xAF", kFffd + kFffd},                          // overlong
      {"\xED\xA0\x80", kFffd + kFffd + kFffd},              // surrogate
      {"\xF4\x90\x80\x80", kFffd + kFffd + kFffd + kFffd},  // above U+10FFFF
  };
  for (const auto& [in, expected] : cases) {
    EXPECT_EQ(GoSanitizedUtf8(in), expected) << testing::PrintToString(in);
  }
}

TEST(GoUtf8Test, RunesCarryByteOffsets) {
  std::vector<GoRune> runes = GoRunes("a\xC3\xA9z");
  ASSERT_EQ(runes.size(), 3u);
  EXPECT_EQ(runes[1].offset, 1u);
  EXPECT_EQ(runes[1].code, U'\u00E9');
  EXPECT_EQ(runes[2].offset, 3u);
}

TEST(Pkcs12ProfileTest, ParsesCertManagerSpellings) {
  const std::vector<std::pair<std::string, Pkcs12Profile>> cases = {
      {"", Pkcs12Profile::kLegacyRC2},
      {"LegacyRC2", Pkcs12Profile::kLegacyRC2},
      {"LegacyDES", Pkcs12Profile::kLegacyDES},
      {"Modern2023", Pkcs12Profile::kModern2023},
      {"Modern2026", Pkcs12Profile::kModern2026},
  };
  for (const auto& [name, profile] : cases) {
    absl::StatusOr<Pkcs12Profile> parsed = ParsePkcs12Profile(name);
    ASSERT_TRUE(parsed.ok()) << name << ": " << parsed.status();
    EXPECT_EQ(*parsed, profile) << name;
    if (!name.empty()) {
      EXPECT_EQ(Pkcs12ProfileName(profile), name);
    }
  }
  for (const char* bad : {"legacyrc2", "Modern", "Modern2024", "LegacyRC2 "}) {
    absl::StatusOr<Pkcs12Profile> parsed = ParsePkcs12Profile(bad);
    EXPECT_EQ(parsed.status().code(), absl::StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace certforge::pki
