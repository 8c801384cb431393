#pragma once
// Bearer-token authentication from a kube-apiserver style token file: one
// `token,user,uid[,"group1,group2"]` line per identity.

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace certforge::apiserver {

struct UserInfo {
  std::string name;
  std::string uid;
  std::vector<std::string> groups;
};

class TokenAuthenticator {
 public:
  static absl::StatusOr<TokenAuthenticator> FromFile(const std::string& path);
  // Creates the file with one admin token when it does not exist yet.
  static absl::Status EnsureFile(const std::string& path);

  // The user of an `Authorization: Bearer <token>` header value, if any.
  std::optional<UserInfo> Authenticate(const std::string& authorization_header) const;
  // The first token of the file: the one the server's own kubeconfig uses.
  const std::string& admin_token() const { return entries_.front().token; }

 private:
  struct Entry {
    std::string token;
    UserInfo user;
  };
  std::vector<Entry> entries_;
};

}  // namespace certforge::apiserver
