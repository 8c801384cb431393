#include "services/local-apiserver/collection_lister.h"

#include <gtest/gtest.h>

#include "lib/core/base64.h"
#include "tests/unit/local_apiserver/test_env.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

class CollectionListerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    env_.CreateNamespace("other");
    for (const char* name : {"c3", "c1", "c5", "c2", "c4"}) {
      json cm = ConfigMapBody(name, {{"k", "v"}});
      cm["metadata"]["labels"] = {
          {"odd", std::string(name) == "c2" || std::string(name) == "c4" ? "no" : "yes"}};
      env_.MustCreate(env_.Core("configmaps", "default"), cm);
    }
    env_.MustCreate(env_.Core("configmaps", "other"), ConfigMapBody("x"));
  }

  absl::StatusOr<json> List(ListRequest request, const std::string& labels = "",
                            ResourceTypePtr type = nullptr) {
    if (!type) type = env_.Type("", "v1", "configmaps");
    auto filter = ObjectFilter::Create(*type, labels, "");
    if (!filter.ok()) return filter.status();
    auto lister = CollectionLister::Create(env_.store(), type, std::move(*filter), request);
    if (!lister.ok()) return lister.status();
    std::string body;
    auto s = lister->Write([&](std::string_view piece) {
      body.append(piece);
      return true;
    });
    if (!s.ok()) return s;
    json parsed = json::parse(body, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << body;
    return parsed;
  }

  static std::vector<std::string> Names(const json& list) {
    std::vector<std::string> out;
    for (const auto& item : list["items"]) out.push_back(item["metadata"]["name"]);
    return out;
  }

  TestEnv env_;
};

TEST_F(CollectionListerTest, ListsInNameOrderWithTheStoreRevision) {
  auto all = List({});
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ((*all)["kind"], "ConfigMapList");
  EXPECT_EQ((*all)["apiVersion"], "v1");
  EXPECT_EQ(Names(*all), (std::vector<std::string>{"c1", "c2", "c3", "c4", "c5", "x"}));
  EXPECT_EQ((*all)["metadata"],
            json({{"resourceVersion", std::to_string(env_.store().revision())}}));
  EXPECT_EQ((*all)["items"][0]["data"], json({{"k", "v"}}));

  auto other = List({"other"});
  EXPECT_EQ(Names(*other), std::vector<std::string>{"x"});
  auto none = List({"empty"});
  EXPECT_TRUE((*none)["items"].empty());
  auto odd = List({"default"}, "odd=yes");
  EXPECT_EQ(Names(*odd), (std::vector<std::string>{"c1", "c3", "c5"}));
}

TEST_F(CollectionListerTest, PagesWithLimitAndContinue) {
  struct Page {
    std::vector<std::string> names;
    bool more;
  };
  std::string token;
  std::string first_rv;
  std::vector<Page> pages;
  for (int i = 0; i < 5; ++i) {
    auto page = List({"", 2, token});
    ASSERT_TRUE(page.ok()) << page.status();
    std::string rv = (*page)["metadata"]["resourceVersion"];
    if (first_rv.empty()) {
      first_rv = rv;
      // A write between pages does not change the revision later pages report.
      env_.MustCreate(env_.Core("configmaps", "other"), ConfigMapBody("y"));
    }
    EXPECT_EQ(rv, first_rv);
    bool more = (*page)["metadata"].contains("continue");
    pages.push_back({Names(*page), more});
    if (!more) break;
    token = (*page)["metadata"]["continue"].get<std::string>();
  }
  ASSERT_EQ(pages.size(), 4u);
  EXPECT_EQ(pages[0].names, (std::vector<std::string>{"c1", "c2"}));
  EXPECT_EQ(pages[1].names, (std::vector<std::string>{"c3", "c4"}));
  EXPECT_EQ(pages[2].names, (std::vector<std::string>{"c5", "x"}));
  EXPECT_EQ(pages[3].names, std::vector<std::string>{"y"});

  // An exact fit reports no further page.
  auto exact = List({"default", 5});
  EXPECT_EQ(Names(*exact).size(), 5u);
  EXPECT_FALSE((*exact)["metadata"].contains("continue"));
  // The limit counts matching objects only.
  auto filtered = List({"default", 2}, "odd=yes");
  EXPECT_EQ(Names(*filtered), (std::vector<std::string>{"c1", "c3"}));
  auto rest =
      List({"default", 2, (*filtered)["metadata"]["continue"].get<std::string>()}, "odd=yes");
  EXPECT_EQ(Names(*rest), std::vector<std::string>{"c5"});
  EXPECT_FALSE((*rest)["metadata"].contains("continue"));
}

