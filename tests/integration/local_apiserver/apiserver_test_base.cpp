#include "tests/integration/local_apiserver/apiserver_test_base.h"

#include <yaml-cpp/yaml.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

namespace certforge::testing {
namespace {

using nlohmann::json;

json NodeToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
      return nullptr;
    case YAML::NodeType::Scalar: {
      const std::string& s = node.Scalar();
      if (node.Tag() == "!") return s;  // quoted: always a string
      static const std::regex kInt("^[-+]?[0-9]+$");
      static const std::regex kFloat("^[-+]?([0-9]+\\.[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?$");
      if (s == "true" || s == "True" || s == "TRUE") return true;
      if (s == "false" || s == "False" || s == "FALSE") return false;
      if (s == "null" || s == "~" || s.empty()) return nullptr;
      if (std::regex_match(s, kInt)) return std::stoll(s);
      if (std::regex_match(s, kFloat)) return std::stod(s);
      return s;
    }
    case YAML::NodeType::Sequence: {
      json out = json::array();
      for (const auto& item : node) out.push_back(NodeToJson(item));
      return out;
    }
    case YAML::NodeType::Map: {
      json out = json::object();
      for (const auto& entry : node) out[entry.first.Scalar()] = NodeToJson(entry.second);
      return out;
    }
  }
  return nullptr;
}

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  size_t start = 0;
  while (start < s.size() && std::isspace(static_cast<unsigned char>(s[start]))) ++start;
  return s.substr(start);
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!Trim(line).empty()) lines.push_back(line);
  }
  return lines;
}

}  // namespace

