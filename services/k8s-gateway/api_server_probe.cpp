#include "services/k8s-gateway/api_server_probe.h"

namespace certforge::k8sgw {
namespace {

int64_t NowNs() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ApiServerProbe::ApiServerProbe(KubeRestClient& client, std::chrono::seconds fresh_for)
    : client_(client), fresh_for_(fresh_for) {}

void ApiServerProbe::MarkAnswered() { answered_at_ns_.store(NowNs()); }

std::string ApiServerProbe::NotReadyReason() {
  int64_t at = answered_at_ns_.load();
  if (at != 0 && NowNs() - at < std::chrono::nanoseconds(fresh_for_).count()) return "";
  auto version = client_.Version(std::chrono::seconds(2));
  if (!version.ok())
    return "the API server does not answer: " + std::string(version.status().message());
  MarkAnswered();
  return "";
}

}  // namespace certforge::k8sgw
