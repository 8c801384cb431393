// Every Certificate field reaches the issued certificate and its Secret, read back with openssl
// and keytool.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ctime>

#include "lib/core/base64.h"
#include "tests/integration/pki/pki_fixture.h"
#include "tests/support/temp_dir.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr char kPassword[] = "s3cret-Pass";

constexpr char kFullCertificate[] = R"(apiVersion: v1
kind: Secret
metadata: {name: keystore-password, namespace: $NS}
data: {password: $PASSWORD_B64}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: full, namespace: $NS}
spec:
  secretName: full-tls
  commonName: full.example.com
  dnsNames: [full.example.com, www.full.example.com]
  ipAddresses: [10.0.0.1, "2001:db8::1"]
  uris: ["spiffe://cluster.local/ns/demo/sa/web"]
  emailAddresses: [admin@example.com]
  subject:
    organizations: [Example Org]
    organizationalUnits: [Platform]
    countries: [DE]
    provinces: [Berlin]
    localities: [Mitte]
    streetAddresses: [Main Street 1]
    postalCodes: ["10115"]
    serialNumber: "4711"
  duration: 720h
  usages: [digital signature, key encipherment, server auth, client auth]
  privateKey: {algorithm: RSA, size: 2048, encoding: PKCS8}
  additionalOutputFormats: [{type: DER}, {type: CombinedPEM}]
  keystores:
    pkcs12: {create: true, passwordSecretRef: {name: keystore-password, key: password}}
    jks: {create: true, alias: full, passwordSecretRef: {name: keystore-password, key: password}}
  secretTemplate:
    labels: {team: platform}
    annotations: {example.com/owner: platform-team}
  issuerRef: {name: ca, kind: Issuer}
)";

class CertificateFields : public PkiTest {
 protected:
  // The issued certificate as openssl prints it.
  std::string Text(const std::string& secret) {
    auto text = Openssl({"x509", "-text", "-noout"}, SecretValue(secret, "tls.crt"));
    EXPECT_EQ(text.exit_code, 0) << text.Describe();
    return text.out;
  }
};

// "notBefore=Jan  2 03:04:05 2025 GMT" → seconds since the epoch.
std::time_t OpensslDate(const std::string& line) {
  std::tm tm{};
  auto eq = line.find('=');
  if (eq == std::string::npos) return 0;
  if (!strptime(line.c_str() + eq + 1, "%b %d %H:%M:%S %Y GMT", &tm)) return 0;
  return timegm(&tm);
}

