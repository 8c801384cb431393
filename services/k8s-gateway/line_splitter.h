#pragma once
// Splits a byte stream into newline-terminated lines (a watch is one JSON event per line),
// across chunk boundaries. Blank lines are skipped.

#include <functional>
#include <string>
#include <string_view>

namespace certforge::k8sgw {

class LineSplitter {
 public:
  // Calls `on_line` for every complete line in `chunk` (without the "\n" or a trailing "\r").
  // Returns false as soon as `on_line` does.
  bool Feed(std::string_view chunk, const std::function<bool(std::string_view)>& on_line);
  // What is left after the last newline (an unterminated final line).
  const std::string& pending() const { return pending_; }

 private:
  std::string pending_;
};

}  // namespace certforge::k8sgw
