#include "lib/pki/serving_bundle.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "lib/pki/certificate_builder.h"
#include "lib/pki/file_io.h"
#include "lib/pki/ip_address.h"

namespace certforge::pki {
namespace {

using TimePoint = std::chrono::system_clock::time_point;
using Days = std::chrono::days;

constexpr Days kCaValidity{3650};
constexpr Days kServingValidity{365};
constexpr Days kRenewBefore{30};
// Backdated so that a client whose clock is a little behind still accepts a fresh certificate.
constexpr std::chrono::hours kBackdate{1};
constexpr int kMaxCommonNameLength = 64;

struct Hosts {
  std::vector<std::string> dns_names;
  std::vector<std::string> ip_addresses;  // canonical text
};

absl::StatusOr<Hosts> SplitHosts(const std::vector<std::string>& hosts) {
  if (hosts.empty()) return absl::InvalidArgumentError("a serving certificate needs a host");
  Hosts out;
  for (const std::string& host : hosts) {
    std::vector<std::string>* list = &out.dns_names;
    std::string value = host;
    if (absl::StatusOr<std::string> octets = ParseIpAddress(host); octets.ok()) {
      list = &out.ip_addresses;
      value = FormatIpAddress(*octets);
    } else if (host.empty() || host.find_first_of(" \t\r\n") != std::string::npos) {
      return absl::InvalidArgumentError(absl::StrCat("invalid host \"", host, "\""));
    }
    if (std::find(list->begin(), list->end(), value) == list->end()) list->push_back(value);
  }
  return out;
}

struct Paths {
  std::string ca_cert, ca_key, cert, key;
};

struct Ca {
  Certificate cert;
  PrivateKey key;
  std::string pem;
  bool created;
};

// Serializes EnsureServingBundle between processes sharing the folder.
class FolderLock {
 public:
  explicit FolderLock(const std::string& dir)
      : fd_(open((dir + "/.lock").c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600)) {}
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;
  ~FolderLock() {
    if (fd_ >= 0) close(fd_);  // releases the lock
  }
  bool Acquire() {
    if (fd_ < 0) return false;
    while (flock(fd_, LOCK_EX) != 0) {
      if (errno != EINTR) return false;
    }
    return true;
  }

 private:
  int fd_;
};

absl::Status WriteKeyAndCert(const std::string& key_path, const PrivateKey& key,
                             const std::string& cert_path, const std::string& cert_pem) {
  absl::StatusOr<std::string> key_pem = key.ToPkcs8Pem();
  if (!key_pem.ok()) return key_pem.status();
  // The key first: a certificate on disk always has its key beside it.
  if (absl::Status s = WriteFileAtomically(key_path, *key_pem, 0600); !s.ok()) return s;
  return WriteFileAtomically(cert_path, cert_pem, 0644);
}

absl::StatusOr<Ca> CreateCa(const Paths& paths, const std::string& common_name, TimePoint now) {
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256);
  if (!key.ok()) return key.status();
  absl::StatusOr<Certificate> cert =
      CertificateBuilder()
          .SetCommonName(common_name)
          .SetValidity(now - kBackdate, now + kCaValidity)
          .SetIsCa(true)
          .SetKeyUsages({KeyUsage::kDigitalSignature, KeyUsage::kKeyCertSign, KeyUsage::kCrlSign})
          .SignSelf(*key);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> pem = cert->ToPem();
  if (!pem.ok()) return pem.status();
  if (absl::Status s = WriteKeyAndCert(paths.ca_key, *key, paths.ca_cert, *pem); !s.ok()) {
    return s;
  }
  return Ca{*std::move(cert), *std::move(key), *std::move(pem), true};
}

absl::Status BrokenCa(const std::string& path, absl::string_view problem) {
  return absl::FailedPreconditionError(absl::StrCat(
      path, ": ", problem, " (remove the CA files to make a new CA, and re-distribute it)"));
}

absl::StatusOr<Ca> LoadOrCreateCa(const Paths& paths, const std::string& common_name,
                                  TimePoint now) {
  absl::StatusOr<std::string> pem = ReadFileContents(paths.ca_cert);
  if (absl::IsNotFound(pem.status())) return CreateCa(paths, common_name, now);
  if (!pem.ok()) return pem.status();
  absl::StatusOr<Certificate> cert = Certificate::FromPem(*pem);
  if (!cert.ok()) return BrokenCa(paths.ca_cert, cert.status().message());
  absl::StatusOr<std::string> key_pem = ReadFileContents(paths.ca_key);
  if (!key_pem.ok()) return BrokenCa(paths.ca_key, key_pem.status().message());
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(*key_pem);
  if (!key.ok()) return BrokenCa(paths.ca_key, key.status().message());
  if (!cert->IsCa()) return BrokenCa(paths.ca_cert, "not a CA certificate");
  if (!cert->MatchesKey(*key)) return BrokenCa(paths.ca_key, "does not match the CA certificate");
  // An expiring CA cannot back a year-long serving certificate: make a new one.
  if (cert->NotAfter() - now <= kRenewBefore) return CreateCa(paths, common_name, now);
  return Ca{*std::move(cert), *std::move(key), *std::move(pem), false};
}

// The current serving certificate and key, if both are readable.
std::optional<std::pair<Certificate, PrivateKey>> LoadServing(const Paths& paths) {
  absl::StatusOr<std::string> cert_pem = ReadFileContents(paths.cert);
  absl::StatusOr<std::string> key_pem = ReadFileContents(paths.key);
  if (!cert_pem.ok() || !key_pem.ok()) return std::nullopt;
  absl::StatusOr<Certificate> cert = Certificate::FromPem(*cert_pem);
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(*key_pem);
  if (!cert.ok() || !key.ok()) return std::nullopt;
  return std::make_pair(*std::move(cert), *std::move(key));
}

absl::Status IssueServing(const Paths& paths, const Ca& ca, const Hosts& hosts, TimePoint now) {
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256);
  if (!key.ok()) return key.status();
  CertificateBuilder builder;
  builder.SetDnsNames(hosts.dns_names)
      .SetIpAddresses(hosts.ip_addresses)
      .SetValidity(now - kBackdate, now + kServingValidity)
      .SetKeyUsages({KeyUsage::kDigitalSignature})
      .SetExtKeyUsages({ExtKeyUsage::kServerAuth});
  // The first DNS name (or else IP) as common name, for people reading it; clients use the SANs.
  const std::string& name =
      hosts.dns_names.empty() ? hosts.ip_addresses.front() : hosts.dns_names.front();
  if (name.size() <= kMaxCommonNameLength) builder.SetCommonName(name);
  absl::StatusOr<Certificate> cert = builder.SignWith(ca.cert, ca.key, *key);
  if (!cert.ok()) return cert.status();
  absl::StatusOr<std::string> pem = cert->ToPem();
  if (!pem.ok()) return pem.status();
  return WriteKeyAndCert(paths.key, *key, paths.cert, *pem);
}

}  // namespace

