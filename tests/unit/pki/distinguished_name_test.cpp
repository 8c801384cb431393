#include "lib/pki/distinguished_name.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/objects.h>

#include <string>
#include <vector>

#include "lib/pki/address_syntax.h"

namespace certforge::pki {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

// "oid=value" per attribute, "+" inside an RDN, "," between RDNs, in encoding order.
std::string Flatten(const RdnSequence& rdns) {
  std::string out;
  for (const RelativeDistinguishedName& rdn : rdns) {
    if (!out.empty()) out += ",";
    for (size_t i = 0; i < rdn.size(); ++i) {
      if (i > 0) out += "+";
      out += (rdn[i].oid.empty() ? "?" + rdn[i].type : rdn[i].oid) + "=" + rdn[i].value;
    }
  }
  return out;
}

struct LiteralCase {
  const char* literal;
  const char* want;  // Flatten() of the parsed sequence
};

TEST(ParseLiteralSubject, KeepsOrderReversedAsRfc4514Says) {
  const LiteralCase cases[] = {
      {"CN=foo,DC=corp,DC=example,DC=com",
       "0.9.2342.19200300.100.1.25=com,0.9.2342.19200300.100.1.25=example,"
       "0.9.2342.19200300.100.1.25=corp,2.5.4.3=foo"},
      {"CN=a+O=b,OU=c", "2.5.4.11=c,2.5.4.3=a+2.5.4.10=b"},
      {"UID=jdoe,1.2.3=foo", "1.2.3=foo,0.9.2342.19200300.100.1.1=jdoe"},
      {"SERIALNUMBER=1,STREET=s,ST=p,L=l,C=DE",
       "2.5.4.6=DE,2.5.4.7=l,2.5.4.8=p,2.5.4.9=s,2.5.4.5=1"},
      {"CN=a\\,b", "2.5.4.3=a,b"},
      {"CN=a\\2cb", "2.5.4.3=a,b"},
      {"CN=\\ lead and trail\\ ", "2.5.4.3= lead and trail "},
      {"  CN =  spaced  ", "2.5.4.3=spaced"},
      {"CN=x;O=y", "2.5.4.10=y,2.5.4.3=x"},
      {"CN=a=b", "2.5.4.3=a=b"},
      {"CN=#0c03666f6f", "2.5.4.3=foo"},  // '#' + BER of UTF8String "foo"
      {"cn=lower", "?cn=lower"},          // types are case-sensitive in cert-manager
      {"C=US+123.544.555= A Test Value ,O=Corp.",
       "2.5.4.10=Corp.,2.5.4.6=US+123.544.555=A Test Value"},
      {"", ""},
  };
  for (const LiteralCase& c : cases) {
    absl::StatusOr<RdnSequence> rdns = ParseLiteralSubject(c.literal);
    ASSERT_TRUE(rdns.ok()) << c.literal << ": " << rdns.status();
    EXPECT_EQ(Flatten(*rdns), c.want) << c.literal;
  }
}

TEST(ParseLiteralSubject, RejectsMalformedStrings) {
  const std::pair<const char*, const char*> cases[] = {
      {"CN=a,O", "DN ended with incomplete type, value pair"},
      {"CN", "DN ended with incomplete type, value pair"},
      {"CN=a,,O=b", "incomplete type, value pair"},
      {"CN=a\"b", "got unescaped character: '\"'"},
      {"CN=a\\", "got corrupted escaped character: 'a\\'"},
      {"CN=a\\zz", "failed to decode escaped character: encoding/hex: invalid byte: U+007A 'z'"},
      {"CN=#0c01660000", "failed to decode BER encoding: trailing bytes after value"},
      {"CN=#0c0366", "failed to decode BER encoding: unexpected EOF"},
  };
  for (const auto& [literal, message] : cases) {
    absl::StatusOr<RdnSequence> rdns = ParseLiteralSubject(literal);
    ASSERT_FALSE(rdns.ok()) << literal;
    EXPECT_EQ(rdns.status().message(), message) << literal;
  }
}

TEST(SubjectRdnSequence, FollowsGoPkixNameOrder) {
  X509Subject subject;
  subject.organizations = {"O1", "O2"};
  subject.countries = {"DE"};
  subject.organizational_units = {"U"};
  subject.localities = {"L"};
  subject.provinces = {"P"};
  subject.street_addresses = {"S"};
  subject.postal_codes = {"12345"};
  subject.serial_number = "99";
  EXPECT_EQ(Flatten(SubjectRdnSequence(subject, "cn")),
            "2.5.4.6=DE,2.5.4.8=P,2.5.4.7=L,2.5.4.9=S,2.5.4.17=12345,2.5.4.10=O1+2.5.4.10=O2,"
            "2.5.4.11=U,2.5.4.3=cn,2.5.4.5=99");
  EXPECT_THAT(SubjectRdnSequence(X509Subject{}, ""), IsEmpty());
}

TEST(BuildX509Name, UsesGoStringTypesAndKeepsMultiValuedRdns) {
  absl::StatusOr<RdnSequence> rdns = ParseLiteralSubject("CN=caf\xc3\xa9+O=Org,OU=a*b,C=DE");
  ASSERT_TRUE(rdns.ok());
  absl::StatusOr<X509NamePtr> name = BuildX509Name(*rdns);
  ASSERT_TRUE(name.ok()) << name.status();
  ASSERT_EQ(X509_NAME_entry_count(name->get()), 4);
  // Encoding order: C, OU, then the CN+O set (one RDN, sorted by DER inside it).
  const X509_NAME_ENTRY* country = X509_NAME_get_entry(name->get(), 0);
  const X509_NAME_ENTRY* unit = X509_NAME_get_entry(name->get(), 1);
  EXPECT_EQ(OBJ_obj2nid(X509_NAME_ENTRY_get_object(country)), NID_countryName);
  EXPECT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(country)), V_ASN1_PRINTABLESTRING);
  // '*' is not in Go's PrintableString set, so UTF8String.
  EXPECT_EQ(ASN1_STRING_type(X509_NAME_ENTRY_get_data(unit)), V_ASN1_UTF8STRING);
  EXPECT_EQ(X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 2)),
            X509_NAME_ENTRY_set(X509_NAME_get_entry(name->get(), 3)));
  EXPECT_NE(X509_NAME_ENTRY_set(unit), X509_NAME_ENTRY_set(country));
  EXPECT_THAT(NameValues(name->get(), NID_commonName), ElementsAre("caf\xc3\xa9"));
  // RFC 2253 text: most significant RDN last (OpenSSL lists a set's values in reverse too).
  EXPECT_EQ(NameText(name->get()), "O=Org+CN=caf\xc3\xa9,OU=a*b,C=DE");
}

