#include "services/local-apiserver/object_admission.h"

#include <gtest/gtest.h>

#include "lib/core/base64.h"
#include "services/local-apiserver/builtin_resources.h"
#include "services/local-apiserver/crd_strategy.h"
#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

class ObjectAdmissionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registered = RegisterBuiltinsAndWidgets(catalog_);
    ASSERT_TRUE(registered.ok()) << registered;
  }

  const ResourceType& Type(const std::string& group, const std::string& resource) {
    ResourceTypePtr type = catalog_.Find(group, "v1", resource);
    EXPECT_NE(type, nullptr) << resource;
    return *type;
  }

  // Admits a create (old == nullptr) or an update of `old` at `ns`/`name`.
  absl::Status Admit(const ResourceType& type, json& object,
                     FieldValidation validation = FieldValidation::kWarn, const json* old = nullptr,
                     const std::string& subresource = "") {
    warnings_.clear();
    std::string name = old != nullptr ? (*old)["metadata"].value("name", "") : "";
    AdmissionRequest request{type,       type.namespaced ? "default" : "", name, subresource, old,
                             validation, std::chrono::system_clock::now()};
    return AdmitObject(request, object, warnings_);
  }

  // Admits a create, failing the test on error, and returns the stored form.
  json Created(const ResourceType& type, json object) {
    auto s = Admit(type, object);
    EXPECT_TRUE(s.ok()) << s;
    return object;
  }

  ResourceCatalog catalog_;
  std::vector<std::string> warnings_;
};

json Widget(const json& spec) {
  return {{"apiVersion", "example.com/v1"},
          {"kind", "Widget"},
          {"metadata", {{"name", "w"}}},
          {"spec", spec}};
}

TEST_F(ObjectAdmissionTest, UnknownFieldsFollowTheValidationMode) {
  struct Case {
    FieldValidation mode;
    bool ok;
    std::vector<std::string> warnings;
  };
  const Case cases[] = {
      {FieldValidation::kStrict, false, {}},
      {FieldValidation::kWarn,
       true,
       {"unknown field \"metadata.bogus\"", "unknown field \"spec.extra\""}},
      {FieldValidation::kIgnore, true, {}},
  };
  for (const auto& c : cases) {
    json object = Widget({{"size", 1}, {"extra", true}});
    object["metadata"]["bogus"] = "x";
    auto s = Admit(Type("example.com", "widgets"), object, c.mode);
    EXPECT_EQ(s.ok(), c.ok) << static_cast<int>(c.mode);
    EXPECT_EQ(warnings_, c.warnings) << static_cast<int>(c.mode);
    if (s.ok()) {
      EXPECT_FALSE(object["spec"].contains("extra"));
      EXPECT_FALSE(object["metadata"].contains("bogus"));
      EXPECT_EQ(object["spec"]["size"], 1);
    } else {
      EXPECT_EQ(HttpCode(s), 400);
      EXPECT_EQ(StatusBody(s)["message"],
                "strict decoding error: unknown field \"metadata.bogus\", unknown field "
                "\"spec.extra\"");
    }
  }
  // Built-in kinds prune by their own schema.
  json secret = SecretBody("s");
  secret["bogus"] = 1;
  auto strict = Admit(Type("", "secrets"), secret, FieldValidation::kStrict);
  EXPECT_EQ(StatusBody(strict)["message"], "strict decoding error: unknown field \"bogus\"");
}

