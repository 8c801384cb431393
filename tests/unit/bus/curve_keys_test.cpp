#include "lib/bus/curve_keys.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace certforge::bus {
namespace {

using certforge::testing::TempDir;
using certforge::testing::WriteFile;

TEST(CurveKeys, GeneratedPairIsZ85) {
  auto pair = GenerateCurveKeyPair();
  ASSERT_TRUE(pair.ok()) << pair.status();
  EXPECT_EQ(pair->public_key.size(), 40u);
  EXPECT_EQ(pair->secret_key.size(), 40u);
  EXPECT_TRUE(IsZ85Key(pair->public_key));
  EXPECT_TRUE(IsZ85Key(pair->secret_key));
  EXPECT_NE(pair->public_key, GenerateCurveKeyPair()->public_key);
}

TEST(CurveKeys, LoadsBareAndCertificateFormats) {
  TempDir dir("bus-keys");
  auto pair = *GenerateCurveKeyPair();
  WriteFile(dir.File("bare.pub"), pair.public_key + "\n");
  WriteFile(dir.File("bare.key"), "  " + pair.secret_key + "\n");
  WriteFile(dir.File("cert.pub"),
            "metadata\ncurve\n    public-key = \"" + pair.public_key + "\"\n");
  WriteFile(dir.File("cert.key"), "curve\n    public-key = \"" + pair.public_key +
                                      "\"\n    secret-key = \"" + pair.secret_key + "\"\n");
  for (auto [pub, sec] : {std::pair{"bare.pub", "bare.key"}, std::pair{"cert.pub", "cert.key"}}) {
    auto loaded = LoadCurveKeyPair(dir.File(pub), dir.File(sec));
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(loaded->public_key, pair.public_key);
    EXPECT_EQ(loaded->secret_key, pair.secret_key);
  }
}

TEST(CurveKeys, RejectsMissingMalformedAndMismatchedKeysWithoutEchoingThem) {
  TempDir dir("bus-keys");
  auto pair = *GenerateCurveKeyPair();
  auto other = *GenerateCurveKeyPair();
  WriteFile(dir.File("pub"), pair.public_key);
  WriteFile(dir.File("other.key"), other.secret_key);
  WriteFile(dir.File("short"), "abc");
  auto missing = LoadCurveKeyPair(dir.File("nope"), dir.File("other.key"));
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kNotFound);
  auto malformed = LoadCurveKeyPair(dir.File("pub"), dir.File("short"));
  EXPECT_EQ(malformed.status().code(), absl::StatusCode::kInvalidArgument);
  auto mismatched = LoadCurveKeyPair(dir.File("pub"), dir.File("other.key"));
  ASSERT_EQ(mismatched.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(std::string(mismatched.status().message()).find(other.secret_key), std::string::npos);
  EXPECT_EQ(std::string(mismatched.status().message()).find(pair.public_key), std::string::npos);
}

TEST(CurveKeys, Z85Validation) {
  EXPECT_FALSE(IsZ85Key(""));
  EXPECT_FALSE(IsZ85Key(std::string(40, '"')));  // not in the Z85 alphabet
  EXPECT_FALSE(IsZ85Key(std::string(39, 'a')));
  EXPECT_TRUE(IsZ85Key(std::string(40, 'a')));
}

}  // namespace
}  // namespace certforge::bus
