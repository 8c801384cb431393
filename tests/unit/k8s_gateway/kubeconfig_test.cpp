#include "services/k8s-gateway/kubeconfig.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <map>

#include "lib/core/base64.h"
#include "services/k8s-gateway/token_source.h"
#include "tests/support/temp_dir.h"

namespace certforge::k8sgw {
namespace {

using ::testing::HasSubstr;
using testing::TempDir;
using testing::WriteFile;

constexpr char kCa[] = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
constexpr char kCert[] = "-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n";
constexpr char kKey[] = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n";

std::string Kubeconfig(const std::string& cluster, const std::string& user,
                       const std::string& current = "ctx") {
  return "apiVersion: v1\nkind: Config\ncurrent-context: " + current +
         "\ncontexts:\n- name: ctx\n  context:\n    cluster: c1\n    user: u1\n"
         "clusters:\n- name: c1\n  cluster:\n" +
         cluster + "users:\n- name: u1\n  user:\n" + user;
}

TEST(KubeconfigTest, DataFormsAreDecoded) {
  std::string yaml =
      Kubeconfig("    server: https://127.0.0.1:6443/\n    certificate-authority-data: " +
                     core::Base64Encode(kCa) + "\n    tls-server-name: kubernetes.default\n",
                 "    client-certificate-data: " + core::Base64Encode(kCert) +
                     "\n    client-key-data: " + core::Base64Encode(kKey) + "\n");
  auto config = Kubeconfig::Parse(yaml, "/nonexistent");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "https://127.0.0.1:6443");  // trailing slash dropped
  EXPECT_EQ(config->ca_pem, kCa);
  EXPECT_EQ(config->tls_server_name, "kubernetes.default");
  EXPECT_EQ(config->client_cert_pem, kCert);
  EXPECT_EQ(config->client_key_pem, kKey);
  EXPECT_FALSE(config->insecure_skip_tls_verify);
  EXPECT_TRUE(config->token.empty());
  EXPECT_THAT(config->source, HasSubstr("ctx"));
}

TEST(KubeconfigTest, FileFormsAreReadRelativeToTheKubeconfig) {
  TempDir dir;
  WriteFile(dir.File("ca.crt"), kCa);
  WriteFile(dir.File("client.crt"), kCert);
  WriteFile(dir.File("client.key"), kKey);
  WriteFile(dir.File("config"),
            Kubeconfig("    server: https://10.0.0.1:443\n    certificate-authority: ca.crt\n",
                       "    client-certificate: client.crt\n    client-key: " +
                           dir.File("client.key") + "\n"));
  auto config = Kubeconfig::LoadFile(dir.File("config"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->ca_pem, kCa);
  EXPECT_EQ(config->client_cert_pem, kCert);
  EXPECT_EQ(config->client_key_pem, kKey);
}

TEST(KubeconfigTest, DataWinsOverFile) {
  std::string yaml = Kubeconfig(
      "    server: https://h:1\n    certificate-authority: /missing\n"
      "    certificate-authority-data: " +
          core::Base64Encode(kCa) + "\n",
      "    token: abc\n");
  auto config = Kubeconfig::Parse(yaml, "");
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->ca_pem, kCa);
  EXPECT_EQ(config->token, "abc");
}

TEST(KubeconfigTest, TokenFileIsKeptForRereading) {
  TempDir dir;
  WriteFile(dir.File("token"), "first-token\n");
  WriteFile(dir.File("config"), Kubeconfig("    server: https://h:1\n"
                                           "    insecure-skip-tls-verify: true\n",
                                           "    tokenFile: token\n"));
  auto config = Kubeconfig::LoadFile(dir.File("config"));
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_TRUE(config->insecure_skip_tls_verify);
  EXPECT_TRUE(config->token.empty());
  EXPECT_EQ(config->token_file, dir.File("token"));

  TokenSource source(config->token, config->token_file, std::chrono::seconds(0));
  EXPECT_EQ(source.Token(), "first-token");
  WriteFile(dir.File("token"), "rotated-token");
  EXPECT_EQ(source.Token(), "rotated-token");
  std::filesystem::remove(dir.File("token"));
  EXPECT_EQ(source.Token(), "rotated-token") << "a failed re-read keeps the last token";
}

TEST(KubeconfigTest, TokenSourceCachesWithinTheRefreshPeriod) {
  TempDir dir;
  WriteFile(dir.File("token"), "one");
  TokenSource source("", dir.File("token"), std::chrono::seconds(3600));
  EXPECT_EQ(source.Token(), "one");
  WriteFile(dir.File("token"), "two");
  EXPECT_EQ(source.Token(), "one");
  TokenSource static_token("static", "");
  EXPECT_EQ(static_token.Token(), "static");
}

struct BadKubeconfig {
  std::string name;
  std::string yaml;
  std::string error;  // a substring of the message
};

class KubeconfigErrorTest : public ::testing::TestWithParam<BadKubeconfig> {};

TEST_P(KubeconfigErrorTest, SaysWhatIsWrong) {
  auto config = Kubeconfig::Parse(GetParam().yaml, "/nonexistent-dir", "kubeconfig test");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), HasSubstr(GetParam().error));
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("kubeconfig test"));
}

