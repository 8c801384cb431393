#pragma once
// apimachinery's field.Path rendering ("spec.items[0].labels[key]"), built in place in a buffer
// that each scope restores, so walking a document allocates little.

#include <string>
#include <string_view>

#include "absl/strings/str_cat.h"

namespace certforge::kube {

class FieldPathScope {
 public:
  enum class Step { kChild, kIndex, kKey };

  FieldPathScope(std::string& path, std::string_view name, Step step = Step::kChild)
      : path_(path), size_(path.size()) {
    if (step == Step::kKey) {
      path_ += '[';
      path_.append(name);
      path_ += ']';
    } else {
      if (!path_.empty()) path_ += '.';
      path_.append(name);
    }
  }
  FieldPathScope(std::string& path, size_t index) : path_(path), size_(path.size()) {
    absl::StrAppend(&path_, "[", index, "]");
  }
  ~FieldPathScope() { path_.resize(size_); }
  FieldPathScope(const FieldPathScope&) = delete;
  FieldPathScope& operator=(const FieldPathScope&) = delete;

 private:
  std::string& path_;
  size_t size_;
};

// A nil field.Path prints as "<nil>".
inline std::string FieldPathString(const std::string& path) {
  return path.empty() ? std::string("<nil>") : path;
}

}  // namespace certforge::kube
