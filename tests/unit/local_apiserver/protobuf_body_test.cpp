#include "services/local-apiserver/protobuf_body.h"

#include <gtest/gtest.h>

#include "certforge/k8s/wire.pb.h"
#include "lib/core/base64.h"
#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;
namespace wire = certforge::k8s::wire;

// What kubectl sends: the magic, then a runtime.Unknown wrapping the serialized object.
template <typename Message>
std::string Envelope(const std::string& api_version, const std::string& kind,
                     const Message& message) {
  wire::Unknown unknown;
  unknown.mutable_typemeta()->set_apiversion(api_version);
  unknown.mutable_typemeta()->set_kind(kind);
  unknown.set_raw(message.SerializeAsString());
  return std::string("k8s\0", 4) + unknown.SerializeAsString();
}

void FillMeta(wire::ObjectMeta* meta) {
  meta->set_name("n");
  meta->set_namespace_("team");
  (*meta->mutable_labels())["app"] = "web";
  (*meta->mutable_annotations())["note"] = "hi";
  meta->add_finalizers("example.com/f");
  auto* ref = meta->add_ownerreferences();
  ref->set_apiversion("v1");
  ref->set_kind("ConfigMap");
  ref->set_name("owner");
  ref->set_uid("u-1");
  ref->set_controller(true);
}

TEST(ProtobufBodyTest, Secret) {
  wire::Secret secret;
  FillMeta(secret.mutable_metadata());
  (*secret.mutable_data())["bin"] = std::string("\x00\xff", 2);
  (*secret.mutable_stringdata())["plain"] = "text";
  secret.set_type("kubernetes.io/tls");
  secret.set_immutable(true);
  auto decoded = DecodeProtobufBody(Envelope("v1", "Secret", secret));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, json::parse(R"({
    "apiVersion":"v1","kind":"Secret",
    "metadata":{"name":"n","namespace":"team","labels":{"app":"web"},
      "annotations":{"note":"hi"},"finalizers":["example.com/f"],
      "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":"u-1",
                          "controller":true}]},
    "data":{"bin":")" + core::Base64Encode(std::string("\x00\xff", 2)) +
                                  R"("},
    "stringData":{"plain":"text"},"type":"kubernetes.io/tls","immutable":true})"));
}

TEST(ProtobufBodyTest, ConfigMapAndNamespace) {
  wire::ConfigMap cm;
  cm.mutable_metadata()->set_generatename("cm-");
  (*cm.mutable_data())["k"] = "v";
  (*cm.mutable_binarydata())["b"] = "raw";
  auto decoded = DecodeProtobufBody(Envelope("v1", "ConfigMap", cm));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
    "metadata":{"generateName":"cm-"},"data":{"k":"v"},"binaryData":{"b":"cmF3"}})"));

  wire::Namespace ns;
  ns.mutable_metadata()->set_name("team");
  decoded = DecodeProtobufBody(Envelope("v1", "Namespace", ns));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(*decoded, json::parse(R"({"apiVersion":"v1","kind":"Namespace",
    "metadata":{"name":"team"}})"));
}

TEST(ProtobufBodyTest, Errors) {
  wire::Namespace ns;
  ns.mutable_metadata()->set_name("p");
  struct Case {
    const char* what;
    std::string body;
    int want_code;
  };
  const Case cases[] = {
      {"json instead of protobuf", R"({"kind":"Secret"})", 415},
      {"empty", "", 415},
      {"a kind it does not decode", Envelope("v1", "Pod", ns), 415},
      {"garbage envelope", std::string("k8s\0\xff\xff\xff\xff", 8), 400},
      {"garbage object",
       [] {
         wire::Unknown unknown;
         unknown.mutable_typemeta()->set_kind("Secret");
         unknown.set_raw("\xff\xff\xff");
         return std::string("k8s\0", 4) + unknown.SerializeAsString();
       }(),
       400},
  };
  for (const auto& c : cases) {
    auto decoded = DecodeProtobufBody(c.body);
    ASSERT_FALSE(decoded.ok()) << c.what;
    EXPECT_EQ(HttpCode(decoded.status()), c.want_code) << c.what << ": " << decoded.status();
  }
}

}  // namespace
}  // namespace certforge::apiserver