TEST_F(CertificateFields, EveryFieldReachesTheCertificateAndSecret) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  auto applied = stack().Apply(
      Fill(kFullCertificate, {{"NS", ns_}, {"PASSWORD_B64", core::Base64Encode(kPassword)}}));
  ASSERT_TRUE(applied.ok()) << applied.message();
  ASSERT_TRUE(WaitCertificateReady("full")) << Describe("certificate", "full");

  std::string text = Text("full-tls");
  EXPECT_THAT(text, HasSubstr("Subject: C = DE, ST = Berlin, L = Mitte, street = Main Street 1, "
                              "postalCode = 10115, O = Example Org, OU = Platform, "
                              "CN = full.example.com, serialNumber = 4711"))
      << text;
  for (const char* san :
       {"DNS:full.example.com", "DNS:www.full.example.com", "email:admin@example.com",
        "IP Address:10.0.0.1", "IP Address:2001:DB8:0:0:0:0:0:1",
        "URI:spiffe://cluster.local/ns/demo/sa/web"}) {
    EXPECT_THAT(text, HasSubstr(san));
  }
  EXPECT_THAT(text, HasSubstr("X509v3 Extended Key Usage: \n"
                              "                TLS Web Server Authentication, TLS Web Client "
                              "Authentication"));
  EXPECT_THAT(text, HasSubstr("Digital Signature, Key Encipherment"));
  EXPECT_THAT(text, HasSubstr("CA:FALSE"));
  EXPECT_THAT(text, HasSubstr("Public-Key: (2048 bit)"));
  EXPECT_THAT(text, HasSubstr("Public Key Algorithm: rsaEncryption"));

  std::string crt = SecretValue("full-tls", "tls.crt");
  auto dates = Openssl({"x509", "-noout", "-startdate", "-enddate"}, crt);
  auto newline = dates.out.find('\n');
  ASSERT_NE(newline, std::string::npos) << dates.Describe();
  EXPECT_EQ(OpensslDate(dates.out.substr(newline + 1)) - OpensslDate(dates.out.substr(0, newline)),
            720 * 3600)
      << dates.out;

  // PKCS#8, and the key belongs to the certificate.
  std::string key = SecretValue("full-tls", "tls.key");
  EXPECT_EQ(key.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u) << key.substr(0, 40);
  EXPECT_EQ(PublicKeyOfKey(key), PublicKeyOfCertificate(crt));

  // additionalOutputFormats: key.der is tls.key's DER; tls-combined.pem is key + "\n" + chain.
  auto der_public =
      Openssl({"pkey", "-inform", "DER", "-pubout"}, SecretValue("full-tls", "key.der"));
  EXPECT_EQ(der_public.out, PublicKeyOfKey(key)) << der_public.Describe();
  EXPECT_EQ(SecretValue("full-tls", "tls-combined.pem"), key + "\n" + crt);

  TempDir files("pki-keystores");
  WriteFile(files.File("keystore.p12"), SecretValue("full-tls", "keystore.p12"));
  WriteFile(files.File("truststore.p12"), SecretValue("full-tls", "truststore.p12"));
  WriteFile(files.File("keystore.jks"), SecretValue("full-tls", "keystore.jks"));
  WriteFile(files.File("truststore.jks"), SecretValue("full-tls", "truststore.jks"));
  // The default profile (LegacyRC2) needs OpenSSL 3's legacy provider to decrypt.
  auto p12 = Openssl({"pkcs12", "-info", "-legacy", "-nodes", "-in", files.File("keystore.p12"),
                      "-passin", std::string("pass:") + kPassword});
  ASSERT_EQ(p12.exit_code, 0) << p12.Describe();
  EXPECT_THAT(p12.out, HasSubstr("subject=C = DE"));
  EXPECT_THAT(p12.out, HasSubstr("-----BEGIN PRIVATE KEY-----"));
  EXPECT_THAT(p12.out, HasSubstr("subject=CN = " + ns_ + " root"));  // the CA travels too
  EXPECT_EQ(PublicKeyOfKey(p12.out), PublicKeyOfKey(key));
  auto wrong = Openssl({"pkcs12", "-info", "-legacy", "-nodes", "-in", files.File("keystore.p12"),
                        "-passin", "pass:wrong"});
  EXPECT_NE(wrong.exit_code, 0);
  auto trust = Openssl({"pkcs12", "-info", "-legacy", "-nokeys", "-in",
                        files.File("truststore.p12"), "-passin", std::string("pass:") + kPassword});
  EXPECT_EQ(trust.exit_code, 0) << trust.Describe();
  EXPECT_THAT(trust.out, HasSubstr("subject=CN = " + ns_ + " root"));

  auto jks = RunCommand({"keytool", "-list", "-keystore", files.File("keystore.jks"), "-storetype",
                         "JKS", "-storepass", kPassword});
  ASSERT_EQ(jks.exit_code, 0) << jks.Describe();
  EXPECT_THAT(jks.out, HasSubstr("Keystore type: JKS"));
  // The key under the Certificate's name and, as cert-manager adds it, the CA as "ca".
  EXPECT_THAT(jks.out, HasSubstr("Your keystore contains 2 entries"));
  EXPECT_THAT(jks.out, HasSubstr("full, "));
  EXPECT_THAT(jks.out, HasSubstr("PrivateKeyEntry"));
  EXPECT_THAT(jks.out, HasSubstr("ca, "));
  EXPECT_THAT(jks.out, HasSubstr("trustedCertEntry"));
  auto jks_trust = RunCommand({"keytool", "-list", "-keystore", files.File("truststore.jks"),
                               "-storetype", "JKS", "-storepass", kPassword});
  ASSERT_EQ(jks_trust.exit_code, 0) << jks_trust.Describe();
  EXPECT_THAT(jks_trust.out, HasSubstr("trustedCertEntry"));
  auto jks_wrong = RunCommand({"keytool", "-list", "-keystore", files.File("keystore.jks"),
                               "-storetype", "JKS", "-storepass", "wrong-password"});
  EXPECT_NE(jks_wrong.exit_code, 0) << jks_wrong.Describe();

  json secret = Get("secret", "full-tls");
  EXPECT_EQ(secret["metadata"]["labels"].value("team", ""), "platform");
  EXPECT_EQ(secret["metadata"]["labels"].value("controller.cert-manager.io/fao", ""), "true");
  json annotations = secret["metadata"]["annotations"];
  EXPECT_EQ(annotations.value("example.com/owner", ""), "platform-team");
  EXPECT_EQ(annotations.value("cert-manager.io/common-name", ""), "full.example.com");
  EXPECT_EQ(annotations.value("cert-manager.io/alt-names", ""),
            "full.example.com,www.full.example.com");
  EXPECT_EQ(annotations.value("cert-manager.io/ip-sans", ""), "10.0.0.1,2001:db8::1");
  EXPECT_EQ(annotations.value("cert-manager.io/uri-sans", ""),
            "spiffe://cluster.local/ns/demo/sa/web");
  EXPECT_EQ(annotations.value("cert-manager.io/email-sans", ""), "admin@example.com");
  EXPECT_EQ(annotations.value("cert-manager.io/subject-organizations", ""), "Example Org");
  EXPECT_EQ(annotations.value("cert-manager.io/subject-serialnumber", ""), "4711");
}

