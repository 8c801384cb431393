#pragma once
// X.509 key usages (RFC 5280 4.2.1.3) and extended key usages (4.2.1.12) that cert-manager's
// spec.usages can name.

#include <optional>

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

}  // namespace certforge::pki
