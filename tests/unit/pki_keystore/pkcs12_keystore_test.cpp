// keystore.p12 / truststore.p12 read back by the openssl command line (and Java's keytool):
// contents, order, key, the algorithms of each cert-manager profile, and password checks.

#include "lib/pki/pkcs12_keystore.h"

#include <gtest/gtest.h>
#include <openssl/err.h>
#include <openssl/evp.h>

#include <algorithm>
#include <future>
#include <string>
#include <vector>

#include "tests/unit/pki_keystore/keystore_test_util.h"

namespace certforge::pki::test {
namespace {

constexpr char kPassword[] = "s3cret pass";

struct ProfileExpectations {
  Pkcs12Profile profile;
  std::vector<std::string> info_lines;  // what `openssl pkcs12 -info` reports
};

const std::vector<ProfileExpectations>& Profiles() {
  static const std::vector<ProfileExpectations> profiles = {
      {Pkcs12Profile::kLegacyRC2,
       {"MAC: sha1, Iteration 1", "MAC length: 20, salt length: 8",
        "PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC, Iteration 2048",
        "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"}},
      {Pkcs12Profile::kLegacyDES,
       {"MAC: sha1, Iteration 1", "MAC length: 20, salt length: 8",
        "PKCS7 Encrypted data: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048",
        "Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC, Iteration 2048"}},
      {Pkcs12Profile::kModern2023,
       {"MAC: sha256, Iteration 2048", "MAC length: 32, salt length: 16",
        "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
        "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"}},
      // OpenSSL 3.0 cannot check a PBMAC1 MAC (pkcs12_pbmac1_test.cpp does), so it reads these
      // with -nomacver.
      {Pkcs12Profile::kModern2026,
       {"MAC: PBMAC1, Iteration 0", "MAC length: 32, salt length: 0",
        "PKCS7 Encrypted data: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256",
        "Shrouded Keybag: PBES2, PBKDF2, AES-256-CBC, Iteration 2048, PRF hmacWithSHA256"}},
  };
  return profiles;
}

std::string ProfileLabel(Pkcs12Profile profile) { return std::string(Pkcs12ProfileName(profile)); }

// `openssl pkcs12 -info` over `file`; `extra` adds options.
CommandResult OpensslInfo(const ScratchDir& dir, const std::string& file, Pkcs12Profile profile,
                          const std::string& password, const std::string& extra = "") {
  WriteFileOrDie(dir.File("pass"), password + "\n");
  std::string command = "openssl pkcs12 -info -nodes -in " + Quote(file) +
                        " -passin file:" + Quote(dir.File("pass")) + " " + extra;
  if (profile == Pkcs12Profile::kLegacyRC2) command += " -legacy";
  if (profile == Pkcs12Profile::kModern2026) command += " -nomacver";
  return RunCommand(command);
}

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Pkcs12KeystoreTest, OpensslReadsKeyAndChainWithEachProfileAlgorithms) {
  ScratchDir dir;
  for (KeyAlgorithm algorithm :
       {KeyAlgorithm::kRsa, KeyAlgorithm::kEcdsa, KeyAlgorithm::kEd25519}) {
    const IssuedLeaf& leaf = Leaf(algorithm);
    for (const ProfileExpectations& p : Profiles()) {
      std::string label = ProfileLabel(p.profile) + "/" + std::string(KeyAlgorithmName(algorithm));
      absl::StatusOr<std::string> p12 =
          EncodePkcs12Keystore(leaf.key, leaf.chain, leaf.cas, kPassword, p.profile);
      ASSERT_TRUE(p12.ok()) << label << ": " << p12.status();
      std::string file = dir.File("keystore.p12");
      WriteFileOrDie(file, *p12);

      CommandResult info = OpensslInfo(dir, file, p.profile, kPassword);
      ASSERT_EQ(info.exit_code, 0) << label << "\n" << info.output;
      for (const std::string& line : p.info_lines) {
        EXPECT_TRUE(Contains(info.output, line)) << label << ": no \"" << line << "\"\n"
                                                 << info.output;
      }
      // Leaf, rest of the chain, then the CAs.
      std::vector<std::string> certificates = PemBlocks(info.output, "CERTIFICATE");
      ASSERT_EQ(certificates.size(), 3u) << label;
      EXPECT_EQ(certificates[0], *leaf.chain[0].ToPem()) << label;
      EXPECT_EQ(certificates[1], *leaf.chain[1].ToPem()) << label;
      EXPECT_EQ(certificates[2], *leaf.cas[0].ToPem()) << label;
      // The key and the leaf share localKeyID = SHA-1(leaf); no bag has a friendlyName.
      std::vector<std::string> ids = LinesAfter(info.output, "localKeyID: ");
      std::string expected_id;
      for (char c : Hex(Sha1(leaf.chain[0].ToDer()))) {
        if (!expected_id.empty() && expected_id.size() % 3 == 2) expected_id += ' ';
        expected_id += c;
      }
      EXPECT_EQ(ids, std::vector<std::string>({expected_id, expected_id})) << label;
      EXPECT_FALSE(Contains(info.output, "friendlyName")) << label;
      // The key read back is the key written.
      std::vector<std::string> keys = PemBlocks(info.output, "PRIVATE KEY");
      ASSERT_EQ(keys.size(), 1u) << label;
      absl::StatusOr<PrivateKey> extracted = PrivateKey::FromPem(keys[0]);
      ASSERT_TRUE(extracted.ok()) << label << ": " << extracted.status();
      EXPECT_EQ(*extracted->ToPkcs8Pem(), *leaf.key.ToPkcs8Pem()) << label;
    }
  }
}

TEST(Pkcs12KeystoreTest, WrongPasswordIsRefused) {
  ScratchDir dir;
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kEcdsa);
  for (const ProfileExpectations& p : Profiles()) {
    absl::StatusOr<std::string> p12 =
        EncodePkcs12Keystore(leaf.key, leaf.chain, leaf.cas, kPassword, p.profile);
    ASSERT_TRUE(p12.ok()) << p12.status();
    WriteFileOrDie(dir.File("keystore.p12"), *p12);
    CommandResult info = OpensslInfo(dir, dir.File("keystore.p12"), p.profile, "wrong");
    EXPECT_NE(info.exit_code, 0) << ProfileLabel(p.profile) << "\n" << info.output;
    EXPECT_TRUE(PemBlocks(info.output, "PRIVATE KEY").empty()) << ProfileLabel(p.profile);
  }
}

