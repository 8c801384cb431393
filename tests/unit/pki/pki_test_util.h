#pragma once
// Shared helpers for lib/pki's tests: cached keys (RSA generation is slow), a CA maker, a scratch
// folder, and running the openssl command line.

#include <string>
#include <vector>

#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"

namespace certforge::pki::test {

// One key per (algorithm, size) for the whole test binary.
const PrivateKey& CachedKey(KeyAlgorithm algorithm, int size);
// A fresh key (not cached), for "another key" cases.
PrivateKey NewKey(KeyAlgorithm algorithm, int size);

// A self-signed CA for `key`, valid from an hour ago for a year; fails the test on error.
Certificate MakeCa(const PrivateKey& key, const std::string& common_name);

// True when X509_verify_cert accepts `leaf` with `root` trusted and `intermediates` untrusted;
// `error` gets X509_STORE_CTX_get_error.
bool VerifyChain(const Certificate& leaf, const Certificate& root,
                 const std::vector<Certificate>& intermediates = {}, int* error = nullptr);

struct CommandResult {
  int exit_code;
  std::string output;  // stdout and stderr
};
CommandResult RunCommand(const std::string& command);

// A folder under the test temp dir, removed with everything in it when destroyed.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFileOrDie(const std::string& path);
void WriteFileOrDie(const std::string& path, const std::string& contents);

}  // namespace certforge::pki::test