INSTANTIATE_TEST_SUITE_P(
    Table, KubeconfigErrorTest,
    ::testing::Values(
        BadKubeconfig{"invalid_yaml", "clusters: [", "invalid YAML"},
        BadKubeconfig{"empty", "", "empty"},
        BadKubeconfig{"not_a_map", "- a\n- b\n", "not a kubeconfig"},
        BadKubeconfig{"no_current_context",
                      "contexts:\n- name: a\n  context: {cluster: c}\n- name: b\n  context: "
                      "{cluster: c}\n",
                      "current-context is not set"},
        BadKubeconfig{"unknown_context",
                      Kubeconfig("    server: https://h:1\n", "    token: t\n", "other"),
                      "no context named \"other\""},
        BadKubeconfig{"missing_server",
                      Kubeconfig("    insecure-skip-tls-verify: true\n", "    token: t\n"),
                      "has no server"},
        BadKubeconfig{"bad_server", Kubeconfig("    server: 127.0.0.1:6443\n", "    token: t\n"),
                      "not an http(s) URL"},
        BadKubeconfig{"bad_base64",
                      Kubeconfig("    server: https://h:1\n"
                                 "    certificate-authority-data: '%%%'\n",
                                 "    token: t\n"),
                      "certificate-authority-data is not valid base64"},
        BadKubeconfig{"missing_ca_file",
                      Kubeconfig("    server: https://h:1\n"
                                 "    certificate-authority: ca.pem\n",
                                 "    token: t\n"),
                      "cannot read certificate-authority file /nonexistent-dir/ca.pem"},
        BadKubeconfig{"cert_without_key",
                      Kubeconfig("    server: https://h:1\n", "    client-certificate-data: " +
                                                                  core::Base64Encode(kCert) + "\n"),
                      "needs both client-certificate and client-key"},
        BadKubeconfig{"missing_token_file",
                      Kubeconfig("    server: https://h:1\n", "    tokenFile: /no/token\n"),
                      "cannot read tokenFile file /no/token"},
        BadKubeconfig{"exec_plugin",
                      Kubeconfig("    server: https://h:1\n", "    exec:\n      command: x\n"),
                      "exec or auth-provider"},
        BadKubeconfig{"context_without_cluster",
                      "current-context: a\ncontexts:\n- name: a\n  context: {user: u}\n",
                      "names no cluster"},
        BadKubeconfig{"unknown_cluster",
                      "current-context: a\ncontexts:\n- name: a\n  context: {cluster: x}\n",
                      "no cluster named \"x\""}),
    [](const auto& info) { return info.param.name; });

TEST(KubeconfigTest, MissingFileIsNotFound) {
  auto config = Kubeconfig::LoadFile("/nonexistent/kubeconfig");
  ASSERT_FALSE(config.ok());
  EXPECT_EQ(config.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("/nonexistent/kubeconfig"));
}

TEST(KubeconfigTest, SecretsNeverAppearInErrorsOrSource) {
  std::string yaml = Kubeconfig("    server: ftp://h\n", "    token: super-secret-token\n");
  auto config = Kubeconfig::Parse(yaml, "");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), ::testing::Not(HasSubstr("super-secret")));
}

TEST(KubeconfigTest, InClusterReadsEnvironmentAndServiceAccount) {
  TempDir dir;
  WriteFile(dir.File("token"), "sa-token");
  WriteFile(dir.File("ca.crt"), kCa);
  std::map<std::string, std::string> env = {{"KUBERNETES_SERVICE_HOST", "10.96.0.1"},
                                            {"KUBERNETES_SERVICE_PORT", "443"}};
  auto getenv = [&env](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  };
  auto config = Kubeconfig::InCluster(getenv, dir.path());
  ASSERT_TRUE(config.ok()) << config.status();
  EXPECT_EQ(config->server, "https://10.96.0.1:443");
  EXPECT_EQ(config->token_file, dir.File("token"));
  EXPECT_EQ(config->ca_pem, kCa);

  env["KUBERNETES_SERVICE_HOST"] = "fd00::1";
  config = Kubeconfig::InCluster(getenv, dir.path());
  ASSERT_TRUE(config.ok());
  EXPECT_EQ(config->server, "https://[fd00::1]:443");

  env.erase("KUBERNETES_SERVICE_PORT");
  config = Kubeconfig::InCluster(getenv, dir.path());
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("KUBERNETES_SERVICE_HOST"));

  env["KUBERNETES_SERVICE_PORT"] = "443";
  config = Kubeconfig::InCluster(getenv, dir.path() + "/missing");
  ASSERT_FALSE(config.ok());
  EXPECT_THAT(std::string(config.status().message()), HasSubstr("service account token"));
}

}  // namespace
}  // namespace certforge::k8sgw
