#include "services/controller/controller_context.h"

#include "lib/kube/json_fields.h"
#include "services/controller/resources.h"

namespace certforge::controller {

std::pair<std::string, std::string> SplitKey(const std::string& key) {
  auto slash = key.find('/');
  if (slash == std::string::npos) return {"", key};
  return {key.substr(0, slash), key.substr(slash + 1)};
}

std::string NamespaceOf(const nlohmann::json& object) {
  return kube::ObjectAt(object, "metadata").value("namespace", "");
}

std::shared_ptr<const nlohmann::json> ControllerContext::Certificate(const std::string& key) const {
  if (status) {
    if (auto latest = status->Latest(kCertificates, key)) return latest;
  }
  return certificates->Get(key);
}

std::string IssuerKey(const nlohmann::json& ref, const std::string& ns) {
  std::string kind = ref.value("kind", "");
  if (kind.empty()) kind = "Issuer";
  std::string name = ref.value("name", "");
  return kind == "ClusterIssuer" ? "ClusterIssuer//" + name : kind + "/" + ns + "/" + name;
}

}  // namespace certforge::controller