TEST(Pkcs12KeystoreTest, WithoutCasHoldsTheChainOnly) {
  ScratchDir dir;
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kEcdsa);
  absl::StatusOr<std::string> p12 =
      EncodePkcs12Keystore(leaf.key, {leaf.chain[0]}, {}, kPassword, Pkcs12Profile::kLegacyDES);
  ASSERT_TRUE(p12.ok()) << p12.status();
  WriteFileOrDie(dir.File("keystore.p12"), *p12);
  CommandResult info =
      OpensslInfo(dir, dir.File("keystore.p12"), Pkcs12Profile::kLegacyDES, kPassword);
  ASSERT_EQ(info.exit_code, 0) << info.output;
  EXPECT_EQ(PemBlocks(info.output, "CERTIFICATE").size(), 1u);
  EXPECT_EQ(PemBlocks(info.output, "PRIVATE KEY").size(), 1u);
}

TEST(Pkcs12KeystoreTest, NonAsciiPasswordsAreBmpStrings) {
  ScratchDir dir;
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kEcdsa);
  // OpenSSL's CLI turns a UTF-8 password into the same BMPString go-pkcs12 uses.
  const std::string password = "p\xC3\xA4sswort \xE2\x82\xAC";
  for (Pkcs12Profile profile : {Pkcs12Profile::kLegacyDES, Pkcs12Profile::kModern2023}) {
    absl::StatusOr<std::string> p12 =
        EncodePkcs12Keystore(leaf.key, leaf.chain, leaf.cas, password, profile);
    ASSERT_TRUE(p12.ok()) << p12.status();
    WriteFileOrDie(dir.File("keystore.p12"), *p12);
    CommandResult info = OpensslInfo(dir, dir.File("keystore.p12"), profile, password);
    EXPECT_EQ(info.exit_code, 0) << ProfileLabel(profile) << "\n" << info.output;
    EXPECT_EQ(PemBlocks(info.output, "PRIVATE KEY").size(), 1u);
  }
}

