#pragma once
// X.509 key usages (RFC 5280 4.2.1.3) and extended key usages (4.2.1.12) that cert-manager's
// spec.usages can name.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"

namespace certforge::pki {

// Each value is the bit's position in the keyUsage BIT STRING.
enum class KeyUsage {
  kDigitalSignature = 0,
  kContentCommitment = 1,
  kKeyEncipherment = 2,
  kDataEncipherment = 3,
  kKeyAgreement = 4,
  kKeyCertSign = 5,
  kCrlSign = 6,
  kEncipherOnly = 7,
  kDecipherOnly = 8,
};
inline constexpr int kKeyUsageBits = 9;

enum class ExtKeyUsage {
  kAny,
  kServerAuth,
  kClientAuth,
  kCodeSigning,
  kEmailProtection,
  kIpsecEndSystem,
  kIpsecTunnel,
  kIpsecUser,
  kTimeStamping,
  kOcspSigning,
  kMicrosoftServerGatedCrypto,
  kNetscapeServerGatedCrypto,
};

// The OpenSSL NID of an extended key usage's OID.
int ExtKeyUsageNid(ExtKeyUsage usage);
// The extended key usage with that NID, if it is one of the above.
std::optional<ExtKeyUsage> ExtKeyUsageFromNid(int nid);

// cert-manager's spelling of each usage ("digital signature", "server auth", ...). "signing"
// and "s/mime" are aliases that read as digital signature and email protection.
std::optional<KeyUsage> KeyUsageFromName(std::string_view name);
std::optional<ExtKeyUsage> ExtKeyUsageFromName(std::string_view name);
std::string_view KeyUsageName(KeyUsage usage);
std::string_view ExtKeyUsageName(ExtKeyUsage usage);

// What a certificate carries for a list of spec.usages strings.
struct Usages {
  std::vector<KeyUsage> key_usages;         // a set: ascending bit order, no repeats
  std::vector<ExtKeyUsage> ext_key_usages;  // in the order given, as Go keeps them
  bool operator==(const Usages&) const = default;
};

// cert-manager's KeyUsagesForCertificateOrCertificateRequest: no usages means the default
// ["digital signature", "key encipherment"], and is_ca adds cert sign. Unknown names are
// InvalidArgument "unknown key usages: [a b]".
absl::StatusOr<Usages> UsagesFromNames(const std::vector<std::string>& names, bool is_ca);
const std::vector<std::string>& DefaultUsageNames();

// Go's printing of usage lists in cert-manager's CSR errors: "[ 'cert sign', 'crl sign' ]".
std::string FormatKeyUsages(const std::vector<KeyUsage>& usages);
std::string FormatExtKeyUsages(const std::vector<ExtKeyUsage>& usages);

}  // namespace certforge::pki
