#pragma once
// Shared by local-apiserver's integration tests: one real server per test suite (started in
// SetUpTestSuite, optionally with the project's CRDs applied), kubectl and curl against it, a
// fresh namespace per test, and helpers that read what kubectl prints.

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/local_apiserver_process.h"
#include "tests/support/run_command.h"
#include "tests/support/temp_dir.h"

namespace certforge::testing {

// One row of kubectl's human-readable table: column header -> cell text.
using TableRow = std::map<std::string, std::string>;

struct ParsedTable {
  std::vector<std::string> headers;
  std::vector<TableRow> rows;
};

// Splits kubectl's aligned table output by the header's column offsets, so cells may hold spaces.
ParsedTable ParseTable(const std::string& out);
// Whitespace-separated words of each non-empty line (for `get -w`, whose rows are not aligned).
std::vector<std::vector<std::string>> Words(const std::string& out);
// A YAML document as JSON, with plain scalars typed the way Kubernetes' YAML decoder types them.
nlohmann::json YamlToJson(const std::string& yaml);
// The project's CRDs (deploy/kustomize/base/crds under CERTFORGE_SOURCE_DIR).
std::string ProjectCrdsDir();
// cert-manager's published CRDs, or "" when the test data is absent.
std::string UpstreamCrdsDir();

// A cert-manager Certificate manifest (YAML); `extra_spec_yaml` adds lines under spec (indented
// two spaces).
std::string CertificateYaml(const std::string& ns, const std::string& name,
                            const std::string& secret_name,
                            const std::string& extra_spec_yaml = "");

class ApiServerTest : public ::testing::Test {
 protected:
  // Call from SetUpTestSuite; failures are reported by every test of the suite.
  static void StartSuiteServer(std::vector<std::string> extra_args = {}, bool apply_crds = true);
  static void StopSuiteServer();
  static LocalApiServerProcess& server() { return *server_; }

  void SetUp() override;

  static CommandResult Kubectl(const std::vector<std::string>& args,
                               const std::string& stdin_text = "",
                               std::chrono::milliseconds timeout = std::chrono::seconds(60));
  // kubectl that must succeed: adds a failure with the whole result otherwise; returns stdout.
  static std::string KubectlOk(const std::vector<std::string>& args,
                               const std::string& stdin_text = "");
  // kubectl left running (get -w, wait, delete), stdout and stderr into a log under the data dir.
  static std::unique_ptr<ChildProcess> KubectlInBackground(const std::vector<std::string>& args,
                                                           const std::string& log_name);
  // `kubectl get <args> -o json`, parsed (null when kubectl failed).
  static nlohmann::json GetJson(const std::vector<std::string>& args);
  // curl with the admin token; returns the HTTP code and the body.
  struct HttpResult {
    int code = 0;
    std::string body;
  };
  static HttpResult Http(const std::string& method, const std::string& path,
                         const std::string& body = "",
                         const std::string& content_type = "application/json");

  // A namespace of this test's own, created on first use.
  const std::string& Namespace();
  // kubectl args for this test's namespace.
  std::vector<std::string> InNs(std::vector<std::string> args);

  static std::string LogTail() { return server_ ? server_->LogTail() : ""; }

 private:
  static std::unique_ptr<TempDir> dir_;
  static std::unique_ptr<LocalApiServerProcess> server_;
  static std::string start_error_;
  std::string namespace_;
};

}  // namespace certforge::testing