TEST_F(CollectionListerTest, BadContinueTokensAreBadRequest) {
  const std::string cases[] = {
      "%%%not-base64",
      core::Base64UrlEncode("not json"),
      core::Base64UrlEncode("{}"),
      core::Base64UrlEncode(R"({"rv":"1","ns":"","name":"x"})"),
      core::Base64UrlEncode(R"({"rv":1,"ns":5,"name":"x"})"),
      core::Base64UrlEncode(R"({"rv":1,"ns":"","name":null})"),
  };
  auto type = env_.Type("", "v1", "configmaps");
  for (const auto& token : cases) {
    auto filter = ObjectFilter::Create(*type, "", "");
    auto lister = CollectionLister::Create(env_.store(), type, std::move(*filter), {"", 0, token});
    ASSERT_FALSE(lister.ok()) << token;
    EXPECT_EQ(HttpCode(lister.status()), 400) << token;
    EXPECT_EQ(StatusBody(lister.status())["message"],
              "continue key is not valid: incorrect encoded start resourceVersion");
  }
}

TEST_F(CollectionListerTest, TableOutput) {
  auto table = List({"default", 2, "", /*table=*/true});
  ASSERT_TRUE(table.ok()) << table.status();
  EXPECT_EQ((*table)["kind"], "Table");
  EXPECT_EQ((*table)["apiVersion"], "meta.k8s.io/v1");
  std::vector<std::string> columns;
  for (const auto& c : (*table)["columnDefinitions"]) columns.push_back(c["name"]);
  EXPECT_EQ(columns, (std::vector<std::string>{"Name", "Data", "Age"}));
  ASSERT_EQ((*table)["rows"].size(), 2u);
  const json& row = (*table)["rows"][0];
  EXPECT_EQ(row["cells"][0], "c1");
  EXPECT_EQ(row["cells"][1], 1);
  EXPECT_TRUE(row["cells"][2].is_string());
  EXPECT_EQ(row["object"]["kind"], "PartialObjectMetadata");
  EXPECT_EQ(row["object"]["metadata"]["name"], "c1");
  EXPECT_TRUE((*table)["metadata"].contains("continue"));
}

TEST_F(CollectionListerTest, ServesOtherVersionsAndStopsWhenTheClientLeaves) {
  env_.RegisterWidgetCrd();
  env_.MustCreate(env_.Widget("default"), WidgetBody("w", 1));
  auto beta = List({}, "", env_.Type("example.com", "v1beta1", "widgets"));
  ASSERT_TRUE(beta.ok()) << beta.status();
  EXPECT_EQ((*beta)["kind"], "WidgetList");
  EXPECT_EQ((*beta)["apiVersion"], "example.com/v1beta1");
  EXPECT_EQ((*beta)["items"][0]["apiVersion"], "example.com/v1beta1");
  auto v1 = List({}, "", env_.Type("example.com", "v1", "widgets"));
  EXPECT_EQ((*v1)["items"][0]["apiVersion"], "example.com/v1");

  auto type = env_.Type("", "v1", "configmaps");
  auto lister = CollectionLister::Create(env_.store(), type, *ObjectFilter::Create(*type, "", ""),
                                         ListRequest{});
  auto s = lister->Write([](std::string_view) { return false; });
  EXPECT_EQ(s.code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace certforge::apiserver