struct KeyCase {
  std::string name, private_key, key_header, key_text;
};

TEST_F(CertificateFields, PrivateKeyAlgorithmsAndCa) {
  ASSERT_NO_FATAL_FAILURE(CreateCaIssuer());
  std::vector<KeyCase> cases = {
      {"rsa", "{algorithm: RSA, size: 2048}", "-----BEGIN RSA PRIVATE KEY-----",
       "Public-Key: (2048 bit)"},
      {"ecdsa", "{algorithm: ECDSA, size: 384}", "-----BEGIN EC PRIVATE KEY-----",
       "NIST CURVE: P-384"},
      {"ed25519", "{algorithm: Ed25519}", "-----BEGIN PRIVATE KEY-----",
       "Public Key Algorithm: ED25519"},
  };
  std::string yaml;
  for (const auto& c : cases) {
    yaml += Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: $NAME, namespace: $NS}
spec:
  secretName: $NAME-tls
  dnsNames: [$NAME.example.com]
  privateKey: $KEY
  issuerRef: {name: ca, kind: Issuer}
---
)",
                 {{"NAME", c.name}, {"NS", ns_}, {"KEY", c.private_key}});
  }
  yaml += Fill(R"(apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: intermediate, namespace: $NS}
spec:
  secretName: intermediate-tls
  commonName: intermediate
  isCA: true
  issuerRef: {name: ca, kind: Issuer}
)",
               {{"NS", ns_}});
  auto applied = stack().Apply(yaml);
  ASSERT_TRUE(applied.ok()) << applied.message();

  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_TRUE(WaitCertificateReady(c.name)) << Describe("certificate", c.name);
    std::string key = SecretValue(c.name + "-tls", "tls.key");
    EXPECT_EQ(key.rfind(c.key_header + "\n", 0), 0u) << key.substr(0, 40);
    EXPECT_THAT(Text(c.name + "-tls"), HasSubstr(c.key_text));
    EXPECT_EQ(PublicKeyOfKey(key), PublicKeyOfCertificate(SecretValue(c.name + "-tls", "tls.crt")));
  }

  ASSERT_TRUE(WaitCertificateReady("intermediate")) << Describe("certificate", "intermediate");
  std::string text = Text("intermediate-tls");
  EXPECT_THAT(text, HasSubstr("CA:TRUE"));
  EXPECT_THAT(text, HasSubstr("Certificate Sign"));
  EXPECT_THAT(Text("rsa-tls"), Not(HasSubstr("CA:TRUE")));
}

}  // namespace
}  // namespace certforge::testing
