#include "lib/core/base64.h"

#include <gtest/gtest.h>

namespace certforge::core {
namespace {

TEST(Base64, RoundTripsEveryLength) {
  std::string bytes;
  for (int i = 0; i < 40; ++i) {
    bytes.push_back(static_cast<char>(i * 37));
    auto decoded = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(decoded.ok()) << decoded.status();
    EXPECT_EQ(*decoded, bytes);
    auto url = Base64UrlDecode(Base64UrlEncode(bytes));
    ASSERT_TRUE(url.ok()) << url.status();
    EXPECT_EQ(*url, bytes);
  }
}

TEST(Base64, KnownVectors) {
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_EQ(*Base64Decode("Zm8="), "fo");
}

TEST(Base64, RejectsMalformedInput) {
  EXPECT_FALSE(Base64Decode("Zm9").ok());
  EXPECT_FALSE(Base64Decode("Zm9*YmFy").ok());
  EXPECT_FALSE(Base64UrlDecode("Zm8=").ok());
}

}  // namespace
}  // namespace certforge::core
