// The issued Secret's data and annotations as cert-manager writes them
// (pkg/controller/certificates/issuing/internal/secret.go and keystore.go,
// internal/controller/certificates/secrets.go, pkg/util.JoinWithEscapeCSV).

#include "services/controller/secret_content.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lib/core/base64.h"
#include "tests/unit/controller/controller_test_util.h"

namespace certforge::controller {
namespace {

using test::At;
using test::json;

const json kSpec = test::WebSpec();
const char kNow[] = "2026-01-01T00:00:00Z";

const test::Issued& Leaf() {
  static const test::Issued issued = test::IssueSelfSigned(kSpec, test::EcKey(), At(kNow));
  return issued;
}

std::string Decoded(const json& data, const std::string& key) {
  auto decoded = core::Base64Decode(data.at(key).get<std::string>());
  EXPECT_TRUE(decoded.ok()) << key;
  return decoded.ok() ? *decoded : "";
}

std::vector<std::string> Keys(const json& data) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : data.items()) keys.push_back(k);
  return keys;
}

// The first PEM block's type ("EC PRIVATE KEY") and decoded body.
std::pair<std::string, std::string> PemBlock(const std::string& pem) {
  const std::string begin = "-----BEGIN ";
  auto start = pem.find(begin);
  auto type_end = pem.find("-----", start + begin.size());
  std::string type = pem.substr(start + begin.size(), type_end - start - begin.size());
  auto body_start = pem.find('\n', type_end) + 1;
  auto body_end = pem.find("-----END ", body_start);
  std::string base64;
  for (char c : pem.substr(body_start, body_end - body_start)) {
    if (c != '\n') base64 += c;
  }
  auto der = core::Base64Decode(base64);
  return {type, der.ok() ? *der : ""};
}

absl::StatusOr<json> Build(const json& spec, const pki::PrivateKey& key, const std::string& ca_pem,
                           std::optional<std::string> p12_password = std::nullopt,
                           std::optional<std::string> jks_password = std::nullopt) {
  json certificate = test::CertificateResource(spec);
  SecretContentInputs in{certificate,  Leaf().chain_pem, ca_pem,  test::Pkcs8(key),
                         p12_password, jks_password,     At(kNow)};
  return BuildSecretData(in);
}

json WithKey(json spec, const json& private_key) {
  spec["privateKey"] = private_key;
  return spec;
}

struct EncodingCase {
  std::string name;
  const pki::PrivateKey& (*key)();
  json private_key;
  std::string pem_type;
};

