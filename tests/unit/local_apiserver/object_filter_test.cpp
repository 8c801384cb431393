#include "services/local-apiserver/object_filter.h"

#include <gtest/gtest.h>

#include "services/local-apiserver/builtin_resources.h"
#include "services/local-apiserver/crd_strategy.h"
#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

class ObjectFilterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registered = RegisterBuiltinsAndWidgets(catalog_);
    ASSERT_TRUE(registered.ok()) << registered;
  }

  const ResourceType& Type(const std::string& group, const std::string& resource) {
    return *catalog_.Find(group, "v1", resource);
  }

  ResourceCatalog catalog_;
};

ObjectRecord Record(const json& object) {
  ObjectRecord r;
  r.ns = object["metadata"].value("namespace", "");
  r.name = object["metadata"].value("name", "");
  r.labels = object["metadata"].value("labels", json::object()).dump();
  r.body = object.dump();
  return r;
}

json Secret(const std::string& ns, const std::string& name, const json& labels,
            const std::string& type) {
  return {{"metadata", {{"name", name}, {"namespace", ns}, {"labels", labels}}}, {"type", type}};
}

TEST_F(ObjectFilterTest, RejectsMalformedSelectorsAndUnsupportedFields) {
  struct Case {
    std::string group, resource, labels, fields;
    std::string want_message;  // "" = accepted
  };
  const Case cases[] = {
      {"", "secrets", "app=web,tier in (a,b)", "metadata.name=x,type!=Opaque", ""},
      {"", "secrets", "", "metadata.namespace=default", ""},
      {"", "namespaces", "", "status.phase=Active", ""},
      {"", "events", "", "involvedObject.kind=Certificate,source=x,reason=Issued", ""},
      {"example.com", "widgets", "", "spec.color=red", ""},
      {"", "secrets", "", "spec.color=red", "field label not supported: spec.color"},
      {"", "configmaps", "", "type=x", "field label not supported: type"},
      {"example.com", "widgets", "", "spec.size=1", "field label not supported: spec.size"},
      {"", "secrets", "app in (", "", "unable to parse requirement: "},
      {"", "secrets", "", "metadata.name", ""},  // only the message prefix is checked below
  };
  for (const auto& c : cases) {
    auto filter = ObjectFilter::Create(Type(c.group, c.resource), c.labels, c.fields);
    if (c.fields == "metadata.name") {
      ASSERT_FALSE(filter.ok()) << "a term without an operator";
      EXPECT_EQ(HttpCode(filter.status()), 400);
      continue;
    }
    if (c.want_message.empty()) {
      EXPECT_TRUE(filter.ok()) << c.labels << " / " << c.fields << ": " << filter.status();
      continue;
    }
    ASSERT_FALSE(filter.ok()) << c.labels << " / " << c.fields;
    EXPECT_EQ(HttpCode(filter.status()), 400);
    EXPECT_EQ(StatusBody(filter.status())["message"].get<std::string>().rfind(c.want_message, 0),
              0u)
        << StatusBody(filter.status())["message"];
  }
}

TEST_F(ObjectFilterTest, MatchesRecordsAndObjects) {
  const json objects[] = {
      Secret("default", "web-tls", {{"app", "web"}}, "kubernetes.io/tls"),
      Secret("default", "web-token", {{"app", "web"}, {"tier", "front"}}, "Opaque"),
      Secret("other", "db", {{"app", "db"}}, "Opaque"),
      Secret("other", "bare", json::object(), "Opaque"),
  };
  struct Case {
    std::string labels, fields;
    std::vector<std::string> want;
  };
  const Case cases[] = {
      {"", "", {"web-tls", "web-token", "db", "bare"}},
      {"app=web", "", {"web-tls", "web-token"}},
      {"app!=web", "", {"db", "bare"}},
      {"tier", "", {"web-token"}},
      {"!tier", "", {"web-tls", "db", "bare"}},
      {"app in (db,web),tier notin (front)", "", {"web-tls", "db"}},
      {"", "metadata.name=db", {"db"}},
      {"", "metadata.namespace=other", {"db", "bare"}},
      {"", "metadata.namespace!=other", {"web-tls", "web-token"}},
      {"", "type=kubernetes.io/tls", {"web-tls"}},
      {"app=web", "type=Opaque", {"web-token"}},
      {"app=db", "metadata.namespace=default", {}},
  };
  for (const auto& c : cases) {
    auto filter = ObjectFilter::Create(Type("", "secrets"), c.labels, c.fields);
    ASSERT_TRUE(filter.ok()) << filter.status();
    EXPECT_EQ(filter->matches_everything(), c.labels.empty() && c.fields.empty());
    std::vector<std::string> by_record, by_object;
    for (const auto& o : objects) {
      if (filter->Matches(Record(o))) by_record.push_back(o["metadata"]["name"]);
      if (filter->Matches(o)) by_object.push_back(o["metadata"]["name"]);
    }
    EXPECT_EQ(by_record, c.want) << c.labels << " / " << c.fields;
    EXPECT_EQ(by_object, c.want) << c.labels << " / " << c.fields;
  }
}

TEST_F(ObjectFilterTest, LabelsAndNamesComeFromTheRecordColumns) {
  // The store keeps labels, namespace and name apart from the body; the filter must use them
  // and not parse the body for these.
  ObjectRecord record;
  record.ns = "default";
  record.name = "x";
  record.labels = R"({"app":"web"})";
  record.body = "not json";
  auto labels = ObjectFilter::Create(Type("", "secrets"), "app=web", "");
  auto names = ObjectFilter::Create(Type("", "secrets"), "", "metadata.name=x");
  auto types = ObjectFilter::Create(Type("", "secrets"), "", "type=Opaque");
  EXPECT_TRUE(labels->Matches(record));
  EXPECT_TRUE(names->Matches(record));
  EXPECT_FALSE(types->Matches(record));  // needs the body, which does not parse
}

TEST_F(ObjectFilterTest, EventSourceAndCustomFields) {
  json event = {{"metadata", {{"name", "e"}, {"namespace", "default"}}},
                {"source", {{"component", "certforge"}}},
                {"involvedObject", {{"kind", "Certificate"}, {"name", "c"}}}};
  auto source = ObjectFilter::Create(Type("", "events"), "", "source=certforge");
  EXPECT_TRUE(source->Matches(event));
  EXPECT_TRUE(source->Matches(Record(event)));
  auto kind = ObjectFilter::Create(Type("", "events"), "", "involvedObject.kind=Issuer");
  EXPECT_FALSE(kind->Matches(event));

  json widget = {{"metadata", {{"name", "w"}}}, {"spec", {{"color", "red"}}}};
  auto color = ObjectFilter::Create(Type("example.com", "widgets"), "", "spec.color=red");
  EXPECT_TRUE(color->Matches(widget));
  widget["spec"]["color"] = "blue";
  EXPECT_FALSE(color->Matches(widget));
}

}  // namespace
}  // namespace certforge::apiserver
