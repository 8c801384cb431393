#include "lib/obs/ready_file.h"

#include <cstdio>
#include <fstream>

namespace certforge::obs {

absl::Status WriteReadyFile(const std::string& path, const nlohmann::json& content) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << content.dump() << "\n";
    out.flush();
    if (!out) return absl::InternalError("cannot write " + temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return absl::InternalError("cannot rename " + temp + " to " + path);
  }
  return absl::OkStatus();
}

}  // namespace certforge::obs
