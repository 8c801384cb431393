#include "tests/unit/pki/pki_test_util.h"

#include <gtest/gtest.h>
#include <openssl/crypto.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <utility>

#include "lib/core/random.h"
#include "lib/pki/certificate_builder.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki::test {

const PrivateKey& CachedKey(KeyAlgorithm algorithm, int size) {
  // OpenSSL is initialised first so that its atexit cleanup runs after the map is destroyed.
  static const bool openssl_ready = OPENSSL_init_crypto(0, nullptr) == 1;
  static std::map<std::pair<KeyAlgorithm, int>, PrivateKey> keys;
  EXPECT_TRUE(openssl_ready);
  auto id = std::make_pair(algorithm, size);
  auto it = keys.find(id);
  if (it == keys.end()) it = keys.emplace(id, NewKey(algorithm, size)).first;
  return it->second;
}

PrivateKey NewKey(KeyAlgorithm algorithm, int size) {
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(algorithm, size);
  if (!key.ok()) {
    ADD_FAILURE() << key.status();
    std::abort();
  }
  return *std::move(key);
}

Certificate MakeCa(const PrivateKey& key, const std::string& common_name) {
  auto now = std::chrono::system_clock::now();
  absl::StatusOr<Certificate> ca =
      CertificateBuilder()
          .SetCommonName(common_name)
          .SetValidity(now - std::chrono::hours(1), now + std::chrono::days(365))
          .SetIsCa(true)
          .SetKeyUsages({KeyUsage::kKeyCertSign, KeyUsage::kCrlSign})
          .SignSelf(key);
  if (!ca.ok()) {
    ADD_FAILURE() << ca.status();
    std::abort();
  }
  return *std::move(ca);
}

bool VerifyChain(const Certificate& leaf, const Certificate& root,
                 const std::vector<Certificate>& intermediates, int* error) {
  X509StorePtr store(X509_STORE_new());
  X509StackPtr untrusted(sk_X509_new_null());
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx || X509_STORE_add_cert(store.get(), root.get()) != 1) {
    ADD_FAILURE() << "setting up verification: " << OpenSslErrors();
    return false;
  }
  for (const Certificate& c : intermediates) {
    X509_up_ref(c.get());
    sk_X509_push(untrusted.get(), c.get());
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), untrusted.get()) != 1) {
    ADD_FAILURE() << "X509_STORE_CTX_init: " << OpenSslErrors();
    return false;
  }
  bool ok = X509_verify_cert(ctx.get()) == 1;
  if (error != nullptr) *error = X509_STORE_CTX_get_error(ctx.get());
  OpenSslErrors();
  return ok;
}

CommandResult RunCommand(const std::string& command) {
  CommandResult result{-1, ""};
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
  int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

ScratchDir::ScratchDir()
    : path_(
          (std::filesystem::path(::testing::TempDir()) / ("pki-" + core::RandomHex(6))).string()) {
  std::filesystem::create_directories(path_);
}

ScratchDir::~ScratchDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void WriteFileOrDie(const std::string& path, const std::string& contents) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << contents;
  EXPECT_TRUE(out.good()) << "cannot write " << path;
}

}  // namespace certforge::pki::test
