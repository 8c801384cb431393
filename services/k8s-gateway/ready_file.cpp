#include "services/k8s-gateway/ready_file.h"

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>

namespace certforge::k8sgw {

absl::Status WriteReadyFile(const std::string& path, int grpc_port, int healthz_port) {
  std::string temp = path + ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out << nlohmann::json{{"grpc_port", grpc_port}, {"healthz_port", healthz_port}}.dump() << "\n";
    out.flush();
    if (!out) return absl::InternalError("cannot write " + temp);
  }
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    std::remove(temp.c_str());
    return absl::InternalError("cannot rename " + temp + " to " + path);
  }
  return absl::OkStatus();
}

}  // namespace certforge::k8sgw
