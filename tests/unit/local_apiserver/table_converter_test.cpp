#include "services/local-apiserver/table_converter.h"

#include <gtest/gtest.h>

#include "lib/core/time_format.h"
#include "services/local-apiserver/builtin_resources.h"
#include "services/local-apiserver/crd_strategy.h"
#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

const auto kNow = std::chrono::system_clock::time_point(seconds(1800000000));

std::string Ago(std::chrono::seconds d) { return core::FormatRfc3339(kNow - d); }

TEST(TableConverterTest, WantsTable) {
  EXPECT_TRUE(WantsTable("application/json;as=Table;v=v1;g=meta.k8s.io,application/json"));
  EXPECT_FALSE(WantsTable("application/json"));
  EXPECT_FALSE(WantsTable(""));
}

TEST(TableConverterTest, CellValues) {
  struct Case {
    std::string type;
    json value;
    json want;
  };
  const Case cases[] = {
      {"date", Ago(seconds(90)), "90s"},
      {"date", Ago(minutes(5) + seconds(10)), "5m10s"},
      {"date", Ago(hours(3)), "3h"},
      {"date", Ago(hours(24 * 3)), "3d"},
      {"date", Ago(seconds(-1)), "0s"},  // a little clock skew
      {"date", Ago(seconds(-30)), "<invalid>"},
      {"date", "yesterday", "<invalid>"},
      {"date", "", "<unknown>"},
      {"date", 5, nullptr},
      {"integer", 5, 5},
      {"integer", 5.9, 5},
      {"integer", "5", nullptr},
      {"number", 1.5, 1.5},
      {"number", 2, 2},
      {"number", "2", nullptr},
      {"boolean", true, true},
      {"boolean", "true", nullptr},
      {"string", "text", "text"},
      {"string", 7, "7"},
      {"string", nullptr, nullptr},
      {"integer", nullptr, nullptr},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(CellValue(c.type, c.value, kNow), c.want) << c.type << " " << c.value.dump();
  }
}

class TableConverterTypesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto registered = RegisterBuiltinsAndWidgets(catalog_);
    ASSERT_TRUE(registered.ok()) << registered;
  }
  ResourceCatalog catalog_;
};

TEST_F(TableConverterTypesTest, ColumnDefinitions) {
  json columns = TableColumnDefinitions(*catalog_.Find("example.com", "v1", "widgets"));
  ASSERT_EQ(columns.size(), 4u);
  EXPECT_EQ(columns[0]["name"], "Name");
  EXPECT_EQ(columns[0]["format"], "name");
  EXPECT_EQ(columns[1], json({{"name", "Size"},
                              {"type", "integer"},
                              {"format", ""},
                              {"description", ""},
                              {"priority", 0}}));
  EXPECT_EQ(columns[2]["priority"], 1);
  EXPECT_EQ(columns[3]["type"], "date");

  // A version without additionalPrinterColumns gets Age.
  json beta = TableColumnDefinitions(*catalog_.Find("example.com", "v1beta1", "widgets"));
  ASSERT_EQ(beta.size(), 2u);
  EXPECT_EQ(beta[1]["name"], "Age");
}

TEST_F(TableConverterTypesTest, RowsOfCustomAndBuiltinKinds) {
  json widget = {{"metadata",
                  {{"name", "w"},
                   {"namespace", "default"},
                   {"creationTimestamp", Ago(hours(2))},
                   {"managedFields", json::array({{{"manager", "kubectl"}}})}}},
                 {"spec", {{"size", 3}}}};
  json row = TableRow(*catalog_.Find("example.com", "v1", "widgets"), widget, kNow);
  EXPECT_EQ(row["cells"], json({"w", 3, nullptr, "120m"}));
  EXPECT_EQ(row["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(row["object"]["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(row["object"]["metadata"]["name"], "w");
  EXPECT_FALSE(row["object"]["metadata"].contains("managedFields"));
  EXPECT_FALSE(row["object"].contains("spec"));

  json secret = {{"metadata", {{"name", "s"}, {"creationTimestamp", Ago(seconds(30))}}},
                 {"type", "kubernetes.io/tls"},
                 {"data", {{"tls.crt", "x"}, {"tls.key", "y"}}}};
  EXPECT_EQ(TableRow(*catalog_.Find("", "v1", "secrets"), secret, kNow)["cells"],
            json({"s", "kubernetes.io/tls", 2, "30s"}));

  json ns = {{"metadata", {{"name", "n"}, {"creationTimestamp", Ago(hours(24 * 10))}}},
             {"status", {{"phase", "Active"}}}};
  EXPECT_EQ(TableRow(*catalog_.Find("", "v1", "namespaces"), ns, kNow)["cells"],
            json({"n", "Active", "10d"}));

  json ingress = {{"metadata", {{"name", "i"}, {"creationTimestamp", Ago(seconds(5))}}},
                  {"spec",
                   {{"rules", {{{"host", "a.example"}}, {{"host", "b.example"}}}},
                    {"tls", {{{"hosts", {"a.example"}}}}}}},
                  {"status", {{"loadBalancer", {{"ingress", {{{"ip", "10.0.0.1"}}}}}}}}};
  EXPECT_EQ(
      TableRow(*catalog_.Find("networking.k8s.io", "v1", "ingresses"), ingress, kNow)["cells"],
      json({"i", "<none>", "a.example,b.example", "10.0.0.1", "80, 443", "5s"}));
}

TEST_F(TableConverterTypesTest, MakeTable) {
  const ResourceType& cms = *catalog_.Find("", "v1", "configmaps");
  json rows = json::array({TableRow(cms, {{"metadata", {{"name", "c"}}}}, kNow)});
  json table = MakeTable(cms, rows, "42", "");
  EXPECT_EQ(table["kind"], "Table");
  EXPECT_EQ(table["apiVersion"], "meta.k8s.io/v1");
  EXPECT_EQ(table["metadata"], json({{"resourceVersion", "42"}}));
  EXPECT_EQ(table["columnDefinitions"], TableColumnDefinitions(cms));
  EXPECT_EQ(table["rows"], rows);
  EXPECT_EQ(MakeTable(cms, json::array(), "42", "next")["metadata"]["continue"], "next");
}

}  // namespace
}  // namespace certforge::apiserver
