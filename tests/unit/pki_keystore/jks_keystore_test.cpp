// keystore.jks / truststore.jks: the format read back byte by byte (integrity hash, Sun's key
// protector), then by Java 17's keytool: entries, chain, dates, wrong password, and a conversion
// to PKCS#12 whose key must be the original.

#include "lib/pki/jks_keystore.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "lib/pki/openssl_ptr.h"
#include "tests/unit/pki_keystore/keystore_test_util.h"

namespace certforge::pki::test {
namespace {

using std::chrono::system_clock;

constexpr char kPassword[] = "changeit";
// 2021-03-04T12:00:00.123Z
const system_clock::time_point kCreated =
    system_clock::time_point(std::chrono::milliseconds(1614859200123));

// A reader for the JKS stream, independent of the encoder.
class JksReader {
 public:
  explicit JksReader(std::string data) : data_(std::move(data)) {}
  uint64_t Int(int width) {
    uint64_t v = 0;
    for (int i = 0; i < width; ++i) v = (v << 8) | static_cast<unsigned char>(Take(1)[0]);
    return v;
  }
  std::string Take(size_t n) {
    if (at_ + n > data_.size()) {
      ADD_FAILURE() << "JKS stream too short";
      at_ = data_.size();
      return std::string(n, '\0');
    }
    std::string out = data_.substr(at_, n);
    at_ += n;
    return out;
  }
  std::string ShortString() { return Take(Int(2)); }
  std::string LongBytes() { return Take(Int(4)); }
  size_t at() const { return at_; }
  const std::string& data() const { return data_; }