TEST(BuildX509Name, EncodesExactlyAsGo) {
  // asn1.Marshal(pkix.Name{CommonName: "a*b", Organization: []string{"b"}}.ToRDNSequence()):
  // "b" as PrintableString, "a*b" as UTF8String.
  const unsigned char want[] = {0x30, 0x1a, 0x31, 0x0a, 0x30, 0x08, 0x06, 0x03, 0x55, 0x04,
                                0x0a, 0x13, 0x01, 0x62, 0x31, 0x0c, 0x30, 0x0a, 0x06, 0x03,
                                0x55, 0x04, 0x03, 0x0c, 0x03, 0x61, 0x2a, 0x62};
  X509Subject subject;
  subject.organizations = {"b"};
  absl::StatusOr<std::string> der = RdnSequenceDer(SubjectRdnSequence(subject, "a*b"));
  ASSERT_TRUE(der.ok());
  EXPECT_EQ(*der, std::string(reinterpret_cast<const char*>(want), sizeof(want)));
}

TEST(BuildX509Name, RefusesUnmappedTypesAndInvalidUtf8) {
  absl::StatusOr<RdnSequence> rdns = ParseLiteralSubject("foo=bar");
  ASSERT_TRUE(rdns.ok());
  EXPECT_FALSE(BuildX509Name(*rdns).ok());
  // Parsed (cert-manager's webhook lets it through) but not encodable.
  rdns = ParseLiteralSubject("123.4=x");
  ASSERT_TRUE(rdns.ok());
  EXPECT_EQ(BuildX509Name(*rdns).status().message(), "invalid object identifier \"123.4\"");
  RdnSequence bad_utf8 = {{{"2.5.4.3", "", "\xff"}}};
  EXPECT_EQ(BuildX509Name(bad_utf8).status().message(), "asn1: string not valid UTF-8");
}

TEST(RdnCommonName, TakesTheFirst) {
  absl::StatusOr<RdnSequence> rdns = ParseLiteralSubject("CN=last,O=o,CN=first");
  ASSERT_TRUE(rdns.ok());
  EXPECT_EQ(RdnCommonName(*rdns), "first");
}

TEST(ParseCidr, MasksAndKeepsTheFamily) {
  const std::pair<const char*, std::string> cases[] = {
      {"10.1.2.3/8", std::string("\x0a\x00\x00\x00\xff\x00\x00\x00", 8)},
      {"192.168.0.0/16", std::string("\xc0\xa8\x00\x00\xff\xff\x00\x00", 8)},
      {"0.0.0.0/0", std::string(8, '\0')},
      {"2001:db8::/32", std::string("\x20\x01\x0d\xb8", 4) + std::string(12, '\0') +
                            std::string(4, '\xff') + std::string(12, '\0')},
  };
  for (const auto& [text, want] : cases) {
    absl::StatusOr<std::string> octets = ParseCidr(text);
    ASSERT_TRUE(octets.ok()) << text;
    EXPECT_EQ(*octets, want) << text;
  }
  for (const char* bad : {"10.0.0.0", "10.0.0.0/33", "10.0.0.0/-1", "x/8", "::/129", "10.0.0.0/"}) {
    EXPECT_FALSE(ParseCidr(bad).ok()) << bad;
  }
}

TEST(CheckUri, AcceptsWhatGoParses) {
  for (const char* ok : {"spiffe://cluster.local/ns/a/sa/b", "https://example.test:8443/x?y#z",
                         "urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66", "https://[::1]:80/",
                         "mailto:a@example.test", "relative/path"}) {
    EXPECT_TRUE(CheckUri(ok).ok()) << ok;
  }
  for (const char* bad : {":nope", "https://example.test./", "https://a..b/", "http://h:port/",
                          "caf\xc3\xa9://x", "1a:b", "http://x/\x01"}) {
    EXPECT_FALSE(CheckUri(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace certforge::pki
