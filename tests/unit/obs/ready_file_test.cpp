#include "lib/obs/ready_file.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "tests/support/temp_dir.h"

namespace certforge::obs {
namespace {

TEST(ReadyFileTest, WritesJsonAtomically) {
  testing::TempDir dir;
  ASSERT_TRUE(
      WriteReadyFile(dir.File("ready.json"), {{"grpc_port", 1234}, {"healthz_port", 5678}}).ok());
  auto ready = nlohmann::json::parse(testing::ReadFile(dir.File("ready.json")));
  EXPECT_EQ(ready, (nlohmann::json{{"grpc_port", 1234}, {"healthz_port", 5678}}));
  EXPECT_FALSE(std::filesystem::exists(dir.File("ready.json.tmp")));
  EXPECT_FALSE(WriteReadyFile(dir.File("missing/ready.json"), {{"x", 1}}).ok());
}

}  // namespace
}  // namespace certforge::obs