 private:
  std::string data_;
  size_t at_ = 0;
};

struct JksEntry {
  uint32_t tag = 0;
  std::string alias;
  uint64_t created_ms = 0;
  std::string protected_key;              // tag 1
  std::vector<std::string> certificates;  // DER
};

std::string WidePassword(const std::string& password) {
  std::string out;
  for (char c : password) {
    out += '\0';
    out += c;
  }
  return out;
}

// Parses the stream and checks magic, version and the integrity hash under `password`.
std::vector<JksEntry> ReadJks(const std::string& data, const std::string& password) {
  JksReader r(data);
  EXPECT_EQ(r.Int(4), 0xFEEDFEEDu);
  EXPECT_EQ(r.Int(4), 2u);
  uint64_t count = r.Int(4);
  std::vector<JksEntry> entries;
  for (uint64_t i = 0; i < count; ++i) {
    JksEntry e;
    e.tag = static_cast<uint32_t>(r.Int(4));
    e.alias = r.ShortString();
    e.created_ms = r.Int(8);
    size_t certificates = 1;
    if (e.tag == 1) {
      e.protected_key = r.LongBytes();
      certificates = r.Int(4);
    }
    for (size_t c = 0; c < certificates; ++c) {
      EXPECT_EQ(r.ShortString(), "X509");
      e.certificates.push_back(r.LongBytes());
    }
    entries.push_back(e);
  }
  std::string body = data.substr(0, r.at());
  EXPECT_EQ(r.Take(20), Sha1(WidePassword(password) + "Mighty Aphrodite" + body));
  EXPECT_EQ(r.at(), data.size()) << "trailing bytes";
  return entries;
}

// Undoes Sun's KeyProtector: returns the PKCS#8 DER, or "" when the check digest fails.
std::string UnprotectKey(const std::string& encrypted_info, const std::string& password) {
  const auto* p = reinterpret_cast<const unsigned char*>(encrypted_info.data());
  std::unique_ptr<X509_SIG, OpenSslDeleter<&X509_SIG_free>> sig(
      d2i_X509_SIG(nullptr, &p, static_cast<long>(encrypted_info.size())));
  if (!sig) return "";
  const X509_ALGOR* algorithm = nullptr;
  const ASN1_OCTET_STRING* digest = nullptr;
  X509_SIG_get0(sig.get(), &algorithm, &digest);
  std::array<char, 64> oid{};
  OBJ_obj2txt(oid.data(), static_cast<int>(oid.size()), algorithm->algorithm, 1);
  EXPECT_STREQ(oid.data(), "1.3.6.1.4.1.42.2.17.1.1");
  std::string blob(Asn1Bytes(digest));
  std::string wide = WidePassword(password);
  std::string salt = blob.substr(0, 20);
  std::string cipher = blob.substr(20, blob.size() - 40);
  std::string check = blob.substr(blob.size() - 20);
  std::string plain;
  std::string block = salt;
  for (size_t i = 0; i < cipher.size(); ++i) {
    if (i % 20 == 0) block = Sha1(wide + block);
    plain += static_cast<char>(cipher[i] ^ block[i % 20]);
  }
  return Sha1(wide + plain) == check ? plain : "";
}

std::string Pkcs8PemOf(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  EvpPkeyPtr key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
  if (!key) return "(unreadable key)";
  absl::StatusOr<PrivateKey> parsed = PrivateKey::FromEvpPkey(std::move(key));
  return parsed.ok() ? *parsed->ToPkcs8Pem() : parsed.status().ToString();
}

// keytool -list -v output split into one text per alias.
std::map<std::string, std::string> BlocksByAlias(const std::string& output) {
  std::map<std::string, std::string> blocks;
  const std::string marker = "Alias name: ";
  size_t at = output.find(marker);
  while (at != std::string::npos) {
    size_t next = output.find(marker, at + marker.size());
    std::string block =
        output.substr(at, next == std::string::npos ? std::string::npos : next - at);
    std::vector<std::string> alias = LinesAfter(block, marker);
    if (!alias.empty()) blocks[alias[0]] = block;
    at = next;
  }
  return blocks;
}

TEST(JksKeystoreTest, LayoutKeyAndIntegrityHash) {
  for (KeyAlgorithm algorithm :
       {KeyAlgorithm::kRsa, KeyAlgorithm::kEcdsa, KeyAlgorithm::kEd25519}) {
    const IssuedLeaf& leaf = Leaf(algorithm);
    std::vector<Certificate> cas = {leaf.cas[0], ExtraCas()[0], ExtraCas()[1]};
    absl::StatusOr<std::string> jks =
        EncodeJksKeystore(leaf.key, leaf.chain, cas, kPassword, "certificate", kCreated);
    ASSERT_TRUE(jks.ok()) << jks.status();
    std::vector<JksEntry> entries = ReadJks(*jks, kPassword);
    ASSERT_EQ(entries.size(), 4u);
    EXPECT_EQ(entries[0].tag, 1u);
    EXPECT_EQ(entries[0].alias, "certificate");
    EXPECT_EQ(entries[0].created_ms, 1614859200123u);
    ASSERT_EQ(entries[0].certificates.size(), 2u);
    EXPECT_EQ(entries[0].certificates[0], leaf.chain[0].ToDer());
    EXPECT_EQ(entries[0].certificates[1], leaf.chain[1].ToDer());
    std::string plain = UnprotectKey(entries[0].protected_key, kPassword);
    EXPECT_EQ(Pkcs8PemOf(plain), *leaf.key.ToPkcs8Pem()) << KeyAlgorithmName(algorithm);
    EXPECT_EQ(UnprotectKey(entries[0].protected_key, "changeiT"), "");
    const std::vector<std::string> aliases = {"ca", "ca-1", "ca-2"};
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_EQ(entries[i + 1].tag, 2u);
      EXPECT_EQ(entries[i + 1].alias, aliases[i]);
      EXPECT_EQ(entries[i + 1].created_ms, 1614859200123u);
      EXPECT_EQ(entries[i + 1].certificates, std::vector<std::string>({cas[i].ToDer()}));
    }
  }
}

TEST(JksKeystoreTest, AliasesFollowKeystoreGo) {
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kEcdsa);
  // Lower-cased, as keystore-go stores every alias.
  absl::StatusOr<std::string> mixed =
      EncodeJksKeystore(leaf.key, leaf.chain, {}, kPassword, "My-Key", kCreated);
  ASSERT_TRUE(mixed.ok());
  std::vector<JksEntry> entries = ReadJks(*mixed, kPassword);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].alias, "my-key");
  // An alias that equals a CA's replaces the key entry, as in cert-manager (a map keyed by
  // alias).
  absl::StatusOr<std::string> clash =
      EncodeJksKeystore(leaf.key, leaf.chain, leaf.cas, kPassword, "CA", kCreated);
  ASSERT_TRUE(clash.ok());
  entries = ReadJks(*clash, kPassword);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].tag, 2u);
  // Empty inputs.
  EXPECT_EQ(EncodeJksKeystore(leaf.key, {}, {}, kPassword, "a", kCreated).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeJksTruststore({}, kPassword, kCreated).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(
      EncodeJksKeystore(leaf.key, leaf.chain, {}, kPassword, std::string(70000, 'a'), kCreated)
          .status()
          .code(),
      absl::StatusCode::kInvalidArgument);
}

