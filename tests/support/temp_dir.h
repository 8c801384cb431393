#pragma once
// A fresh directory under $TMPDIR (or /tmp), removed with everything in it on destruction.

#include <string>

namespace certforge::testing {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "certforge-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content);

}  // namespace certforge::testing
