#include "services/k8s-gateway/line_splitter.h"

namespace certforge::k8sgw {

bool LineSplitter::Feed(std::string_view chunk,
                        const std::function<bool(std::string_view)>& on_line) {
  while (!chunk.empty()) {
    size_t newline = chunk.find('\n');
    if (newline == std::string_view::npos) {
      pending_.append(chunk);
      return true;
    }
    pending_.append(chunk.substr(0, newline));
    chunk.remove_prefix(newline + 1);
    std::string line = std::move(pending_);
    pending_.clear();
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    if (!on_line(line)) return false;
  }
  return true;
}

}  // namespace certforge::k8sgw