ParsedTable ParseTable(const std::string& out) {
  ParsedTable table;
  auto lines = Lines(out);
  if (lines.empty()) return table;
  const std::string& header = lines[0];
  std::vector<size_t> starts;
  // Columns are separated by at least two spaces ("CREATED AT" is one header).
  for (size_t i = 0; i < header.size(); ++i) {
    if (header[i] != ' ' && (i == 0 || (i >= 2 && header.compare(i - 2, 2, "  ") == 0))) {
      starts.push_back(i);
      size_t end = header.find("  ", i);
      table.headers.push_back(Trim(header.substr(i, end == std::string::npos ? end : end - i)));
    }
  }
  for (size_t l = 1; l < lines.size(); ++l) {
    TableRow row;
    for (size_t c = 0; c < starts.size(); ++c) {
      const std::string& line = lines[l];
      if (starts[c] >= line.size()) {
        row[table.headers[c]] = "";
        continue;
      }
      size_t len = c + 1 < starts.size() ? starts[c + 1] - starts[c] : std::string::npos;
      row[table.headers[c]] = Trim(line.substr(starts[c], len));
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

std::vector<std::vector<std::string>> Words(const std::string& out) {
  std::vector<std::vector<std::string>> result;
  for (const auto& line : Lines(out)) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    result.push_back(std::move(words));
  }
  return result;
}

json YamlToJson(const std::string& yaml) {
  try {
    return NodeToJson(YAML::Load(yaml));
  } catch (const std::exception& e) {
    ADD_FAILURE() << "not YAML: " << e.what() << "\n" << yaml;
    return nullptr;
  }
}

std::string ProjectCrdsDir() {
  const char* source = std::getenv("CERTFORGE_SOURCE_DIR");
  return std::string(source ? source : ".") + "/deploy/kustomize/base/crds";
}

std::string UpstreamCrdsDir() {
  std::string dir = CERTFORGE_UPSTREAM_CRDS_DIR;
  return std::filesystem::exists(dir + "/cert-manager.io_certificates.yaml") ? dir : "";
}

std::string CertificateYaml(const std::string& ns, const std::string& name,
                            const std::string& secret_name, const std::string& extra_spec_yaml) {
  std::string yaml = "apiVersion: cert-manager.io/v1\nkind: Certificate\n";
  yaml += "metadata:\n  name: " + name + "\n  namespace: " + ns + "\n";
  yaml += "spec:\n  secretName: " + secret_name + "\n";
  yaml += "  issuerRef:\n    name: selfsigned\n    kind: Issuer\n";
  yaml += "  dnsNames:\n    - " + name + ".example.com\n";
  return yaml + extra_spec_yaml;
}

std::unique_ptr<TempDir> ApiServerTest::dir_;
std::unique_ptr<LocalApiServerProcess> ApiServerTest::server_;
std::string ApiServerTest::start_error_;

void ApiServerTest::StartSuiteServer(std::vector<std::string> extra_args, bool apply_crds) {
  start_error_.clear();
  dir_ = std::make_unique<TempDir>("local-apiserver-it");
  server_ = std::make_unique<LocalApiServerProcess>(dir_->path(), std::move(extra_args));
  if (auto s = server_->Start(); !s.ok()) {
    start_error_ = std::string(s.message());
    server_.reset();
    return;
  }
  if (!apply_crds) return;
  CommandResult applied = Kubectl({"apply", "-k", ProjectCrdsDir()});
  if (applied.exit_code != 0) {
    start_error_ = "applying the project CRDs failed: " + applied.Describe();
    server_.reset();
  }
}

void ApiServerTest::StopSuiteServer() {
  if (server_) {
    auto stopped = server_->Stop();
    EXPECT_TRUE(stopped.ok()) << stopped.message();
  }
  server_.reset();
  dir_.reset();
}

void ApiServerTest::SetUp() {
  if (!server_) GTEST_FAIL() << "no local-apiserver for this suite: " << start_error_;
}

CommandResult ApiServerTest::Kubectl(const std::vector<std::string>& args,
                                     const std::string& stdin_text,
                                     std::chrono::milliseconds timeout) {
  return server_->Kubectl(args, stdin_text, timeout);
}

std::string ApiServerTest::KubectlOk(const std::vector<std::string>& args,
                                     const std::string& stdin_text) {
  CommandResult r = Kubectl(args, stdin_text);
  std::string command = "kubectl";
  for (const auto& a : args) command += " " + a;
  EXPECT_EQ(r.exit_code, 0) << command << "\n" << r.Describe();
  return r.out;
}

std::unique_ptr<ChildProcess> ApiServerTest::KubectlInBackground(
    const std::vector<std::string>& args, const std::string& log_name) {
  std::vector<std::string> argv = {"kubectl", "--kubeconfig", server_->kubeconfig(), "--cache-dir",
                                   server_->data_dir() + "/kube-cache"};
  argv.insert(argv.end(), args.begin(), args.end());
  return std::make_unique<ChildProcess>(
      argv, dir_->File(log_name),
      std::map<std::string, std::string>{{"HOME", server_->data_dir()}});
}

json ApiServerTest::GetJson(const std::vector<std::string>& args) {
  std::vector<std::string> full = {"get"};
  full.insert(full.end(), args.begin(), args.end());
  full.insert(full.end(), {"-o", "json"});
  CommandResult r = Kubectl(full);
  if (r.exit_code != 0) return nullptr;
  return json::parse(r.out, nullptr, false);
}

ApiServerTest::HttpResult ApiServerTest::Http(const std::string& method, const std::string& path,
                                              const std::string& body,
                                              const std::string& content_type) {
  std::vector<std::string> args = {"-X", method, "-w", "\n%{http_code}"};
  if (!body.empty()) {
    args.insert(args.end(), {"-H", "Content-Type: " + content_type, "--data-binary", body});
  }
  args.push_back(server_->server() + path);
  CommandResult r = server_->Curl(args);
  HttpResult result;
  auto nl = r.out.rfind('\n');
  if (r.exit_code != 0 || nl == std::string::npos) {
    ADD_FAILURE() << "curl " << method << " " << path << ": " << r.Describe();
    return result;
  }
  result.code = std::atoi(r.out.c_str() + nl + 1);
  result.body = r.out.substr(0, nl);
  return result;
}

const std::string& ApiServerTest::Namespace() {
  if (!namespace_.empty()) return namespace_;
  std::string name = "t-";
  for (char c : std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::tolower(static_cast<unsigned char>(c)))
                : '-';
  }
  name = name.substr(0, 60);
  while (name.back() == '-') name.pop_back();
  KubectlOk({"create", "namespace", name});
  namespace_ = name;
  return namespace_;
}

std::vector<std::string> ApiServerTest::InNs(std::vector<std::string> args) {
  args.insert(args.end(), {"-n", Namespace()});
  return args;
}

}  // namespace certforge::testing