TEST(JksKeystoreTest, PasswordBytesAreWidenedOneByOne) {
  // keystore-go widens each byte, so a UTF-8 password hashes as its bytes, not its characters.
  const std::string password = "p\xC3\xA4ss";
  absl::StatusOr<std::string> jks =
      EncodeJksTruststore(Leaf(KeyAlgorithm::kEcdsa).cas, password, kCreated);
  ASSERT_TRUE(jks.ok());
  std::vector<JksEntry> entries = ReadJks(*jks, password);  // checks the hash
  ASSERT_EQ(entries.size(), 1u);
}

TEST(JksKeytoolTest, KeytoolListsKeyEntryChainAndCas) {
  ScratchDir dir;
  const IssuedLeaf& leaf = Leaf(KeyAlgorithm::kRsa);
  absl::StatusOr<std::string> jks = EncodeJksKeystore(
      leaf.key, leaf.chain, {leaf.cas[0], ExtraCas()[0]}, kPassword, "certificate", kCreated);
  ASSERT_TRUE(jks.ok()) << jks.status();
  WriteFileOrDie(dir.File("keystore.jks"), *jks);
  CommandResult list =
      RunCommand(Keytool("-list -v -storetype JKS -keystore " + Quote(dir.File("keystore.jks")) +
                         " -storepass " + Quote(kPassword)));
  ASSERT_EQ(list.exit_code, 0) << list.output;
  // keytool lists entries in hash table order.
  std::map<std::string, std::string> blocks = BlocksByAlias(list.output);
  ASSERT_EQ(blocks.size(), 3u) << list.output;
  const std::string& key_entry = blocks["certificate"];
  EXPECT_EQ(LinesAfter(key_entry, "Entry type: "), std::vector<std::string>({"PrivateKeyEntry"}));
  EXPECT_EQ(LinesAfter(key_entry, "Certificate chain length: "), std::vector<std::string>({"2"}));
  EXPECT_EQ(LinesAfter(key_entry, "Owner: "),
            std::vector<std::string>({"CN=leaf-RSA, O=certforge tests",
                                      "CN=Keystore Intermediate CA, O=certforge tests"}));
  const std::vector<std::pair<std::string, std::string>> cas = {{"ca", "CN=Keystore Root CA"},
                                                                {"ca-1", "CN=Extra CA One"}};
  for (const auto& [alias, owner] : cas) {
    EXPECT_EQ(LinesAfter(blocks[alias], "Entry type: "),
              std::vector<std::string>({"trustedCertEntry"}))
        << alias;
    EXPECT_EQ(LinesAfter(blocks[alias], "Owner: "), std::vector<std::string>({owner})) << alias;
  }
  EXPECT_EQ(LinesAfter(list.output, "Creation date: "), std::vector<std::string>(3, "Mar 4, 2021"));

  CommandResult wrong = RunCommand(Keytool("-list -storetype JKS -keystore " +
                                           Quote(dir.File("keystore.jks")) + " -storepass wrong1"));
  EXPECT_NE(wrong.exit_code, 0) << wrong.output;
  EXPECT_NE(wrong.output.find("password was incorrect"), std::string::npos) << wrong.output;
}

