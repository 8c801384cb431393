// Parsing the objects the services pass around: nlohmann::json::parse against kube::ParseJson
// (simdjson's lexer building the same nlohmann tree).
//
//   json-parse-bench --benchmark_min_time=1

#include <benchmark/benchmark.h>

#include <string>

#include "lib/kube/json_parse.h"

namespace certforge::kube {
namespace {

// A Certificate as the controller last writes it: spec, managed fields and a Ready status.
const std::string kCertificate = R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate",
"metadata":{"name":"bench-000123","namespace":"default","uid":"1f0e5a3c-6b1d-4a7e-9b2c-3d4e5f607182",
"resourceVersion":"123456","generation":1,"creationTimestamp":"2026-11-28T21:40:00Z",
"labels":{"app":"bench"},"managedFields":[{"manager":"issuance-bench","operation":"Update",
"apiVersion":"cert-manager.io/v1","time":"2026-11-28T21:40:00Z","fieldsType":"FieldsV1",
"fieldsV1":{"f:spec":{".":{},"f:commonName":{},"f:dnsNames":{},"f:issuerRef":{".":{},"f:kind":{},
"f:name":{}},"f:privateKey":{".":{},"f:algorithm":{},"f:size":{}},"f:secretName":{}}}}]},
"spec":{"commonName":"bench-000123.example.com","dnsNames":["bench-000123.example.com"],
"issuerRef":{"name":"ca-issuer","kind":"ClusterIssuer","group":"cert-manager.io"},
"privateKey":{"algorithm":"ECDSA","size":256,"rotationPolicy":"Always"},
"secretName":"bench-000123-tls"},"status":{"conditions":[{"type":"Ready","status":"True",
"reason":"Ready","message":"Certificate is up to date and has not expired",
"lastTransitionTime":"2026-11-28T21:40:05Z","observedGeneration":1}],
"notAfter":"2027-02-26T21:40:05Z","notBefore":"2026-11-28T21:40:05Z",
"renewalTime":"2027-01-27T21:40:05Z","revision":1}})";

// A TLS Secret: few keys, long base64 strings.
std::string TlsSecret() {
  std::string pem(1400, 'Q');
  return R"({"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/tls","metadata":{"name":"bench-000123-tls",
"namespace":"default","annotations":{"cert-manager.io/certificate-name":"bench-000123",
"cert-manager.io/issuer-name":"ca-issuer","cert-manager.io/issuer-kind":"ClusterIssuer"},
"labels":{"controller.cert-manager.io/fao":"true"}},"data":{"tls.crt":")" +
         pem + R"(","tls.key":")" + pem.substr(0, 320) + R"(","ca.crt":")" + pem + R"("}})";
}

void BM_Nlohmann(benchmark::State& state, const std::string& text) {
  for (auto _ : state) benchmark::DoNotOptimize(nlohmann::json::parse(text));
  state.SetBytesProcessed(int64_t(state.iterations() * text.size()));
}

void BM_ParseJson(benchmark::State& state, const std::string& text) {
  for (auto _ : state) benchmark::DoNotOptimize(ParseJson(text));
  state.SetBytesProcessed(int64_t(state.iterations() * text.size()));
}

BENCHMARK_CAPTURE(BM_Nlohmann, Certificate, kCertificate);
BENCHMARK_CAPTURE(BM_ParseJson, Certificate, kCertificate);
BENCHMARK_CAPTURE(BM_Nlohmann, TlsSecret, TlsSecret());
BENCHMARK_CAPTURE(BM_ParseJson, TlsSecret, TlsSecret());

}  // namespace
}  // namespace certforge::kube

BENCHMARK_MAIN();
