#include "lib/pki/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace certforge::pki {
namespace {

absl::Status ErrnoError(absl::string_view what, const std::string& path) {
  int error = errno;
  std::string message = absl::StrCat(what, " ", path, ": ", std::strerror(error));
  return error == ENOENT ? absl::NotFoundError(message) : absl::InternalError(message);
}

// Closes the descriptor and, unless released, removes the temporary file.
class TempFile {
 public:
  explicit TempFile(std::string path_template) : path_(std::move(path_template)) {
    std::vector<char> name(path_.begin(), path_.end());
    name.push_back('\0');
    fd_ = mkstemp(name.data());
    if (fd_ >= 0) path_ = name.data();
  }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  ~TempFile() {
    if (fd_ >= 0) close(fd_);
    if (!kept_) unlink(path_.c_str());
  }
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  void Keep() { kept_ = true; }

 private:
  std::string path_;
  int fd_ = -1;
  bool kept_ = false;
};

}  // namespace

absl::StatusOr<std::string> ReadFileContents(const std::string& path) {
  int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoError("cannot open", path);
  std::string contents;
  char buffer[16384];
  while (true) {
    ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      absl::Status error = ErrnoError("cannot read", path);
      close(fd);
      return error;
    }
    if (n == 0) break;
    contents.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return contents;
}

absl::Status WriteFileAtomically(const std::string& path, std::string_view contents, mode_t mode) {
  TempFile temp(path + ".tmp.XXXXXX");  // mkstemp creates it 0600
  if (temp.fd() < 0) return ErrnoError("cannot create a file beside", path);
  if (fchmod(temp.fd(), mode) != 0) return ErrnoError("cannot set permissions of", temp.path());
  size_t written = 0;
  while (written < contents.size()) {
    ssize_t n = write(temp.fd(), contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return ErrnoError("cannot write", temp.path());
    written += static_cast<size_t>(n);
  }
  if (fsync(temp.fd()) != 0) return ErrnoError("cannot sync", temp.path());
  if (rename(temp.path().c_str(), path.c_str()) != 0) return ErrnoError("cannot replace", path);
  temp.Keep();
  return absl::OkStatus();
}

}  // namespace certforge::pki
