#include "tests/unit/pki_keystore/keystore_test_util.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <array>
#include <chrono>
#include <map>

#include "lib/pki/certificate_builder.h"

namespace certforge::pki::test {
namespace {

Certificate Sign(CertificateBuilder builder, const std::string& common_name, const Certificate& ca,
                 const PrivateKey& ca_key, const PrivateKey& key) {
  auto now = std::chrono::system_clock::now();
  builder.SetCommonName(common_name)
      .SetOrganizations({"certforge tests"})
      .SetValidity(now - std::chrono::hours(1), now + std::chrono::days(30));
  absl::StatusOr<Certificate> certificate = builder.SignWith(ca, ca_key, key);
  if (!certificate.ok()) {
    ADD_FAILURE() << certificate.status();
    std::abort();
  }
  return *std::move(certificate);
}

struct Hierarchy {
  Certificate root;
  Certificate intermediate;
  PrivateKey intermediate_key;
};

const Hierarchy& GetHierarchy() {
  static const Hierarchy hierarchy = [] {
    const PrivateKey& root_key = CachedKey(KeyAlgorithm::kEcdsa, 256);
    Certificate root = MakeCa(root_key, "Keystore Root CA");
    PrivateKey intermediate_key = NewKey(KeyAlgorithm::kEcdsa, 256);
    CertificateBuilder builder;
    builder.SetIsCa(true).SetKeyUsages({KeyUsage::kKeyCertSign, KeyUsage::kCrlSign});
    Certificate intermediate =
        Sign(builder, "Keystore Intermediate CA", root, root_key, intermediate_key);
    return Hierarchy{root, intermediate, intermediate_key};
  }();
  return hierarchy;
}

}  // namespace

const IssuedLeaf& Leaf(KeyAlgorithm algorithm) {
  static std::map<KeyAlgorithm, IssuedLeaf> leaves;
  auto it = leaves.find(algorithm);
  if (it != leaves.end()) return it->second;
  const Hierarchy& h = GetHierarchy();
  int size = algorithm == KeyAlgorithm::kRsa ? 2048 : (algorithm == KeyAlgorithm::kEcdsa ? 256 : 0);
  PrivateKey key = CachedKey(algorithm, size);
  CertificateBuilder builder;
  builder.SetDnsNames({"app.example.com"})
      .SetKeyUsages({KeyUsage::kDigitalSignature})
      .SetExtKeyUsages({ExtKeyUsage::kServerAuth});
  std::string name = "leaf-" + std::string(KeyAlgorithmName(algorithm));
  Certificate leaf = Sign(builder, name, h.intermediate, h.intermediate_key, key);
  return leaves.emplace(algorithm, IssuedLeaf{key, {leaf, h.intermediate}, {h.root}}).first->second;
}

const std::vector<Certificate>& ExtraCas() {
  static const std::vector<Certificate> cas = {
      MakeCa(CachedKey(KeyAlgorithm::kEcdsa, 256), "Extra CA One"),
      MakeCa(CachedKey(KeyAlgorithm::kEcdsa, 256), "Extra CA Two"),
  };
  return cas;
}

std::vector<std::string> PemBlocks(const std::string& text, const std::string& type) {
  std::vector<std::string> blocks;
  const std::string begin = "-----BEGIN " + type + "-----";
  const std::string end = "-----END " + type + "-----";
  size_t at = 0;
  while ((at = text.find(begin, at)) != std::string::npos) {
    size_t stop = text.find(end, at);
    if (stop == std::string::npos) break;
    stop += end.size();
    blocks.push_back(text.substr(at, stop - at) + "\n");
    at = stop;
  }
  return blocks;
}

std::vector<std::string> LinesAfter(const std::string& text, const std::string& prefix) {
  std::vector<std::string> values;
  size_t start = 0;
  while (start < text.size()) {
    size_t stop = text.find('\n', start);
    if (stop == std::string::npos) stop = text.size();
    std::string line = text.substr(start, stop - start);
    size_t first = line.find_first_not_of(' ');
    if (first != std::string::npos && line.compare(first, prefix.size(), prefix) == 0) {
      std::string value = line.substr(first + prefix.size());
      value.erase(value.find_last_not_of(" \t\r") + 1);
      values.push_back(value);
    }
    start = stop + 1;
  }
  return values;
}

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 0x0F];
  }
  return out;
}

std::string Sha1(const std::string& bytes) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  EXPECT_EQ(EVP_Digest(bytes.data(), bytes.size(), digest.data(), &length, EVP_sha1(), nullptr), 1);
  return std::string(reinterpret_cast<const char*>(digest.data()), length);
}

std::string Keytool(const std::string& arguments) {
  return "TZ=UTC keytool -J-XX:TieredStopAtLevel=1 -J-XX:+UseSerialGC -J-Duser.language=en "
         "-J-Duser.country=US " +
         arguments;
}

std::string Quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

}  // namespace certforge::pki::test