TEST(JksKeytoolTest, KeytoolListsTruststore) {
  ScratchDir dir;
  absl::StatusOr<std::string> jks =
      EncodeJksTruststore({Leaf(KeyAlgorithm::kEcdsa).cas[0]}, kPassword, kCreated);
  ASSERT_TRUE(jks.ok()) << jks.status();
  WriteFileOrDie(dir.File("truststore.jks"), *jks);
  CommandResult list =
      RunCommand(Keytool("-list -v -storetype JKS -keystore " + Quote(dir.File("truststore.jks")) +
                         " -storepass " + Quote(kPassword)));
  ASSERT_EQ(list.exit_code, 0) << list.output;
  EXPECT_EQ(LinesAfter(list.output, "Alias name: "), std::vector<std::string>({"ca"}));
  EXPECT_EQ(LinesAfter(list.output, "Entry type: "),
            std::vector<std::string>({"trustedCertEntry"}));
}

// keytool -importkeystore must decrypt the key entry; the key that comes out is the original.
TEST(JksKeytoolTest, KeytoolConvertsToPkcs12WithTheSameKey) {
  ScratchDir dir;
  const std::vector<KeyAlgorithm> algorithms = {KeyAlgorithm::kRsa, KeyAlgorithm::kEcdsa,
                                                KeyAlgorithm::kEd25519};
  WriteFileOrDie(dir.File("pass"), std::string(kPassword) + "\n");
  std::vector<std::future<CommandResult>> runs;
  for (KeyAlgorithm algorithm : algorithms) {
    const IssuedLeaf& leaf = Leaf(algorithm);
    absl::StatusOr<std::string> jks =
        EncodeJksKeystore(leaf.key, leaf.chain, leaf.cas, kPassword, "certificate", kCreated);
    ASSERT_TRUE(jks.ok()) << jks.status();
    std::string name = std::string(KeyAlgorithmName(algorithm));
    std::string in = dir.File(name + ".jks");
    std::string out = dir.File(name + ".p12");
    WriteFileOrDie(in, *jks);
    std::string command =
        Keytool("-importkeystore -noprompt -srcstoretype JKS -srckeystore " + Quote(in) +
                " -srcstorepass " + Quote(kPassword) + " -srcalias certificate" +
                " -deststoretype PKCS12 -destkeystore " + Quote(out) + " -deststorepass " +
                Quote(kPassword)) +
        " && openssl pkcs12 -legacy -nodes -nocerts -in " + Quote(out) +
        " -passin file:" + Quote(dir.File("pass"));
    // The JVMs start in parallel: each spends most of its time starting up.
    runs.push_back(std::async(std::launch::async, [command] { return RunCommand(command); }));
  }
  for (size_t i = 0; i < algorithms.size(); ++i) {
    CommandResult result = runs[i].get();
    std::string name = std::string(KeyAlgorithmName(algorithms[i]));
    ASSERT_EQ(result.exit_code, 0) << name << "\n" << result.output;
    std::vector<std::string> keys = PemBlocks(result.output, "PRIVATE KEY");
    ASSERT_EQ(keys.size(), 1u) << name << "\n" << result.output;
    absl::StatusOr<PrivateKey> converted = PrivateKey::FromPem(keys[0]);
    ASSERT_TRUE(converted.ok()) << name << ": " << converted.status();
    EXPECT_EQ(*converted->ToPkcs8Pem(), *Leaf(algorithms[i]).key.ToPkcs8Pem()) << name;
  }
}

}  // namespace
}  // namespace certforge::pki::test