TEST_F(ObjectAdmissionTest, TypeMetaAndShape) {
  struct Case {
    const char* what;
    json object;
    int want_code;  // 0 = admitted
    std::string want_message;
  };
  const Case cases[] = {
      {"other group",
       {{"apiVersion", "apps/v1"}, {"kind", "ConfigMap"}, {"metadata", {{"name", "c"}}}},
       400,
       "the API version in the data (apps/v1) does not match the expected API version (v1)"},
      {"other kind",
       {{"apiVersion", "v1"}, {"kind", "Secret"}, {"metadata", {{"name", "c"}}}},
       400,
       "the kind in the data (Secret) does not match the expected kind (ConfigMap)"},
      {"no type meta", {{"metadata", {{"name", "c"}}}}, 0, ""},
      {"not an object", json::array({1}), 400, "the body of the request must be an object"},
      {"metadata not an object", {{"metadata", "c"}}, 400, "metadata must be an object"},
      {"other namespace",
       {{"metadata", {{"name", "c"}, {"namespace", "other"}}}},
       400,
       "the namespace of the provided object does not match the namespace sent on the request"},
  };
  for (const auto& c : cases) {
    json object = c.object;
    auto s = Admit(Type("", "configmaps"), object);
    if (c.want_code == 0) {
      ASSERT_TRUE(s.ok()) << c.what << ": " << s;
      EXPECT_EQ(object["apiVersion"], "v1") << c.what;
      EXPECT_EQ(object["kind"], "ConfigMap") << c.what;
      EXPECT_EQ(object["metadata"]["namespace"], "default") << c.what;
    } else {
      EXPECT_EQ(HttpCode(s), c.want_code) << c.what << ": " << s;
      EXPECT_EQ(StatusBody(s)["message"], c.want_message) << c.what;
    }
  }
  // Cluster-scoped kinds lose a namespace the client sent.
  json ns = {{"metadata", {{"name", "n"}, {"namespace", "default"}}}};
  ASSERT_TRUE(Admit(Type("", "namespaces"), ns).ok());
  EXPECT_FALSE(ns["metadata"].contains("namespace"));
  // An update cannot rename.
  json old = Created(Type("", "configmaps"), ConfigMapBody("c"));
  json renamed = ConfigMapBody("d");
  auto s = Admit(Type("", "configmaps"), renamed, FieldValidation::kWarn, &old);
  EXPECT_EQ(StatusBody(s)["message"],
            "the name of the object (d) does not match the name on the URL (c)");
}

TEST_F(ObjectAdmissionTest, ServerOwnedMetadataOnCreateAndUpdate) {
  json created = Created(Type("example.com", "widgets"), [] {
    json w = Widget({{"size", 1}});
    w["metadata"]["deletionTimestamp"] = "2020-01-01T00:00:00Z";
    w["metadata"]["labels"] = nullptr;  // null means absent
    w["status"] = {{"ready", true}};
    return w;
  }());
  const json& meta = created["metadata"];
  EXPECT_EQ(meta["generation"], 1);
  EXPECT_FALSE(meta.contains("deletionTimestamp"));
  EXPECT_FALSE(meta.contains("labels"));
  EXPECT_FALSE(meta.contains("resourceVersion"));  // the registry assigns it
  EXPECT_FALSE(created.contains("status"));
  EXPECT_EQ(created["spec"]["color"], "blue");

  json update = created;
  update["metadata"]["uid"] = "forged";
  update["metadata"]["creationTimestamp"] = "2001-01-01T00:00:00Z";
  update["metadata"]["generation"] = 10;
  ASSERT_TRUE(Admit(Type("example.com", "widgets"), update, FieldValidation::kWarn, &created).ok());
  EXPECT_EQ(update["metadata"]["uid"], meta["uid"]);
  EXPECT_EQ(update["metadata"]["creationTimestamp"], meta["creationTimestamp"]);
  EXPECT_EQ(update["metadata"]["generation"], 1);

  json cm = Created(Type("", "configmaps"), ConfigMapBody("c"));
  EXPECT_FALSE(cm["metadata"].contains("generation"));
}

