#include "tests/integration/pki/pki_fixture.h"

#include <algorithm>
#include <cctype>

#include "lib/core/base64.h"
#include "tests/support/wait_for.h"

namespace certforge::testing {
namespace {

using nlohmann::json;

// A namespace name from the running test's name: lower case, dashes, at most 63 characters.
std::string NamespaceForTest() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string raw = std::string(info->test_suite_name()) + "-" + info->name();
  std::string name;
  for (char c : raw) {
    bool alnum = std::isalnum(static_cast<unsigned char>(c)) != 0;
    char out = alnum ? static_cast<char>(std::tolower(static_cast<unsigned char>(c))) : '-';
    if (out == '-' && (name.empty() || name.back() == '-')) continue;
    name += out;
  }
  if (name.size() > 63) name.resize(63);
  while (!name.empty() && name.back() == '-') name.pop_back();
  return name;
}

constexpr char kCaIssuerYaml[] = R"(apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: selfsigned, namespace: $NS}
spec: {selfSigned: {}}
---
apiVersion: cert-manager.io/v1
kind: Certificate
metadata: {name: root, namespace: $NS}
spec:
  isCA: true
  commonName: $NS root
  secretName: root
  privateKey: {algorithm: ECDSA, size: 256}
  issuerRef: {name: selfsigned, kind: Issuer}
---
apiVersion: cert-manager.io/v1
kind: Issuer
metadata: {name: ca, namespace: $NS}
spec: {ca: {secretName: root}}
)";

}  // namespace

CertforgeStack* SharedStack(std::string* error) {
  static std::unique_ptr<CertforgeStack> stack;
  static std::string failure;
  if (!stack && failure.empty()) {
    // The default backoff, spelled out: tests rely on a failed issuance waiting a long time.
    stack = std::make_unique<CertforgeStack>(
        CertforgeStackOptions{2, {"--certificate-request-minimum-backoff-duration", "1h"}});
    if (auto s = stack->Start(); !s.ok()) {
      failure = std::string(s.message()) + "\n" + stack->LogTails();
      stack.reset();
    }
  }
  if (error) *error = failure;
  return stack.get();
}

std::string Fill(std::string text, const std::map<std::string, std::string>& values) {
  for (const auto& [key, value] : values) {
    std::string needle = "$" + key;
    for (size_t at = text.find(needle); at != std::string::npos;
         at = text.find(needle, at + value.size())) {
      text.replace(at, needle.size(), value);
    }
  }
  return text;
}

CommandResult Openssl(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {"openssl"};
  argv.insert(argv.end(), args.begin(), args.end());
  return RunCommand(argv, input);
}

std::string PublicKeyOfKey(const std::string& key_pem) {
  auto r = Openssl({"pkey", "-pubout"}, key_pem);
  return r.exit_code == 0 ? r.out : "error: " + r.Describe();
}

std::string PublicKeyOfCertificate(const std::string& cert_pem) {
  auto r = Openssl({"x509", "-pubkey", "-noout"}, cert_pem);
  return r.exit_code == 0 ? r.out : "error: " + r.Describe();
}

std::string ConditionField(const json& object, const std::string& type, const std::string& field) {
  if (!object.contains("status")) return "";
  for (const auto& c : object["status"].value("conditions", json::array())) {
    if (c.value("type", "") == type) {
      return c.contains(field) && c[field].is_string() ? c[field].get<std::string>() : "";
    }
  }
  return "";
}

void PkiTest::SetUp() {
  if (auto options = OwnStackOptions()) {
    own_stack_ = std::make_unique<CertforgeStack>(*options);
    auto started = own_stack_->Start();
    ASSERT_TRUE(started.ok()) << started.message() << "\n" << own_stack_->LogTails();
    stack_ = own_stack_.get();
    if (options->embedded_gateway && !stack_->GatewayInApiServer()) {
      GTEST_SKIP() << "TMPDIR is too deep for a Unix socket's path: nothing different to test";
    }
  } else {
    std::string error;
    stack_ = SharedStack(&error);
    ASSERT_NE(stack_, nullptr) << "the stack did not start: " << error;
  }
  ns_ = NamespaceForTest();
  auto created = stack_->Kubectl({"create", "namespace", ns_});
  ASSERT_EQ(created.exit_code, 0) << created.Describe();
}

