#include "lib/pki/ip_address.h"

#include <gtest/gtest.h>

#include <string>

namespace certforge::pki {
namespace {

struct GoodCase {
  std::string text;
  size_t octets;
  std::string canonical;
};

class ParseIpAddressTest : public ::testing::TestWithParam<GoodCase> {};

TEST_P(ParseIpAddressTest, ParsesAndFormatsCanonically) {
  absl::StatusOr<std::string> octets = ParseIpAddress(GetParam().text);
  ASSERT_TRUE(octets.ok()) << octets.status();
  EXPECT_EQ(octets->size(), GetParam().octets);
  EXPECT_EQ(FormatIpAddress(*octets), GetParam().canonical);
}

INSTANTIATE_TEST_SUITE_P(
    Valid, ParseIpAddressTest,
    ::testing::Values(GoodCase{"127.0.0.1", 4, "127.0.0.1"}, GoodCase{"0.0.0.0", 4, "0.0.0.0"},
                      GoodCase{"255.255.255.255", 4, "255.255.255.255"}, GoodCase{"::1", 16, "::1"},
                      GoodCase{"2001:DB8:0:0:0:0:0:1", 16, "2001:db8::1"},
                      GoodCase{"fe80::1:2", 16, "fe80::1:2"},
                      // IPv4-mapped IPv6 is encoded as IPv4, as Go's crypto/x509 does.
                      GoodCase{"::ffff:10.1.2.3", 4, "10.1.2.3"}));

class BadIpAddressTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadIpAddressTest, IsRefusedNamingTheInput) {
  absl::StatusOr<std::string> octets = ParseIpAddress(GetParam());
  ASSERT_FALSE(octets.ok());
  EXPECT_EQ(octets.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(octets.status().message(), "invalid IP address \"" + GetParam() + "\"");
}

INSTANTIATE_TEST_SUITE_P(Invalid, BadIpAddressTest,
                         ::testing::Values("", "1.2.3", "256.1.1.1", "1.2.3.4.5", "01.2.3.4",
                                           "10.0.0.1/8", " 10.0.0.1", "10.0.0.1 ", "::g",
                                           "1:2:3:4:5:6:7:8:9", "localhost",
                                           std::string("1.2.3.4\0", 8), std::string(100, '1')));

TEST(FormatIpAddress, RefusesOtherLengths) {
  EXPECT_EQ(FormatIpAddress(""), "");
  EXPECT_EQ(FormatIpAddress("abc"), "");
  EXPECT_EQ(FormatIpAddress(std::string(5, '\1')), "");
  EXPECT_EQ(FormatIpAddress(std::string("\x0a\x00\x00\x01", 4)), "10.0.0.1");
}

}  // namespace
}  // namespace certforge::pki