TEST(BuildSecretData, PrivateKeyEncoding) {
  const std::vector<EncodingCase> cases = {
      {"ECDSA, default PKCS1", test::EcKey, {{"algorithm", "ECDSA"}}, "EC PRIVATE KEY"},
      {"ECDSA, PKCS1",
       test::EcKey,
       {{"algorithm", "ECDSA"}, {"encoding", "PKCS1"}},
       "EC PRIVATE KEY"},
      {"ECDSA, PKCS8", test::EcKey, {{"algorithm", "ECDSA"}, {"encoding", "PKCS8"}}, "PRIVATE KEY"},
      {"RSA, default PKCS1", test::RsaKey, json::object(), "RSA PRIVATE KEY"},
      {"RSA, PKCS8", test::RsaKey, {{"encoding", "PKCS8"}}, "PRIVATE KEY"},
      {"Ed25519 is always PKCS8",
       test::Ed25519Key,
       {{"algorithm", "Ed25519"}, {"encoding", "PKCS1"}},
       "PRIVATE KEY"},
      {"Ed25519, default encoding", test::Ed25519Key, {{"algorithm", "Ed25519"}}, "PRIVATE KEY"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto data = Build(WithKey(kSpec, c.private_key), c.key(), "");
    ASSERT_TRUE(data.ok()) << data.status();
    std::string tls_key = Decoded(*data, "tls.key");
    EXPECT_EQ(PemBlock(tls_key).first, c.pem_type);
    auto parsed = pki::PrivateKey::FromPem(tls_key);
    ASSERT_TRUE(parsed.ok()) << parsed.status();
    EXPECT_EQ(*parsed->PublicKeyDer(), *c.key().PublicKeyDer());
  }
}

TEST(BuildSecretData, CertificateAndCa) {
  auto without_ca = Build(kSpec, test::EcKey(), "");
  ASSERT_TRUE(without_ca.ok()) << without_ca.status();
  EXPECT_EQ(Keys(*without_ca), (std::vector<std::string>{"tls.crt", "tls.key"}));
  EXPECT_EQ(Decoded(*without_ca, "tls.crt"), Leaf().chain_pem);

  auto with_ca = Build(kSpec, test::EcKey(), Leaf().ca_pem);
  ASSERT_TRUE(with_ca.ok()) << with_ca.status();
  EXPECT_EQ(Keys(*with_ca), (std::vector<std::string>{"ca.crt", "tls.crt", "tls.key"}));
  EXPECT_EQ(Decoded(*with_ca, "ca.crt"), Leaf().ca_pem);
}

struct FormatCase {
  std::string name;
  const pki::PrivateKey& (*key)();
  json private_key;
};

TEST(BuildSecretData, DerIsTheBytesOfTheKeyPemBlock) {
  const std::vector<FormatCase> cases = {
      {"SEC1", test::EcKey, {{"algorithm", "ECDSA"}}},
      {"PKCS#8", test::EcKey, {{"algorithm", "ECDSA"}, {"encoding", "PKCS8"}}},
      {"PKCS#1", test::RsaKey, json::object()},
      {"Ed25519", test::Ed25519Key, {{"algorithm", "Ed25519"}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    json spec = WithKey(kSpec, c.private_key);
    spec["additionalOutputFormats"] = json::array({{{"type", "DER"}}});
    auto data = Build(spec, c.key(), "");
    ASSERT_TRUE(data.ok()) << data.status();
    EXPECT_EQ(Keys(*data), (std::vector<std::string>{"key.der", "tls.crt", "tls.key"}));
    std::string der = Decoded(*data, "key.der");
    EXPECT_EQ(der, PemBlock(Decoded(*data, "tls.key")).second);
    // And it is a private key DER that OpenSSL reads back as the same key.
    const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
    EVP_PKEY* read = d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size()));
    ASSERT_NE(read, nullptr);
    EXPECT_EQ(EVP_PKEY_eq(read, c.key().get()), 1);
    EVP_PKEY_free(read);
  }
}

TEST(BuildSecretData, CombinedPem) {
  json spec = kSpec;
  spec["additionalOutputFormats"] = json::array({{{"type", "CombinedPEM"}}});
  auto data = Build(spec, test::EcKey(), Leaf().ca_pem);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(Decoded(*data, "tls-combined.pem"),
            Decoded(*data, "tls.key") + "\n" + Leaf().chain_pem);
  EXPECT_FALSE(data->contains("key.der"));
}

TEST(BuildSecretData, BothFormatsAndUnknownTypes) {
  json spec = kSpec;
  spec["additionalOutputFormats"] =
      json::array({{{"type", "CombinedPEM"}}, {{"type", "PFX"}}, {{"type", "DER"}}});
  auto data = Build(spec, test::EcKey(), "");
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(Keys(*data),
            (std::vector<std::string>{"key.der", "tls-combined.pem", "tls.crt", "tls.key"}));
}

// --- keystores ---------------------------------------------------------------------------

struct P12 {
  bool mac_ok = false;
  std::string mac_digest;       // dotted OID of the MAC's digest (or PBMAC1)
  std::string cert_encryption;  // dotted OID of the certificate safe's encryption
};

std::string Oid(const ASN1_OBJECT* object) {
  char text[128];
  OBJ_obj2txt(text, sizeof(text), object, /*no_name=*/1);
  return text;
}

std::optional<P12> ReadP12(const std::string& der, const std::string& password) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  PKCS12* p12 = d2i_PKCS12(nullptr, &p, static_cast<long>(der.size()));
  if (p12 == nullptr) return std::nullopt;
  P12 out;
  const X509_ALGOR* mac_alg = nullptr;
  PKCS12_get0_mac(nullptr, &mac_alg, nullptr, nullptr, p12);
  const ASN1_OBJECT* object = nullptr;
  if (mac_alg != nullptr) X509_ALGOR_get0(&object, nullptr, nullptr, mac_alg);
  if (object != nullptr) out.mac_digest = Oid(object);
  out.mac_ok = PKCS12_verify_mac(p12, password.data(), static_cast<int>(password.size())) == 1;
  STACK_OF(PKCS7)* safes = PKCS12_unpack_authsafes(p12);
  for (int i = 0; safes != nullptr && i < sk_PKCS7_num(safes); ++i) {
    PKCS7* safe = sk_PKCS7_value(safes, i);
    if (OBJ_obj2nid(safe->type) == NID_pkcs7_encrypted) {
      out.cert_encryption = Oid(safe->d.encrypted->enc_data->algorithm->algorithm);
    }
  }
  sk_PKCS7_pop_free(safes, PKCS7_free);
  PKCS12_free(p12);
  return out;
}