json PkiTest::Get(const std::string& resource, const std::string& name,
                  const std::string& ns) const {
  std::vector<std::string> args = {"get", resource, name, "-o", "json"};
  if (!ns.empty()) args.insert(args.end(), {"-n", ns});
  auto r = stack_->Kubectl(args);
  if (r.exit_code != 0) return json::object();
  auto parsed = json::parse(r.out, nullptr, false);
  return parsed.is_discarded() ? json::object() : parsed;
}

std::vector<json> PkiTest::List(const std::string& resource, const std::string& ns) const {
  std::vector<std::string> args = {"get", resource, "-o", "json"};
  if (ns.empty()) {
    args.push_back("-A");
  } else {
    args.insert(args.end(), {"-n", ns});
  }
  auto r = stack_->Kubectl(args, "", std::chrono::seconds(120));
  auto parsed = json::parse(r.out, nullptr, false);
  if (r.exit_code != 0 || !parsed.is_object()) return {};
  return parsed.value("items", std::vector<json>{});
}

std::string PkiTest::SecretValue(const std::string& secret, const std::string& key,
                                 const std::string& ns) const {
  return DataValue(Get("secret", secret, ns), key);
}

std::string DataValue(const json& secret, const std::string& key) {
  if (!secret.contains("data") || !secret["data"].contains(key)) return "";
  auto decoded = core::Base64Decode(secret["data"][key].get<std::string>());
  return decoded.ok() ? *decoded : "";
}

bool PkiTest::WaitForObject(const std::string& resource, const std::string& name,
                            const std::string& ns, const std::function<bool(const json&)>& check,
                            std::chrono::milliseconds timeout, json* last) const {
  json seen;
  bool ok = WaitFor(
      [&] {
        seen = Get(resource, name, ns);
        return check(seen);
      },
      timeout, std::chrono::milliseconds(250));
  if (last) *last = seen;
  return ok;
}

bool PkiTest::WaitCertificateReady(const std::string& name, int revision,
                                   std::chrono::milliseconds timeout) const {
  return WaitForObject(
      "certificate", name, ns_,
      [&](const json& c) {
        if (ConditionField(c, "Ready", "status") != "True") return false;
        return revision == 0 || c["status"].value("revision", 0) == revision;
      },
      timeout);
}

void PkiTest::CreateCaIssuer() {
  auto applied = stack_->Apply(Fill(kCaIssuerYaml, {{"NS", ns_}}));
  ASSERT_TRUE(applied.ok()) << applied.message();
  ASSERT_TRUE(WaitCertificateReady("root")) << Describe("certificate", "root");
  ASSERT_TRUE(WaitForObject("issuer", "ca", ns_, [](const json& i) {
    return ConditionField(i, "Ready", "status") == "True";
  })) << Describe("issuer", "ca");
}

std::vector<std::string> PkiTest::EventsFor(const std::string& name, const std::string& ns) const {
  std::vector<std::string> out;
  for (const auto& e : List("events", ns)) {
    if (e.value("involvedObject", json::object()).value("name", "") != name) continue;
    out.push_back(e.value("type", "") + " " + e.value("reason", "") + ": " +
                  e.value("message", ""));
  }
  return out;
}

std::string PkiTest::Describe(const std::string& resource, const std::string& name) const {
  std::string out = "--- " + resource + " " + ns_ + "/" + name + ":\n" +
                    Get(resource, name, ns_).dump(2) + "\n--- events:\n";
  for (const auto& e : EventsFor(name, ns_)) out += e + "\n";
  out += "--- certificaterequests:\n";
  for (const auto& r : List("certificaterequests", ns_)) {
    out += r["metadata"].value("name", "") + " " + r.value("status", json::object()).dump() + "\n";
  }
  return out + stack_->LogTails();
}

}  // namespace certforge::testing
