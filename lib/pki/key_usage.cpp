#include "lib/pki/key_usage.h"

#include <openssl/obj_mac.h>

#include <utility>

namespace certforge::pki {
namespace {

constexpr std::pair<ExtKeyUsage, int> kExtKeyUsageNids[] = {
    {ExtKeyUsage::kAny, NID_anyExtendedKeyUsage},
    {ExtKeyUsage::kServerAuth, NID_server_auth},
    {ExtKeyUsage::kClientAuth, NID_client_auth},
    {ExtKeyUsage::kCodeSigning, NID_code_sign},
    {ExtKeyUsage::kEmailProtection, NID_email_protect},
    {ExtKeyUsage::kIpsecEndSystem, NID_ipsecEndSystem},
    {ExtKeyUsage::kIpsecTunnel, NID_ipsecTunnel},
    {ExtKeyUsage::kIpsecUser, NID_ipsecUser},
    {ExtKeyUsage::kTimeStamping, NID_time_stamp},
    {ExtKeyUsage::kOcspSigning, NID_OCSP_sign},
    {ExtKeyUsage::kMicrosoftServerGatedCrypto, NID_ms_sgc},
    {ExtKeyUsage::kNetscapeServerGatedCrypto, NID_ns_sgc},
};

}  // namespace

int ExtKeyUsageNid(ExtKeyUsage usage) {
  for (const auto& [u, nid] : kExtKeyUsageNids) {
    if (u == usage) return nid;
  }
  return NID_undef;
}

std::optional<ExtKeyUsage> ExtKeyUsageFromNid(int nid) {
  for (const auto& [usage, n] : kExtKeyUsageNids) {
    if (n == nid) return usage;
  }
  return std::nullopt;
}

}  // namespace certforge::pki