// A JKS file: magic, version 2, entries, then SHA-1(UTF-16BE password, "Mighty Aphrodite", body).
struct Jks {
  bool integrity_ok = false;
  std::vector<std::pair<int, std::string>> entries;  // tag (1 key, 2 trusted), alias
  std::vector<int64_t> created_ms;
};

std::optional<Jks> ReadJks(const std::string& bytes, const std::string& password) {
  size_t pos = 0;
  auto u = [&](int n) -> std::optional<uint64_t> {
    if (pos + n > bytes.size()) return std::nullopt;
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[pos++]);
    return v;
  };
  auto skip = [&](uint64_t n) {
    pos += n;
    return pos <= bytes.size();
  };
  if (u(4) != 0xFEEDFEEDu || u(4) != 2u) return std::nullopt;
  auto count = u(4);
  if (!count) return std::nullopt;
  Jks jks;
  for (uint64_t e = 0; e < *count; ++e) {
    auto tag = u(4);
    auto alias_length = u(2);
    if (!tag || !alias_length || pos + *alias_length > bytes.size()) return std::nullopt;
    std::string alias = bytes.substr(pos, *alias_length);
    pos += *alias_length;
    auto created = u(8);
    if (!created) return std::nullopt;
    jks.entries.emplace_back(static_cast<int>(*tag), alias);
    jks.created_ms.push_back(static_cast<int64_t>(*created));
    uint64_t certificates = 1;
    if (*tag == 1) {
      auto key_length = u(4);
      if (!key_length || !skip(*key_length)) return std::nullopt;
      auto chain = u(4);
      if (!chain) return std::nullopt;
      certificates = *chain;
    }
    for (uint64_t c = 0; c < certificates; ++c) {
      auto type_length = u(2);
      if (!type_length || !skip(*type_length)) return std::nullopt;
      auto der_length = u(4);
      if (!der_length || !skip(*der_length)) return std::nullopt;
    }
  }
  if (pos + SHA_DIGEST_LENGTH != bytes.size()) return std::nullopt;
  std::string input;
  for (char c : password) input += std::string{'\0', c};
  input += "Mighty Aphrodite" + bytes.substr(0, pos);
  unsigned char digest[SHA_DIGEST_LENGTH];
  SHA1(reinterpret_cast<const unsigned char*>(input.data()), input.size(), digest);
  jks.integrity_ok =
      bytes.compare(pos, SHA_DIGEST_LENGTH,
                    std::string(reinterpret_cast<char*>(digest), SHA_DIGEST_LENGTH)) == 0;
  return jks;
}

json Keystores(const json& pkcs12, const json& jks) {
  json spec = kSpec;
  if (!pkcs12.is_null()) spec["keystores"]["pkcs12"] = pkcs12;
  if (!jks.is_null()) spec["keystores"]["jks"] = jks;
  return spec;
}

const char kSha1[] = "1.3.14.3.2.26";
const char kSha256[] = "2.16.840.1.101.3.4.2.1";
const char kPbmac1[] = "1.2.840.113549.1.5.14";
const char kRc2[] = "1.2.840.113549.1.12.1.6";        // pbeWithSHAAnd40BitRC2-CBC
const char kTripleDes[] = "1.2.840.113549.1.12.1.3";  // pbeWithSHAAnd3-KeyTripleDES-CBC
const char kPbes2[] = "1.2.840.113549.1.5.13";

struct ProfileCase {
  std::string profile;
  std::string mac_digest;
  std::string cert_encryption;
  bool openssl_checks_mac;  // OpenSSL 3.0 cannot verify PBMAC1
};