std::optional<std::string> ServingCertificateProblem(const Certificate& cert, const PrivateKey& key,
                                                     const Certificate& ca,
                                                     const std::vector<std::string>& hosts,
                                                     TimePoint now) {
  if (!cert.MatchesKey(key)) return "the key does not match the certificate";
  if (!cert.IsSignedBy(ca)) return "not issued by the current CA";
  if (now < cert.NotBefore()) return "not valid yet";
  if (now >= cert.NotAfter()) return "expired";
  if (cert.NotAfter() - now <= kRenewBefore) return "expires within 30 days";
  absl::StatusOr<Hosts> wanted = SplitHosts(hosts);
  if (!wanted.ok()) return std::string(wanted.status().message());
  std::vector<std::string> dns_names = cert.DnsNames();
  std::vector<std::string> ip_addresses = cert.IpAddresses();
  for (const std::string& name : wanted->dns_names) {
    if (std::find(dns_names.begin(), dns_names.end(), name) == dns_names.end()) {
      return absl::StrCat("lacks host ", name);
    }
  }
  for (const std::string& ip : wanted->ip_addresses) {
    if (std::find(ip_addresses.begin(), ip_addresses.end(), ip) == ip_addresses.end()) {
      return absl::StrCat("lacks host ", ip);
    }
  }
  return std::nullopt;
}

absl::StatusOr<ServingBundle> EnsureServingBundle(const std::string& dir,
                                                  const std::string& ca_common_name,
                                                  const std::vector<std::string>& hosts) {
  return EnsureServingBundleAt(dir, ca_common_name, hosts, std::chrono::system_clock::now());
}

absl::StatusOr<ServingBundle> EnsureServingBundleAt(const std::string& dir,
                                                    const std::string& ca_common_name,
                                                    const std::vector<std::string>& hosts,
                                                    TimePoint now) {
  absl::StatusOr<Hosts> split = SplitHosts(hosts);
  if (!split.ok()) return split.status();
  if (ca_common_name.empty() || ca_common_name.size() > kMaxCommonNameLength) {
    return absl::InvalidArgumentError("the CA common name must be 1 to 64 characters");
  }

  std::error_code error;
  if (std::filesystem::create_directories(dir, error)) {
    std::filesystem::permissions(dir, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::replace, error);
  }
  if (error) return absl::InternalError(absl::StrCat("cannot create ", dir, ": ", error.message()));
  FolderLock lock(dir);
  if (!lock.Acquire()) return absl::InternalError(absl::StrCat("cannot lock ", dir));

  Paths paths{dir + "/ca.crt", dir + "/ca.key", dir + "/server.crt", dir + "/server.key"};
  absl::StatusOr<Ca> ca = LoadOrCreateCa(paths, ca_common_name, now);
  if (!ca.ok()) return ca.status();

  std::optional<std::pair<Certificate, PrivateKey>> serving = LoadServing(paths);
  bool reissue = ca->created || !serving ||
                 ServingCertificateProblem(serving->first, serving->second, ca->cert, hosts, now);
  if (reissue) {
    if (absl::Status s = IssueServing(paths, *ca, *split, now); !s.ok()) return s;
  }
  return ServingBundle{paths.ca_cert, paths.cert, paths.key, ca->pem};
}

}  // namespace certforge::pki