TEST_F(ObjectAdmissionTest, SecretStringDataTypeAndTls) {
  struct Case {
    const char* what;
    json fields;  // merged into a Secret named "s"
    json want_data;
    std::string want_type;
    std::vector<std::string> want_causes;  // "field reason"; empty = admitted
  };
  const std::string old_b64 = core::Base64Encode("old");
  const Case cases[] = {
      {"stringData folds into data",
       {{"stringData", {{"a", "hello"}}}},
       {{"a", core::Base64Encode("hello")}},
       "Opaque",
       {}},
      {"stringData wins over data",
       {{"data", {{"a", old_b64}, {"b", old_b64}}}, {"stringData", {{"a", "new"}}}},
       {{"a", core::Base64Encode("new")}, {"b", old_b64}},
       "Opaque",
       {}},
      {"empty type is Opaque", {{"type", ""}}, nullptr, "Opaque", {}},
      {"tls needs both keys",
       {{"type", "kubernetes.io/tls"}, {"stringData", {{"tls.crt", "c"}}}},
       nullptr,
       "",
       {"data[tls.key] FieldValueRequired"}},
      {"tls with both keys",
       {{"type", "kubernetes.io/tls"}, {"stringData", {{"tls.crt", "c"}, {"tls.key", "k"}}}},
       {{"tls.crt", core::Base64Encode("c")}, {"tls.key", core::Base64Encode("k")}},
       "kubernetes.io/tls",
       {}},
      {"bad key", {{"stringData", {{"a b", "x"}}}}, nullptr, "", {"data[a b] FieldValueInvalid"}},
  };
  for (const auto& c : cases) {
    json secret = SecretBody("s");
    secret.update(c.fields);
    auto s = Admit(Type("", "secrets"), secret);
    if (c.want_causes.empty()) {
      ASSERT_TRUE(s.ok()) << c.what << ": " << s;
      EXPECT_FALSE(secret.contains("stringData")) << c.what;
      EXPECT_EQ(secret.value("data", json()), c.want_data) << c.what;
      EXPECT_EQ(secret["type"], c.want_type) << c.what;
      continue;
    }
    ASSERT_FALSE(s.ok()) << c.what;
    EXPECT_EQ(HttpCode(s), 422) << c.what;
    std::vector<std::string> causes;
    json status = StatusBody(s);  // a named copy: a range-for over a temporary's part dangles
    for (const auto& cause : status["details"]["causes"]) {
      causes.push_back(cause.value("field", "") + " " + cause.value("reason", ""));
    }
    EXPECT_EQ(causes, c.want_causes) << c.what;
  }
}

TEST_F(ObjectAdmissionTest, SecretTypeAndImmutableDataCannotChange) {
  json old = Created(Type("", "secrets"), SecretBody("s", {{"a", "1"}}));
  json retyped = old;
  retyped["type"] = "kubernetes.io/basic-auth";
  auto s = Admit(Type("", "secrets"), retyped, FieldValidation::kWarn, &old);
  EXPECT_EQ(HttpCode(s), 422);
  EXPECT_EQ(StatusBody(s)["details"]["causes"][0]["field"], "type");

  old["immutable"] = true;
  json changed = old;
  changed["data"]["a"] = core::Base64Encode("2");
  s = Admit(Type("", "secrets"), changed, FieldValidation::kWarn, &old);
  EXPECT_EQ(HttpCode(s), 422);
  EXPECT_EQ(StatusBody(s)["details"]["causes"][0]["reason"], "FieldValueForbidden");
  json same = old;
  same["metadata"]["labels"] = {{"only", "metadata"}};
  EXPECT_TRUE(Admit(Type("", "secrets"), same, FieldValidation::kWarn, &old).ok());
}

TEST_F(ObjectAdmissionTest, NamespaceIsActiveWithAFinalizer) {
  json ns = Created(Type("", "namespaces"), {{"metadata", {{"name", "team-a"}}}});
  EXPECT_EQ(ns["status"], json({{"phase", "Active"}}));
  EXPECT_EQ(ns["spec"]["finalizers"], json({"kubernetes"}));
  // Namespace names are DNS labels, not subdomains.
  json dotted = {{"metadata", {{"name", "team.a"}}}};
  auto s = Admit(Type("", "namespaces"), dotted);
  EXPECT_EQ(HttpCode(s), 422);
  EXPECT_EQ(StatusBody(s)["details"]["causes"][0]["field"], "metadata.name");
}