TEST(BuildSecretData, Pkcs12KeystoreProfiles) {
  const std::vector<ProfileCase> cases = {
      {"", kSha1, kRc2, true},
      {"LegacyRC2", kSha1, kRc2, true},
      {"LegacyDES", kSha1, kTripleDes, true},
      {"Modern2023", kSha256, kPbes2, true},
      {"Modern2026", kPbmac1, kPbes2, false},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE("profile \"" + c.profile + "\"");
    json pkcs12 = {{"create", true}};
    if (!c.profile.empty()) pkcs12["profile"] = c.profile;
    auto data = Build(Keystores(pkcs12, nullptr), test::EcKey(), Leaf().ca_pem, "p12-secret");
    ASSERT_TRUE(data.ok()) << data.status();
    EXPECT_EQ(Keys(*data), (std::vector<std::string>{"ca.crt", "keystore.p12", "tls.crt", "tls.key",
                                                     "truststore.p12"}));
    for (const char* file : {"keystore.p12", "truststore.p12"}) {
      SCOPED_TRACE(file);
      auto p12 = ReadP12(Decoded(*data, file), "p12-secret");
      ASSERT_TRUE(p12.has_value());
      EXPECT_EQ(p12->mac_digest, c.mac_digest);
      EXPECT_EQ(p12->cert_encryption, c.cert_encryption);
      if (c.openssl_checks_mac) {
        EXPECT_TRUE(p12->mac_ok) << "password not used";
        EXPECT_FALSE(ReadP12(Decoded(*data, file), "other")->mac_ok);
      }
    }
  }
}

TEST(BuildSecretData, TruststoresOnlyWithACa) {
  auto data =
      Build(Keystores({{"create", true}}, {{"create", true}}), test::EcKey(), "", "pw", "pw");
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(Keys(*data),
            (std::vector<std::string>{"keystore.jks", "keystore.p12", "tls.crt", "tls.key"}));
  auto jks = ReadJks(Decoded(*data, "keystore.jks"), "pw");
  ASSERT_TRUE(jks.has_value());
  EXPECT_EQ(jks->entries, (std::vector<std::pair<int, std::string>>{{1, "certificate"}}));
}

TEST(BuildSecretData, JksKeystore) {
  auto data = Build(Keystores(nullptr, {{"create", true}}), test::EcKey(), Leaf().ca_pem,
                    std::nullopt, "jks-secret");
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(Keys(*data), (std::vector<std::string>{"ca.crt", "keystore.jks", "tls.crt", "tls.key",
                                                   "truststore.jks"}));
  auto keystore = ReadJks(Decoded(*data, "keystore.jks"), "jks-secret");
  ASSERT_TRUE(keystore.has_value());
  EXPECT_TRUE(keystore->integrity_ok) << "password not used";
  EXPECT_FALSE(ReadJks(Decoded(*data, "keystore.jks"), "other")->integrity_ok);
  EXPECT_EQ(keystore->entries,
            (std::vector<std::pair<int, std::string>>{{1, "certificate"}, {2, "ca"}}));
  const int64_t now_ms = 1767225600000;  // 2026-01-01T00:00:00Z
  EXPECT_EQ(keystore->created_ms, (std::vector<int64_t>{now_ms, now_ms}));

  auto truststore = ReadJks(Decoded(*data, "truststore.jks"), "jks-secret");
  ASSERT_TRUE(truststore.has_value());
  EXPECT_TRUE(truststore->integrity_ok);
  EXPECT_EQ(truststore->entries, (std::vector<std::pair<int, std::string>>{{2, "ca"}}));
}

TEST(BuildSecretData, JksAlias) {
  auto data = Build(Keystores(nullptr, {{"create", true}, {"alias", "Web-Alias"}}), test::EcKey(),
                    "", std::nullopt, "pw");
  ASSERT_TRUE(data.ok()) << data.status();
  auto jks = ReadJks(Decoded(*data, "keystore.jks"), "pw");
  ASSERT_TRUE(jks.has_value());
  // keystore-go lower-cases aliases.
  EXPECT_EQ(jks->entries, (std::vector<std::pair<int, std::string>>{{1, "web-alias"}}));
}

