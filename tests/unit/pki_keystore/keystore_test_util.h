#pragma once
// Shared material for the keystore tests: one CA hierarchy, leaves for each key type, and the
// command lines of the real tools (openssl, keytool) that read what the encoders write.

#include <string>
#include <vector>

#include "lib/pki/certificate.h"
#include "lib/pki/private_key.h"
#include "tests/unit/pki/pki_test_util.h"

namespace certforge::pki::test {

// root CA → intermediate CA → leaf; the leaf's key is of the asked type.
struct IssuedLeaf {
  PrivateKey key;
  std::vector<Certificate> chain;  // leaf, intermediate (as tls.crt holds it)
  std::vector<Certificate> cas;    // root (as ca.crt holds it)
};
const IssuedLeaf& Leaf(KeyAlgorithm algorithm);
// Two more self-signed CAs with distinct subjects, for multi-CA bundles.
const std::vector<Certificate>& ExtraCas();

// Every PEM block of `type` ("CERTIFICATE", "PRIVATE KEY") in `text`, in order.
std::vector<std::string> PemBlocks(const std::string& text, const std::string& type);
// The values of lines starting with `prefix` ("subject=", "friendlyName: "), in order.
std::vector<std::string> LinesAfter(const std::string& text, const std::string& prefix);
std::string Hex(const std::string& bytes);
std::string Sha1(const std::string& bytes);

// keytool with a JVM tuned for short runs and an English, UTC rendering of dates.
std::string Keytool(const std::string& arguments);
// Single-quoted for the shell.
std::string Quote(const std::string& text);

}  // namespace certforge::pki::test
