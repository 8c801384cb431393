// Modern2026's PBMAC1 MAC, which the local OpenSSL (3.0) cannot check: the test walks the DER
// and recomputes the MAC as RFC 9579 defines it.

#include "lib/pki/pkcs12_pbmac1.h"

#include <gtest/gtest.h>
#include <openssl/asn1.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/objects.h>

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "lib/pki/openssl_ptr.h"
#include "lib/pki/pkcs12_keystore.h"
#include "tests/unit/pki_keystore/keystore_test_util.h"

namespace certforge::pki::test {
namespace {

struct Element {
  int tag = -1;
  int tag_class = -1;
  std::string_view full;
  std::string_view contents;
};

// The elements inside `contents`, read with OpenSSL's own DER header parser.
std::vector<Element> Children(std::string_view contents) {
  std::vector<Element> out;
  const auto* p = reinterpret_cast<const unsigned char*>(contents.data());
  const auto* end = p + contents.size();
  while (p < end) {
    const unsigned char* start = p;
    long length = 0;
    int tag = 0;
    int tag_class = 0;
    int flags = ASN1_get_object(&p, &length, &tag, &tag_class, end - p);
    if ((flags & 0x80) != 0) {
      ADD_FAILURE() << "bad DER";
      return {};
    }
    Element e;
    e.tag = tag;
    e.tag_class = tag_class;
    e.contents = std::string_view(reinterpret_cast<const char*>(p), static_cast<size_t>(length));
    e.full = std::string_view(reinterpret_cast<const char*>(start),
                              static_cast<size_t>(p + length - start));
    out.push_back(e);
    p += length;
  }
  return out;
}

std::string Oid(const Element& e) {
  const auto* p = reinterpret_cast<const unsigned char*>(e.full.data());
  Asn1ObjectPtr object(d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(e.full.size())));
  if (!object) return "?";
  std::array<char, 128> text{};
  OBJ_obj2txt(text.data(), static_cast<int>(text.size()), object.get(), 1);
  return text.data();
}

long Integer(const Element& e) {
  const auto* p = reinterpret_cast<const unsigned char*>(e.full.data());
  Asn1IntegerPtr value(d2i_ASN1_INTEGER(nullptr, &p, static_cast<long>(e.full.size())));
  return value ? ASN1_INTEGER_get(value.get()) : -1;
}

std::string Pbmac1(const std::string& password, std::string_view salt, int iterations,
                   std::string_view message) {
  std::array<unsigned char, 32> key{};
  EXPECT_EQ(PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                              reinterpret_cast<const unsigned char*>(salt.data()),
                              static_cast<int>(salt.size()), iterations, EVP_sha256(),
                              static_cast<int>(key.size()), key.data()),
            1);
  std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
  unsigned int length = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
       reinterpret_cast<const unsigned char*>(message.data()), message.size(), mac.data(), &length);
  return std::string(reinterpret_cast<const char*>(mac.data()), length);
}

struct ParsedPfx {
  std::string_view authenticated_safe;
  std::string_view salt;
  long iterations = 0;
  std::string_view digest;
};

