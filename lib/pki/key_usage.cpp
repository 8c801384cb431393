#include "lib/pki/key_usage.h"

#include <openssl/obj_mac.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_join.h"

namespace certforge::pki {
namespace {

constexpr std::pair<std::string_view, KeyUsage> kKeyUsageNames[] = {
    {"digital signature", KeyUsage::kDigitalSignature},
    {"signing", KeyUsage::kDigitalSignature},
    {"content commitment", KeyUsage::kContentCommitment},
    {"key encipherment", KeyUsage::kKeyEncipherment},
    {"key agreement", KeyUsage::kKeyAgreement},
    {"data encipherment", KeyUsage::kDataEncipherment},
    {"cert sign", KeyUsage::kKeyCertSign},
    {"crl sign", KeyUsage::kCrlSign},
    {"encipher only", KeyUsage::kEncipherOnly},
    {"decipher only", KeyUsage::kDecipherOnly},
};

constexpr std::pair<std::string_view, ExtKeyUsage> kExtKeyUsageNames[] = {
    {"any", ExtKeyUsage::kAny},
    {"server auth", ExtKeyUsage::kServerAuth},
    {"client auth", ExtKeyUsage::kClientAuth},
    {"code signing", ExtKeyUsage::kCodeSigning},
    {"email protection", ExtKeyUsage::kEmailProtection},
    {"s/mime", ExtKeyUsage::kEmailProtection},
    {"ipsec end system", ExtKeyUsage::kIpsecEndSystem},
    {"ipsec tunnel", ExtKeyUsage::kIpsecTunnel},
    {"ipsec user", ExtKeyUsage::kIpsecUser},
    {"timestamping", ExtKeyUsage::kTimeStamping},
    {"ocsp signing", ExtKeyUsage::kOcspSigning},
    {"microsoft sgc", ExtKeyUsage::kMicrosoftServerGatedCrypto},
    {"netscape sgc", ExtKeyUsage::kNetscapeServerGatedCrypto},
};

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

std::optional<KeyUsage> KeyUsageFromName(std::string_view name) {
  for (const auto& [n, usage] : kKeyUsageNames) {
    if (n == name) return usage;
  }
  return std::nullopt;
}

std::optional<ExtKeyUsage> ExtKeyUsageFromName(std::string_view name) {
  for (const auto& [n, usage] : kExtKeyUsageNames) {
    if (n == name) return usage;
  }
  return std::nullopt;
}

// The first name listed for each usage is the canonical one (aliases come after it).
std::string_view KeyUsageName(KeyUsage usage) {
  for (const auto& [name, u] : kKeyUsageNames) {
    if (u == usage) return name;
  }
  return "unknown";
}

std::string_view ExtKeyUsageName(ExtKeyUsage usage) {
  for (const auto& [name, u] : kExtKeyUsageNames) {
    if (u == usage) return name;
  }
  return "unknown";
}

const std::vector<std::string>& DefaultUsageNames() {
  static const std::vector<std::string> kDefault = {"digital signature", "key encipherment"};
  return kDefault;
}

absl::StatusOr<Usages> UsagesFromNames(const std::vector<std::string>& names, bool is_ca) {
  const std::vector<std::string>& effective = names.empty() ? DefaultUsageNames() : names;
  Usages out;
  bool bits[kKeyUsageBits] = {};
  if (is_ca) bits[static_cast<int>(KeyUsage::kKeyCertSign)] = true;
  std::vector<std::string> unknown;
  for (const std::string& name : effective) {
    if (std::optional<KeyUsage> ku = KeyUsageFromName(name)) {
      bits[static_cast<int>(*ku)] = true;
    } else if (std::optional<ExtKeyUsage> eku = ExtKeyUsageFromName(name)) {
      out.ext_key_usages.push_back(*eku);
    } else {
      unknown.push_back(name);
    }
  }
  if (!unknown.empty()) {
    return absl::InvalidArgumentError("unknown key usages: [" + absl::StrJoin(unknown, " ") + "]");
  }
  for (int bit = 0; bit < kKeyUsageBits; ++bit) {
    if (bits[bit]) out.key_usages.push_back(static_cast<KeyUsage>(bit));
  }
  return out;
}

namespace {

template <typename T, typename NameOf>
std::string FormatUsageList(const std::vector<T>& usages, NameOf name_of) {
  std::string out = "[";
  for (size_t i = 0; i < usages.size(); ++i) {
    out += " '";
    out += name_of(usages[i]);
    out += "'";
    if (i + 1 < usages.size()) out += ",";
  }
  if (!usages.empty()) out += " ";
  return out + "]";
}

}  // namespace

std::string FormatKeyUsages(const std::vector<KeyUsage>& usages) {
  return FormatUsageList(usages, KeyUsageName);
}

std::string FormatExtKeyUsages(const std::vector<ExtKeyUsage>& usages) {
  return FormatUsageList(usages, ExtKeyUsageName);
}

}  // namespace certforge::pki
