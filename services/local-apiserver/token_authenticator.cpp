#include "services/local-apiserver/token_authenticator.h"

#include <openssl/crypto.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "lib/core/random.h"

namespace certforge::apiserver {
namespace {

// Splits a CSV line, honouring double quotes (the groups field is quoted).
std::vector<std::string> SplitCsv(const std::string& line) {
  std::vector<std::string> fields(1);
  bool quoted = false;
  for (char c : line) {
    if (c == '"') {
      quoted = !quoted;
    } else if (c == ',' && !quoted) {
      fields.emplace_back();
    } else {
      fields.back().push_back(c);
    }
  }
  return fields;
}

}  // namespace

absl::Status TokenAuthenticator::EnsureFile(const std::string& path) {
  if (std::filesystem::exists(path)) return absl::OkStatus();
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    // Private before the token is written, not after.
    chmod(tmp.c_str(), 0600);
    out << core::RandomHex(32) << ",admin,admin,\"system:masters\"\n";
    if (!out) return absl::InternalError("cannot write " + tmp);
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) return absl::InternalError("cannot create " + path + ": " + ec.message());
  return absl::OkStatus();
}

absl::StatusOr<TokenAuthenticator> TokenAuthenticator::FromFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError("cannot read token file " + path);
  TokenAuthenticator auth;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty() || line[0] == '#') continue;
    auto fields = SplitCsv(line);
    if (fields.size() < 3 || fields[0].empty() || fields[1].empty()) {
      return absl::InvalidArgumentError("token file " + path + " line " + std::to_string(number) +
                                        ": want token,user,uid[,\"groups\"]");
    }
    Entry e{fields[0], {fields[1], fields[2], {}}};
    if (fields.size() > 3) {
      std::stringstream groups(fields[3]);
      std::string g;
      while (std::getline(groups, g, ',')) {
        if (!g.empty()) e.user.groups.push_back(g);
      }
    }
    auth.entries_.push_back(std::move(e));
  }
  if (auth.entries_.empty()) return absl::InvalidArgumentError("token file " + path + " is empty");
  return auth;
}

std::optional<UserInfo> TokenAuthenticator::Authenticate(const std::string& header) const {
  static const std::string kPrefix = "Bearer ";
  if (header.compare(0, kPrefix.size(), kPrefix) != 0) return std::nullopt;
  std::string token = header.substr(kPrefix.size());
  for (const auto& e : entries_) {
    // Constant-time comparison: response timing must not reveal a token.
    if (e.token.size() == token.size() &&
        CRYPTO_memcmp(e.token.data(), token.data(), token.size()) == 0) {
      return e.user;
    }
  }
  return std::nullopt;
}

}  // namespace certforge::apiserver
