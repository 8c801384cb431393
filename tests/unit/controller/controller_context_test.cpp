// Queue keys: "ns/name" and how issuerRefs are indexed.

#include "services/controller/controller_context.h"

#include <gtest/gtest.h>

#include <string>
#include <tuple>
#include <vector>

namespace certforge::controller {
namespace {

using nlohmann::json;

TEST(SplitKey, Table) {
  const std::vector<std::tuple<std::string, std::string, std::string>> cases = {
      {"apps/web", "apps", "web"}, {"web", "", "web"}, {"/web", "", "web"},
      {"apps/", "apps", ""},       {"", "", ""},       {"a/b/c", "a", "b/c"},
  };
  for (const auto& [key, ns, name] : cases) {
    EXPECT_EQ(SplitKey(key), std::make_pair(ns, name)) << key;
  }
}

TEST(IssuerKey, Table) {
  const std::vector<std::tuple<json, std::string, std::string>> cases = {
      {{{"name", "ca"}}, "apps", "Issuer/apps/ca"},
      {{{"name", "ca"}, {"kind", "Issuer"}}, "apps", "Issuer/apps/ca"},
      {{{"name", "ca"}, {"kind", ""}}, "apps", "Issuer/apps/ca"},
      {{{"name", "ca"}, {"kind", "Issuer"}, {"group", "cert-manager.io"}},
       "apps",
       "Issuer/apps/ca"},
      {{{"name", "root"}, {"kind", "ClusterIssuer"}}, "apps", "ClusterIssuer//root"},
      {{{"name", "root"}, {"kind", "ClusterIssuer"}}, "", "ClusterIssuer//root"},
      {{{"name", "v"}, {"kind", "VaultIssuer"}, {"group", "vault.example.io"}},
       "apps",
       "VaultIssuer/apps/v"},
      {json::object(), "apps", "Issuer/apps/"},
  };
  for (const auto& [ref, ns, expected] : cases) {
    EXPECT_EQ(IssuerKey(ref, ns), expected) << ref.dump();
  }
}

}  // namespace
}  // namespace certforge::controller
