#include "bench/issuance/issuance_check.h"

#include <openssl/obj_mac.h>

#include <map>

#include "lib/core/base64.h"
#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"

namespace certforge::bench {
namespace {

using nlohmann::json;

const kube::GroupVersionResource kRequests{"cert-manager.io", "v1", "certificaterequests"};
const kube::GroupVersionResource kSecrets{"", "v1", "secrets"};

std::string Data(const json& secret, const std::string& key) {
  const json data = secret.value("data", json::object());
  if (!data.contains(key) || !data[key].is_string()) return "";
  auto decoded = core::Base64Decode(data[key].get<std::string>());
  return decoded.ok() ? *decoded : "";
}

}  // namespace

absl::StatusOr<IssuanceCheck> CheckIssuance(kube::GatewayClient& client, const std::string& ns,
                                            const std::vector<std::string>& secret_names,
                                            const std::string& ca_pem) {
  auto ca = pki::Certificate::FromPem(ca_pem);
  if (!ca.ok()) return ca.status();
  IssuanceCheck check;
  auto requests = client.List(kRequests, ns);
  if (!requests.ok()) return requests.status();
  check.requests = static_cast<int>((*requests)["items"].size());

  auto secrets = client.List(kSecrets, ns);
  if (!secrets.ok()) return secrets.status();
  std::map<std::string, const json*> by_name;
  for (const auto& secret : (*secrets)["items"]) {
    const json& meta = secret["metadata"];
    by_name[meta.value("name", "")] = &secret;
    if (meta.value("labels", json::object()).value("cert-manager.io/next-private-key", "") ==
        "true") {
      ++check.leftover_key_secrets;
    }
  }
  for (const auto& name : secret_names) {
    auto it = by_name.find(name);
    std::string chain = it == by_name.end() ? "" : Data(*it->second, "tls.crt");
    std::string key_pem = it == by_name.end() ? "" : Data(*it->second, "tls.key");
    if (chain.empty() || key_pem.empty()) {
      ++check.missing_secrets;
      continue;
    }
    ++check.secrets_checked;
    auto leaf = pki::Certificate::FromPem(chain);
    auto key = pki::PrivateKey::FromPem(key_pem);
    if (!leaf.ok() || !key.ok() || !leaf->MatchesKey(*key)) {
      ++check.key_mismatches;
      continue;
    }
    if (key->algorithm() != pki::KeyAlgorithm::kEcdsa || key->curve_nid() != NID_X9_62_prime256v1) {
      ++check.wrong_key_type;
    }
    if (!leaf->IsSignedBy(*ca)) ++check.not_signed_by_ca;
  }
  return check;
}

}  // namespace certforge::bench
