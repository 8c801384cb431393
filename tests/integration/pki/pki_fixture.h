#pragma once
// Shared fixture of the private-PKI integration tests: one CertforgeStack per test process (tests
// that do not kill anything share it, each in its own namespace) and the kubectl/openssl reads
// the assertions need.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/support/certforge_stack.h"

namespace certforge::testing {

// The stack shared by every PkiTest in this process, started on first use; nullptr (with the
// reason in `error`) if it could not start.
CertforgeStack* SharedStack(std::string* error);

// Replaces every "$KEY" in `text` (longest keys first is the caller's job: keep them distinct).
std::string Fill(std::string text, const std::map<std::string, std::string>& values);

// openssl <args> with `input` on stdin; stdout, or the failure in the output.
CommandResult Openssl(const std::vector<std::string>& args, const std::string& input = "");

// The public key (PEM, SubjectPublicKeyInfo) of a private key PEM / of a certificate PEM.
std::string PublicKeyOfKey(const std::string& key_pem);
std::string PublicKeyOfCertificate(const std::string& cert_pem);

class PkiTest : public ::testing::Test {
 protected:
  // Uses the shared stack and a fresh namespace named after the test.
  void SetUp() override;
  // Tests that need a stack of their own (they kill processes) return its options here; one
  // that asks for the gateway in local-apiserver is skipped where TMPDIR is too deep for it.
  virtual std::optional<CertforgeStackOptions> OwnStackOptions() const { return std::nullopt; }

  CertforgeStack& stack() { return *stack_; }

  // kubectl get <resource> <name> -n <ns> -o json; an empty object if it does not exist.
  nlohmann::json Get(const std::string& resource, const std::string& name,
                     const std::string& ns) const;
  nlohmann::json Get(const std::string& resource, const std::string& name) const {
    return Get(resource, name, ns_);
  }
  // The items of kubectl get <resource> -n <ns> -o json.
  std::vector<nlohmann::json> List(const std::string& resource, const std::string& ns) const;
  // A decoded value of a Secret's data; empty if missing.
  std::string SecretValue(const std::string& secret, const std::string& key,
                          const std::string& ns) const;
  std::string SecretValue(const std::string& secret, const std::string& key) const {
    return SecretValue(secret, key, ns_);
  }

  // Polls `resource name` until `check` holds; the last object seen is left in `*last`.
  bool WaitForObject(const std::string& resource, const std::string& name, const std::string& ns,
                     const std::function<bool(const nlohmann::json&)>& check,
                     std::chrono::milliseconds timeout = std::chrono::seconds(60),
                     nlohmann::json* last = nullptr) const;
  // Waits for the Certificate's Ready=True (and, if revision > 0, that revision).
  bool WaitCertificateReady(const std::string& name, int revision = 0,
                            std::chrono::milliseconds timeout = std::chrono::seconds(60)) const;

  // A selfSigned Issuer, a CA Certificate and a CA Issuer named "ca" in this namespace, Ready.
  void CreateCaIssuer();

  // "type reason: message" of every Event in `ns` about the object named `name`.
  std::vector<std::string> EventsFor(const std::string& name, const std::string& ns) const;

  // Everything a failure message needs: the object, the events and the process logs.
  std::string Describe(const std::string& resource, const std::string& name) const;

  CertforgeStack* stack_ = nullptr;
  std::unique_ptr<CertforgeStack> own_stack_;
  std::string ns_;
};

// A decoded value of an already read Secret's data; empty if missing.
std::string DataValue(const nlohmann::json& secret, const std::string& key);

// A condition's field ("" if the condition or field is absent).
std::string ConditionField(const nlohmann::json& object, const std::string& type,
                           const std::string& field);

}  // namespace certforge::testing