TEST(Pkcs12KeystoreTest, RefusesWhatGoPkcs12Refuses) {
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kEcdsa);
  absl::StatusOr<std::string> no_chain =
      EncodePkcs12Keystore(leaf.key, {}, leaf.cas, kPassword, Pkcs12Profile::kLegacyRC2);
  EXPECT_EQ(no_chain.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::string> outside_bmp = EncodePkcs12Keystore(
      leaf.key, leaf.chain, leaf.cas, "emoji \xF0\x9F\x98\x80", Pkcs12Profile::kModern2023);
  EXPECT_EQ(outside_bmp.status().code(), absl::StatusCode::kInvalidArgument);
  absl::StatusOr<std::string> no_cas =
      EncodePkcs12Truststore({}, kPassword, Pkcs12Profile::kLegacyRC2);
  EXPECT_EQ(no_cas.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(Pkcs12TruststoreTest, OpensslReadsTrustedCasWithGoNames) {
  ScratchDir dir;
  std::vector<Certificate> cas = {Leaf(KeyAlgorithm::kEcdsa).cas[0], ExtraCas()[0]};
  for (const ProfileExpectations& p : Profiles()) {
    std::string label = ProfileLabel(p.profile);
    absl::StatusOr<std::string> p12 = EncodePkcs12Truststore(cas, kPassword, p.profile);
    ASSERT_TRUE(p12.ok()) << label << ": " << p12.status();
    WriteFileOrDie(dir.File("truststore.p12"), *p12);
    CommandResult info = OpensslInfo(dir, dir.File("truststore.p12"), p.profile, kPassword);
    ASSERT_EQ(info.exit_code, 0) << label << "\n" << info.output;
    std::vector<std::string> certificates = PemBlocks(info.output, "CERTIFICATE");
    ASSERT_EQ(certificates.size(), 2u) << label;
    EXPECT_EQ(certificates[0], *cas[0].ToPem()) << label;
    EXPECT_EQ(certificates[1], *cas[1].ToPem()) << label;
    EXPECT_TRUE(PemBlocks(info.output, "PRIVATE KEY").empty()) << label;
    EXPECT_EQ(LinesAfter(info.output, "friendlyName: "),
              std::vector<std::string>({"CN=Keystore Root CA", "CN=Extra CA One"}))
        << label << "\n"
        << info.output;
    // Oracle's trusted-key-usage attribute, which makes Java see trusted certificate entries.
    EXPECT_EQ(LinesAfter(info.output, "2.16.840.1.113894.746875.1.1: ").size(), 2u) << label << "\n"
                                                                                    << info.output;
    for (const std::string& line : p.info_lines) {
      if (line.rfind("Shrouded Keybag", 0) == 0) continue;  // no key here
      EXPECT_TRUE(Contains(info.output, line)) << label << ": no \"" << line << "\"";
    }

    CommandResult wrong = OpensslInfo(dir, dir.File("truststore.p12"), p.profile, "wrong");
    EXPECT_NE(wrong.exit_code, 0) << label << "\n" << wrong.output;
  }
}

// RC2 comes from a private library context: the process's default context gains no legacy
// algorithm, and the context is made once even when several threads need it first.
TEST(Pkcs12KeystoreTest, LegacyProviderStaysOutOfTheDefaultContext) {
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kEcdsa);
  std::vector<std::future<absl::StatusOr<std::string>>> runs;
  for (int i = 0; i < 4; ++i) {
    runs.push_back(std::async(std::launch::async, [&leaf] {
      return EncodePkcs12Keystore(leaf.key, leaf.chain, leaf.cas, kPassword,
                                  Pkcs12Profile::kLegacyRC2);
    }));
  }
  ScratchDir dir;
  for (auto& run : runs) {
    absl::StatusOr<std::string> p12 = run.get();
    ASSERT_TRUE(p12.ok()) << p12.status();
    WriteFileOrDie(dir.File("keystore.p12"), *p12);
    CommandResult info =
        OpensslInfo(dir, dir.File("keystore.p12"), Pkcs12Profile::kLegacyRC2, kPassword);
    EXPECT_EQ(info.exit_code, 0) << info.output;
  }
  EVP_CIPHER* rc2 = EVP_CIPHER_fetch(nullptr, "RC2-40-CBC", nullptr);
  EXPECT_EQ(rc2, nullptr) << "RC2 leaked into the default library context";
  EVP_CIPHER_free(rc2);
  ERR_clear_error();
}

// Java 17 reads what it supports (not PBMAC1, which needs Java 26).
TEST(Pkcs12KeytoolTest, JavaSeesAPrivateKeyEntryAndTrustedEntries) {
  ScratchDir dir;
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kRsa);
  absl::StatusOr<std::string> keystore =
      EncodePkcs12Keystore(leaf.key, leaf.chain, leaf.cas, kPassword, Pkcs12Profile::kLegacyRC2);
  absl::StatusOr<std::string> truststore =
      EncodePkcs12Truststore({leaf.cas[0], ExtraCas()[1]}, kPassword, Pkcs12Profile::kModern2023);
  ASSERT_TRUE(keystore.ok() && truststore.ok());
  WriteFileOrDie(dir.File("keystore.p12"), *keystore);
  WriteFileOrDie(dir.File("truststore.p12"), *truststore);

  CommandResult keys =
      RunCommand(Keytool("-list -v -storetype PKCS12 -keystore " + Quote(dir.File("keystore.p12")) +
                         " -storepass " + Quote(kPassword)));
  ASSERT_EQ(keys.exit_code, 0) << keys.output;
  EXPECT_EQ(LinesAfter(keys.output, "Entry type: "), std::vector<std::string>({"PrivateKeyEntry"}))
      << keys.output;
  EXPECT_EQ(LinesAfter(keys.output, "Certificate chain length: "), std::vector<std::string>({"3"}))
      << keys.output;

  CommandResult trust =
      RunCommand(Keytool("-list -v -storetype PKCS12 -keystore " +
                         Quote(dir.File("truststore.p12")) + " -storepass " + Quote(kPassword)));
  ASSERT_EQ(trust.exit_code, 0) << trust.output;
  EXPECT_EQ(LinesAfter(trust.output, "Entry type: "),
            std::vector<std::string>({"trustedCertEntry", "trustedCertEntry"}))
      << trust.output;
  std::vector<std::string> aliases = LinesAfter(trust.output, "Alias name: ");
  std::sort(aliases.begin(), aliases.end());
  EXPECT_EQ(aliases, std::vector<std::string>({"cn=extra ca two", "cn=keystore root ca"}))
      << trust.output;
}

}  // namespace
}  // namespace certforge::pki::test