TEST(BuildSecretData, KeystoresNotCreated) {
  auto data =
      Build(Keystores({{"create", false}}, {{"create", false}}), test::EcKey(), Leaf().ca_pem);
  ASSERT_TRUE(data.ok()) << data.status();
  EXPECT_EQ(Keys(*data), (std::vector<std::string>{"ca.crt", "tls.crt", "tls.key"}));
}

TEST(BuildSecretData, KeystoreKeysNameWhatAFullBuildWrites) {
  // Every combination of keystores and CA: KeystoreKeys must list exactly the keystore entries a
  // full build writes, and a build without keystores must write none of them.
  for (bool p12 : {false, true}) {
    for (bool jks : {false, true}) {
      for (bool with_ca : {false, true}) {
        SCOPED_TRACE(::testing::Message() << "p12=" << p12 << " jks=" << jks << " ca=" << with_ca);
        json spec = Keystores({{"create", p12}}, {{"create", jks}});
        std::string ca = with_ca ? Leaf().ca_pem : "";
        auto full = Build(spec, test::EcKey(), ca, "pw", "pw");
        ASSERT_TRUE(full.ok()) << full.status();
        std::vector<std::string> written;
        for (const auto& k : Keys(*full)) {
          if (k.find("store.") != std::string::npos) written.push_back(k);
        }
        std::vector<std::string> listed = KeystoreKeys(spec, with_ca);
        std::sort(listed.begin(), listed.end());
        EXPECT_EQ(listed, written);

        json certificate = test::CertificateResource(spec);
        SecretContentInputs without{
            certificate,  Leaf().chain_pem, ca,       test::Pkcs8(test::EcKey()),
            std::nullopt, std::nullopt,     At(kNow), /*keystores=*/false};
        auto lean = BuildSecretData(without);
        ASSERT_TRUE(lean.ok()) << lean.status() << " (no passwords needed without keystores)";
        for (const auto& k : written) EXPECT_FALSE(lean->contains(k)) << k;
        EXPECT_EQ((*lean)["tls.key"], (*full)["tls.key"]);
      }
    }
  }
}

TEST(BuildSecretData, Errors) {
  auto no_p12_password = Build(Keystores({{"create", true}}, nullptr), test::EcKey(), "");
  EXPECT_EQ(no_p12_password.status().code(), absl::StatusCode::kFailedPrecondition);
  auto no_jks_password =
      Build(Keystores(nullptr, {{"create", true}}), test::EcKey(), "", "only p12");
  EXPECT_EQ(no_jks_password.status().code(), absl::StatusCode::kFailedPrecondition);
  auto bad_profile = Build(Keystores({{"create", true}, {"profile", "modern2023"}}, nullptr),
                           test::EcKey(), "", "pw");
  EXPECT_EQ(bad_profile.status().code(), absl::StatusCode::kInvalidArgument);

  json certificate = test::CertificateResource(kSpec);
  SecretContentInputs bad_key{certificate, Leaf().chain_pem, "", "not a key", {}, {}, At(kNow)};
  EXPECT_FALSE(BuildSecretData(bad_key).ok());
  json with_keystore = test::CertificateResource(Keystores({{"create", true}}, nullptr));
  SecretContentInputs bad_chain{
      with_keystore, "not a chain", "", test::Pkcs8(test::EcKey()), "pw", {}, At(kNow)};
  EXPECT_FALSE(BuildSecretData(bad_chain).ok());
}

// --- annotations -------------------------------------------------------------------------

json Annotations(const json& spec, const json& issuer_ref = {{"name", "ca"}}) {
  json full = spec;
  full["issuerRef"] = issuer_ref;
  full["privateKey"] = {{"algorithm", "ECDSA"}};
  auto issued = test::IssueSelfSigned(full, test::EcKey(), At(kNow));
  auto a = SecretAnnotations(test::CertificateResource(full), issued.chain_pem);
  EXPECT_TRUE(a.ok()) << a.status();
  return a.ok() ? *a : json();
}

