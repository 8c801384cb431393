// Authentication: bearer tokens on HTTPS (none or a wrong one is 401, for curl and kubectl), the
// same on the authenticated loopback port and Unix socket, and plain HTTP without authentication
// only on loopback: a non-loopback bind address with an insecure port is refused, as are listener
// addresses that cannot work (a socket path too long, a malformed gateway address).

#include <sys/wait.h>

#include <filesystem>
#include <regex>

#include "tests/integration/local_apiserver/apiserver_test_base.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;
using std::chrono::seconds;

// local-apiserver started with `flags` exits, not zero, and logs `reason`.
void ExpectRefused(const std::vector<std::string>& flags, const std::string& reason) {
  TempDir dir("local-apiserver-refused");
  std::vector<std::string> argv = {BinDir() + "/local-apiserver", "--data-dir", dir.File("data"),
                                   "--secure-port", "0"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  ChildProcess refused(argv, dir.File("refused.log"));
  auto status = refused.Wait(seconds(20));
  ASSERT_TRUE(status.has_value()) << "still running with " << flags.back();
  EXPECT_TRUE(WIFEXITED(*status));
  EXPECT_NE(WEXITSTATUS(*status), 0);
  EXPECT_NE(ReadFile(dir.File("refused.log")).find(reason), std::string::npos)
      << ReadFile(dir.File("refused.log"));
}

class AuthTest : public ApiServerTest {
 protected:
  static void SetUpTestSuite() { StartSuiteServer({}, /*apply_crds=*/false); }
  static void TearDownTestSuite() { StopSuiteServer(); }

  // curl with the given Authorization header ("" = none): the HTTP code and body.
  static HttpResult CurlAs(const std::string& authorization, const std::string& path) {
    std::vector<std::string> argv = {"curl", "-sS",           "--cacert", server().ca_file(),
                                     "-w",   "\n%{http_code}"};
    if (!authorization.empty()) argv.insert(argv.end(), {"-H", "Authorization: " + authorization});
    argv.push_back(server().server() + path);
    CommandResult r = RunCommand(argv);
    HttpResult result;
    auto nl = r.out.rfind('\n');
    if (r.exit_code != 0 || nl == std::string::npos) {
      ADD_FAILURE() << r.Describe();
      return result;
    }
    result.code = std::atoi(r.out.c_str() + nl + 1);
    result.body = r.out.substr(0, nl);
    return result;
  }

  // Plain HTTP at `base` (curl reaching it with `connect_args`): 401 without a token or with a
  // wrong one, 200 with the admin token.
  static void ExpectOnlyTheAdminTokenAdmitted(const std::vector<std::string>& connect_args,
                                              const std::string& base) {
    auto code = [&](const std::string& header) {
      std::vector<std::string> argv = {"curl", "-sS", "-w", "\n%{http_code}"};
      argv.insert(argv.end(), connect_args.begin(), connect_args.end());
      if (!header.empty()) argv.insert(argv.end(), {"-H", header});
      argv.push_back(base + "/api/v1/namespaces");
      CommandResult r = RunCommand(argv);
      EXPECT_EQ(r.exit_code, 0) << r.Describe();
      return r.out.substr(r.out.rfind('\n') + 1);
    };
    EXPECT_EQ(code(""), "401");
    EXPECT_EQ(code("Authorization: Bearer not-the-token"), "401");
    EXPECT_EQ(code("Authorization: Bearer " + server().token()), "200");
  }
};

TEST_F(AuthTest, BearerTokenIsRequired) {
  const json unauthorized = {
      {"kind", "Status"},    {"apiVersion", "v1"},        {"metadata", json::object()},
      {"status", "Failure"}, {"message", "Unauthorized"}, {"reason", "Unauthorized"},
      {"code", 401}};
  for (const char* path :
       {"/api/v1/namespaces", "/api/v1/namespaces/default/secrets", "/apis", "/openapi/v3"}) {
    SCOPED_TRACE(path);
    HttpResult none = CurlAs("", path);
    EXPECT_EQ(none.code, 401);
    EXPECT_EQ(json::parse(none.body, nullptr, false), unauthorized) << none.body;
    HttpResult wrong = CurlAs("Bearer not-the-token", path);
    EXPECT_EQ(wrong.code, 401);
    EXPECT_EQ(json::parse(wrong.body, nullptr, false), unauthorized) << wrong.body;
    EXPECT_EQ(CurlAs("Basic YWRtaW46YWRtaW4=", path).code, 401);
    EXPECT_EQ(CurlAs("Bearer " + server().token(), path).code, 200);
  }
  // Health and version are public, as kube-apiserver's are to anonymous clients.
  HttpResult health = CurlAs("", "/healthz");
  EXPECT_EQ(health.code, 200);
  EXPECT_EQ(health.body, "ok");
  EXPECT_EQ(CurlAs("", "/version").code, 200);

  CommandResult kubectl = Kubectl({"--token", "not-the-token", "get", "namespaces"});
  EXPECT_EQ(kubectl.exit_code, 1);
  // As against a real cluster: discovery fails first, and kubectl says why at the end.
  EXPECT_TRUE(
      kubectl.err.ends_with("\nerror: You must be logged in to the server (the server has "
                            "asked for the client to provide credentials)\n"))
      << kubectl.err;
  EXPECT_EQ(Kubectl({"get", "namespaces", "default", "-o", "name"}).out, "namespace/default\n");
}

TEST_F(AuthTest, TheLoopbackPortAuthenticatesLikeHttps) {
  std::string kubeconfig = ReadFile(server().loopback_kubeconfig());
  static const std::regex kServer("server: (http://127\\.0\\.0\\.1:[0-9]+)");
  std::smatch url;
  ASSERT_TRUE(std::regex_search(kubeconfig, url, kServer)) << kubeconfig;
  ExpectOnlyTheAdminTokenAdmitted({}, url[1].str());

  // Its kubeconfig carries the token (the standalone stack's gateway connects with it; kubectl
  // sends no credentials over plain HTTP).
  EXPECT_NE(kubeconfig.find("token: " + server().token()), std::string::npos);
}

TEST_F(AuthTest, TheLoopbackSocketAuthenticatesAndOnlyItsOwnerMayConnect) {
  std::string socket = server().loopback_socket();
  if (socket.empty()) GTEST_SKIP() << "the data dir is too deep for a Unix socket";
  ExpectOnlyTheAdminTokenAdmitted({"--unix-socket", socket}, "http://localhost");
  std::filesystem::file_status status = std::filesystem::status(socket);
  EXPECT_EQ(status.type(), std::filesystem::file_type::socket);
  EXPECT_EQ(status.permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
}

TEST_F(AuthTest, ALoopbackSocketPathTooLongIsRefusedWithTheReason) {
  TempDir dir("local-apiserver-socket");
  ExpectRefused({"--loopback-socket", dir.File(std::string(120, 's'))},
                "Unix socket path longer than 107 bytes");
}

// The in-process gateway's address is checked before anything serves.
TEST_F(AuthTest, AMalformedGatewayAddressIsRefusedWithTheReason) {
  ExpectRefused({"--gateway-listen-address", "no-port-here"},
                "--gateway-listen-address: no-port-here");
}

TEST_F(AuthTest, PlainHttpOnlyOnLoopback) {
  // Refused before anything listens.
  ExpectRefused({"--bind-address", "0.0.0.0", "--insecure-port", "0"},
                "plain HTTP (--insecure-port) is only allowed with a loopback --bind-address");

  TempDir dir("local-apiserver-insecure");
  // On loopback it serves, without authentication.
  ChildProcess loopback({BinDir() + "/local-apiserver", "--data-dir", dir.File("loopback"),
                         "--secure-port", "0", "--insecure-port", "0"},
                        dir.File("loopback.log"));
  std::smatch port;
  static const std::regex kPlain("plain HTTP without authentication on 127\\.0\\.0\\.1:([0-9]+)");
  std::string log;
  ASSERT_TRUE(WaitFor(
      [&] {
        log = ReadFile(dir.File("loopback.log"));
        return std::regex_search(log, port, kPlain);
      },
      seconds(30)))
      << log;
  CommandResult plain = RunCommand({"curl", "-sS", "-w", "\n%{http_code}",
                                    "http://127.0.0.1:" + port[1].str() + "/api/v1/namespaces"});
  EXPECT_EQ(plain.exit_code, 0) << plain.Describe();
  EXPECT_EQ(plain.out.substr(plain.out.rfind('\n') + 1), "200") << plain.out;
  EXPECT_EQ(loopback.Stop(), 0) << loopback.LogTail();
}

}  // namespace
}  // namespace certforge::testing