TEST_F(ObjectAdmissionTest, SchemaErrorsAreInvalidWithCauses) {
  json one = Widget({{"size", -1}});
  auto s = Admit(Type("example.com", "widgets"), one);
  ASSERT_FALSE(s.ok());
  json status = StatusBody(s);
  EXPECT_EQ(HttpCode(s), 422);
  EXPECT_EQ(status["reason"], "Invalid");
  EXPECT_EQ(status["details"]["name"], "w");
  EXPECT_EQ(status["details"]["group"], "example.com");
  EXPECT_EQ(status["details"]["kind"], "Widget");
  ASSERT_EQ(status["details"]["causes"].size(), 1u);
  EXPECT_EQ(status["details"]["causes"][0]["field"], "spec.size");
  EXPECT_EQ(status["message"].get<std::string>().rfind(
                "Widget.example.com \"w\" is invalid: spec.size: ", 0),
            0u)
      << status["message"];

  json two = Widget({{"size", "big"}, {"tags", "not-a-list"}});
  two["metadata"]["name"] = "Bad_Name";
  s = Admit(Type("example.com", "widgets"), two);
  status = StatusBody(s);
  std::vector<std::string> fields;
  for (const auto& cause : status["details"]["causes"]) fields.push_back(cause["field"]);
  // Metadata errors come first, then the schema's.
  ASSERT_EQ(fields.size(), 3u) << status.dump();
  EXPECT_EQ(fields[0], "metadata.name");
  EXPECT_NE(std::find(fields.begin(), fields.end(), "spec.size"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "spec.tags"), fields.end());
  std::string message = status["message"];
  EXPECT_EQ(message.rfind("Widget.example.com \"Bad_Name\" is invalid: [metadata.name: ", 0), 0u)
      << message;
  EXPECT_EQ(message.back(), ']');
}

TEST_F(ObjectAdmissionTest, MetadataIsValidated) {
  struct Case {
    const char* what;
    std::function<void(json& meta)> edit;
    std::string want_field;
    std::string want_reason;
  };
  const Case cases[] = {
      {"no name", [](json& m) { m.erase("name"); }, "metadata.name", "FieldValueRequired"},
      {"bad name", [](json& m) { m["name"] = "Bad_Name"; }, "metadata.name", "FieldValueInvalid"},
      {"bad label value",
       [](json& m) {
         m["labels"] = {{"app", "no spaces"}};
       },
       "metadata.labels", "FieldValueInvalid"},
      {"bad label key",
       [](json& m) {
         m["labels"] = {{"-app", "x"}};
       },
       "metadata.labels", "FieldValueInvalid"},
      {"bad annotation key",
       [](json& m) {
         m["annotations"] = {{"a b", "x"}};
       },
       "metadata.annotations", "FieldValueInvalid"},
      {"bad finalizer",
       [](json& m) {
         m["finalizers"] = {"ok.io/fine", "not ok"};
       },
       "metadata.finalizers[1]", "FieldValueInvalid"},
      {"owner reference without uid",
       [](json& m) {
         m["ownerReferences"] = {{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", "o"}}};
       },
       "metadata.ownerReferences[0].uid", "FieldValueInvalid"},
  };
  for (const auto& c : cases) {
    json object = ConfigMapBody("c");
    c.edit(object["metadata"]);
    auto s = Admit(Type("", "configmaps"), object);
    ASSERT_FALSE(s.ok()) << c.what;
    json causes = StatusBody(s)["details"]["causes"];
    ASSERT_EQ(causes.size(), 1u) << c.what << ": " << causes.dump();
    EXPECT_EQ(causes[0]["field"], c.want_field) << c.what;
    EXPECT_EQ(causes[0]["reason"], c.want_reason) << c.what;
  }
}

TEST_F(ObjectAdmissionTest, NoNewFinalizersWhileDeleting) {
  json old = ConfigMapBody("c");
  old["metadata"]["finalizers"] = {"example.com/a"};
  old = Created(Type("", "configmaps"), old);
  old["metadata"]["deletionTimestamp"] = "2030-01-01T00:00:00Z";
  json more = old;
  more["metadata"]["finalizers"] = {"example.com/a", "example.com/b"};
  auto s = Admit(Type("", "configmaps"), more, FieldValidation::kWarn, &old);
  ASSERT_FALSE(s.ok());
  json cause = StatusBody(s)["details"]["causes"][0];
  EXPECT_EQ(cause["field"], "metadata.finalizers");
  EXPECT_EQ(cause["message"],
            "Forbidden: no new finalizers can be added if the object is being deleted, found new "
            "finalizers []string{\"example.com/b\"}");
  // Removing one is fine, and the deletionTimestamp stays whatever the body says.
  json fewer = old;
  fewer["metadata"].erase("finalizers");
  fewer["metadata"].erase("deletionTimestamp");
  ASSERT_TRUE(Admit(Type("", "configmaps"), fewer, FieldValidation::kWarn, &old).ok());
  EXPECT_EQ(fewer["metadata"]["deletionTimestamp"], "2030-01-01T00:00:00Z");
}

}  // namespace
}  // namespace certforge::apiserver