// The values are read back from the issued certificate, so several values of one attribute
// come in DER's SET OF order (shorter, then bytewise smaller), as cert-manager reads them.
TEST(SecretAnnotations, EverySubjectField) {
  json spec = {
      {"commonName", "cert-manager"},
      {"subject",
       {{"organizations", {"Example Organization 1", "Example Organization 2"}},
        {"organizationalUnits", {"Example Organizational Unit 1", "Example Organizational Unit 2"}},
        {"countries", {"Country 1", "Country 2"}},
        {"provinces", {"Province 1", "Province 2"}},
        {"localities", {"City 1", "City 2"}},
        {"streetAddresses",
         {"1725 Slough Avenue, Suite 200, Scranton Business Park", "123 Example St"}},
        {"postalCodes", {"55555", "12345"}},
        {"serialNumber", "12345678"}}},
      {"dnsNames", {"example.com", "cert-manager.io"}},
      {"ipAddresses", {"1.1.1.1", "1.2.3.4"}},
      {"uris", {"spiffe://cert-manager.io/test", "spiffe://hello.world"}},
      {"emailAddresses", {"test1@example.com", "test2@cert-manager.io"}}};
  EXPECT_EQ(
      Annotations(spec),
      json({{"cert-manager.io/certificate-name", "web"},
            {"cert-manager.io/issuer-name", "ca"},
            {"cert-manager.io/issuer-kind", "Issuer"},
            {"cert-manager.io/issuer-group", "cert-manager.io"},
            {"cert-manager.io/common-name", "cert-manager"},
            {"cert-manager.io/alt-names", "example.com,cert-manager.io"},
            {"cert-manager.io/ip-sans", "1.1.1.1,1.2.3.4"},
            {"cert-manager.io/uri-sans", "spiffe://cert-manager.io/test,spiffe://hello.world"},
            {"cert-manager.io/email-sans", "test1@example.com,test2@cert-manager.io"},
            {"cert-manager.io/subject-organizations",
             "Example Organization 1,Example Organization 2"},
            {"cert-manager.io/subject-organizationalunits",
             "Example Organizational Unit 1,Example Organizational Unit 2"},
            {"cert-manager.io/subject-countries", "Country 1,Country 2"},
            {"cert-manager.io/subject-provinces", "Province 1,Province 2"},
            {"cert-manager.io/subject-localities", "City 1,City 2"},
            {"cert-manager.io/subject-streetaddresses",
             "123 Example St,\"1725 Slough Avenue, Suite 200, Scranton Business Park\""},
            {"cert-manager.io/subject-postalcodes", "12345,55555"},
            {"cert-manager.io/subject-serialnumber", "12345678"}}));
}

struct AnnotationCase {
  std::string name;
  json spec;
  json x509;  // the certificate's own annotations expected
};

TEST(SecretAnnotations, AlwaysPresentOnesAreEmptyWhenUnset) {
  const std::vector<AnnotationCase> cases = {
      {"common name only",
       {{"commonName", "cert-manager"}},
       {{"cert-manager.io/common-name", "cert-manager"},
        {"cert-manager.io/alt-names", ""},
        {"cert-manager.io/ip-sans", ""},
        {"cert-manager.io/uri-sans", ""}}},
      {"IP addresses only, in Go's text form",
       {{"ipAddresses", {"1.1.1.1", "2001:0db8:0000::0001"}}},
       {{"cert-manager.io/common-name", ""},
        {"cert-manager.io/alt-names", ""},
        {"cert-manager.io/ip-sans", "1.1.1.1,2001:db8::1"},
        {"cert-manager.io/uri-sans", ""}}},
      {"URIs only",
       {{"uris", {"spiffe://cluster.local/ns/apps/sa/web"}}},
       {{"cert-manager.io/common-name", ""},
        {"cert-manager.io/alt-names", ""},
        {"cert-manager.io/ip-sans", ""},
        {"cert-manager.io/uri-sans", "spiffe://cluster.local/ns/apps/sa/web"}}},
      {"DNS names only",
       {{"dnsNames", {"example.com", "cert-manager.io"}}},
       {{"cert-manager.io/common-name", ""},
        {"cert-manager.io/alt-names", "example.com,cert-manager.io"},
        {"cert-manager.io/ip-sans", ""},
        {"cert-manager.io/uri-sans", ""}}},
      {"e-mail only",
       {{"emailAddresses", {"a@example.com"}}},
       {{"cert-manager.io/common-name", ""},
        {"cert-manager.io/alt-names", ""},
        {"cert-manager.io/ip-sans", ""},
        {"cert-manager.io/uri-sans", ""},
        {"cert-manager.io/email-sans", "a@example.com"}}},
      {"one organization",
       {{"dnsNames", {"example.com"}}, {"subject", {{"organizations", {"Acme, Inc."}}}}},
       {{"cert-manager.io/common-name", ""},
        {"cert-manager.io/alt-names", "example.com"},
        {"cert-manager.io/ip-sans", ""},
        {"cert-manager.io/uri-sans", ""},
        {"cert-manager.io/subject-organizations", "\"Acme, Inc.\""}}},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    json expected = c.x509;
    expected["cert-manager.io/certificate-name"] = "web";
    expected["cert-manager.io/issuer-name"] = "ca";
    expected["cert-manager.io/issuer-kind"] = "Issuer";
    expected["cert-manager.io/issuer-group"] = "cert-manager.io";
    EXPECT_EQ(Annotations(c.spec), expected);
  }
}