// Checks the structure go-pkcs12's Modern2026 writes and returns the MAC inputs.
ParsedPfx ParsePbmac1Pfx(const std::string& der) {
  ParsedPfx parsed;
  std::vector<Element> top = Children(der);
  EXPECT_EQ(top.size(), 1u);
  std::vector<Element> pfx = Children(top.at(0).contents);
  EXPECT_EQ(pfx.size(), 3u);
  EXPECT_EQ(Integer(pfx.at(0)), 3);
  std::vector<Element> content_info = Children(pfx.at(1).contents);
  EXPECT_EQ(Oid(content_info.at(0)), "1.2.840.113549.1.7.1");
  EXPECT_EQ(content_info.at(1).tag_class, V_ASN1_CONTEXT_SPECIFIC);
  std::vector<Element> wrapped = Children(content_info.at(1).contents);
  EXPECT_EQ(wrapped.at(0).tag, V_ASN1_OCTET_STRING);
  parsed.authenticated_safe = wrapped.at(0).contents;

  std::vector<Element> mac_data = Children(pfx.at(2).contents);
  EXPECT_EQ(mac_data.size(), 3u);
  EXPECT_TRUE(mac_data.at(1).contents.empty()) << "legacy macSalt";
  EXPECT_EQ(Integer(mac_data.at(2)), 0) << "legacy iterations";
  std::vector<Element> digest_info = Children(mac_data.at(0).contents);
  parsed.digest = digest_info.at(1).contents;
  std::vector<Element> algorithm = Children(digest_info.at(0).contents);
  EXPECT_EQ(Oid(algorithm.at(0)), "1.2.840.113549.1.5.14");  // PBMAC1
  std::vector<Element> params = Children(algorithm.at(1).contents);
  EXPECT_EQ(params.size(), 2u);
  std::vector<Element> kdf = Children(params.at(0).contents);
  EXPECT_EQ(Oid(kdf.at(0)), "1.2.840.113549.1.5.12");  // PBKDF2
  std::vector<Element> pbkdf2 = Children(kdf.at(1).contents);
  EXPECT_EQ(pbkdf2.size(), 4u);
  parsed.salt = pbkdf2.at(0).contents;
  parsed.iterations = Integer(pbkdf2.at(1));
  EXPECT_EQ(Integer(pbkdf2.at(2)), 32) << "keyLength";
  EXPECT_EQ(Oid(Children(pbkdf2.at(3).contents).at(0)), "1.2.840.113549.2.9");  // prf
  std::vector<Element> mac = Children(params.at(1).contents);
  EXPECT_EQ(mac.size(), 1u) << "no NULL parameters, as Go writes it";
  EXPECT_EQ(Oid(mac.at(0)), "1.2.840.113549.2.9");  // hmacWithSHA256
  return parsed;
}

TEST(Pbmac1Test, KeystoreMacIsHmacSha256OverTheAuthenticatedSafe) {
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kEcdsa);
  const std::string password = "changeit";
  absl::StatusOr<std::string> p12 =
      EncodePkcs12Keystore(leaf.key, leaf.chain, leaf.cas, password, Pkcs12Profile::kModern2026);
  ASSERT_TRUE(p12.ok()) << p12.status();
  ParsedPfx parsed = ParsePbmac1Pfx(*p12);
  EXPECT_EQ(parsed.salt.size(), 16u);
  EXPECT_EQ(parsed.iterations, 2048);
  ASSERT_EQ(parsed.digest.size(), 32u);
  EXPECT_EQ(Pbmac1(password, parsed.salt, 2048, parsed.authenticated_safe), parsed.digest);
  EXPECT_NE(Pbmac1("changeiT", parsed.salt, 2048, parsed.authenticated_safe), parsed.digest);
  // Two safes: the encrypted certificates and the key.
  std::vector<Element> safes = Children(Children(parsed.authenticated_safe).at(0).contents);
  EXPECT_EQ(safes.size(), 2u);
}

TEST(Pbmac1Test, TruststoreToo) {
  absl::StatusOr<std::string> p12 =
      EncodePkcs12Truststore({Leaf(KeyAlgorithm::kEcdsa).cas[0]}, "pw", Pkcs12Profile::kModern2026);
  ASSERT_TRUE(p12.ok()) << p12.status();
  ParsedPfx parsed = ParsePbmac1Pfx(*p12);
  EXPECT_EQ(Pbmac1("pw", parsed.salt, 2048, parsed.authenticated_safe), parsed.digest);
}

TEST(Pbmac1Test, SaltsDifferBetweenRuns) {
  const std::string_view empty_safe("\x30\x00", 2);
  absl::StatusOr<std::string> a = EncodePfxWithPbmac1(empty_safe, "pw", 1, 16);
  absl::StatusOr<std::string> b = EncodePfxWithPbmac1(empty_safe, "pw", 1, 16);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(ParsePbmac1Pfx(*a).salt, ParsePbmac1Pfx(*b).salt);
  EXPECT_EQ(EncodePfxWithPbmac1("", "pw", 0, 16).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace certforge::pki::test
