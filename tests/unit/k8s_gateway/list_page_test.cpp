// A list response's items come out as the API server wrote them, whole objects each.

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "services/k8s-gateway/kube_rest_client.h"

namespace certforge::k8sgw {
namespace {

TEST(ParseListPage, ItemsOfABuiltInKindGetApiVersionAndKind) {
  auto page = ParseListPage(
      R"({"kind":"SecretList","apiVersion":"v1",)"
      R"("metadata":{"resourceVersion":"42","continue":"next-page"},)"
      R"("items":[{"metadata":{"name":"a","namespace":"ns"},"data":{"k":"dg=="}},{}]})");
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(page->resource_version, "42");
  EXPECT_EQ(page->continue_token, "next-page");
  EXPECT_EQ(page->kind, "Secret");
  EXPECT_EQ(page->api_version, "v1");
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(nlohmann::json::parse(page->items[0]),
            (nlohmann::json{{"apiVersion", "v1"},
                            {"kind", "Secret"},
                            {"metadata", {{"name", "a"}, {"namespace", "ns"}}},
                            {"data", {{"k", "dg=="}}}}));
  EXPECT_EQ(nlohmann::json::parse(page->items[1]),
            (nlohmann::json{{"apiVersion", "v1"}, {"kind", "Secret"}}));
}

TEST(ParseListPage, ItemsThatNameTheirTypeAreRelayedByteForByte) {
  const std::string item =
      R"({"apiVersion":"cert-manager.io/v1","kind":"Certificate","metadata":{"name":"c"},)"
      R"("spec":{"secretName":"c-tls","dnsNames":["a.example.com"]}})";
  auto page = ParseListPage(
      R"({"apiVersion":"cert-manager.io/v1","kind":"CertificateList","metadata":{},"items":[)" +
      item + "]}");
  ASSERT_TRUE(page.ok()) << page.status();
  ASSERT_EQ(page->items.size(), 1u);
  EXPECT_EQ(page->items[0], item);
  EXPECT_EQ(page->continue_token, "");
}

TEST(ParseListPage, NoItemsAndBadInput) {
  auto empty = ParseListPage(R"({"kind":"SecretList","metadata":{},"items":null})");
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_TRUE(empty->items.empty());
  EXPECT_FALSE(ParseListPage("not json").ok());
  EXPECT_FALSE(ParseListPage(R"({"items":[{"a":1},)").ok());
  EXPECT_FALSE(ParseListPage(R"({"items":[{"a":1} {"b":2}]})").ok());
}

}  // namespace
}  // namespace certforge::k8sgw