TEST(SecretAnnotations, IssuerKindAndGroup) {
  const json spec = {{"dnsNames", {"example.com"}}};
  json cluster = Annotations(spec, {{"name", "root"}, {"kind", "ClusterIssuer"}});
  EXPECT_EQ(cluster["cert-manager.io/issuer-name"], "root");
  EXPECT_EQ(cluster["cert-manager.io/issuer-kind"], "ClusterIssuer");
  EXPECT_EQ(cluster["cert-manager.io/issuer-group"], "cert-manager.io");

  json external = Annotations(
      spec, {{"name", "vault"}, {"kind", "VaultIssuer"}, {"group", "vault.example.io"}});
  EXPECT_EQ(external["cert-manager.io/issuer-kind"], "VaultIssuer");
  EXPECT_EQ(external["cert-manager.io/issuer-group"], "vault.example.io");

  json empty_strings = Annotations(spec, {{"name", "ca"}, {"kind", ""}, {"group", ""}});
  EXPECT_EQ(empty_strings["cert-manager.io/issuer-kind"], "Issuer");
  EXPECT_EQ(empty_strings["cert-manager.io/issuer-group"], "cert-manager.io");
}

TEST(SecretAnnotations, UnreadableChain) {
  EXPECT_FALSE(SecretAnnotations(test::CertificateResource(kSpec), "no certificate").ok());
}

// Go's encoding/csv Writer, one record, trailing newline removed.
TEST(JoinCsv, AsGoEncodingCsv) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{}, ""},
      {{""}, ""},
      {{"", ""}, ","},
      {{"a"}, "a"},
      {{"a", "b", "c"}, "a,b,c"},
      {{"10 Downing Street, Westminster", "Manchester"},
       "\"10 Downing Street, Westminster\",Manchester"},
      {{"say \"hi\""}, "\"say \"\"hi\"\"\""},
      {{"\"quoted\""}, "\"\"\"quoted\"\"\""},
      {{"line\nbreak"}, "\"line\nbreak\""},
      {{"carriage\rreturn"}, "\"carriage\rreturn\""},
      {{" leading space"}, "\" leading space\""},
      {{"\tleading tab"}, "\"\tleading tab\""},
      {{"\xc2\xa0leading no-break space"}, "\"\xc2\xa0leading no-break space\""},
      {{"\xe3\x80\x80leading ideographic space"}, "\"\xe3\x80\x80leading ideographic space\""},
      {{"\vleading vertical tab"}, "\"\vleading vertical tab\""},
      {{"\xe2\x80\x8bzero width space is no space"}, "\xe2\x80\x8bzero width space is no space"},
      {{"trailing space "}, "trailing space "},
      {{"inner space"}, "inner space"},
      {{"semi;colon"}, "semi;colon"},
      {{"\\."}, "\"\\.\""},
      {{"\\.x"}, "\\.x"},
      {{"caf\xc3\xa9"}, "caf\xc3\xa9"},
  };
  for (const auto& [values, expected] : cases) {
    EXPECT_EQ(JoinCsv(values), expected) << ::testing::PrintToString(values);
  }
}

}  // namespace
}  // namespace certforge::controller
