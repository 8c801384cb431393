#include "services/local-apiserver/token_authenticator.h"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace certforge::apiserver {
namespace {

using certforge::testing::ReadFile;
using certforge::testing::TempDir;
using certforge::testing::WriteFile;

TEST(TokenAuthenticatorTest, ParsesUsersAndGroups) {
  TempDir dir("tokens");
  WriteFile(dir.File("tokens.csv"),
            "# comment\n"
            "admintoken,admin,uid-1,\"system:masters,devs\"\n"
            "\n"
            "plaintoken,alice,uid-2\n"
            "grouptoken,bob,uid-3,solo\n");
  auto auth = TokenAuthenticator::FromFile(dir.File("tokens.csv"));
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->admin_token(), "admintoken");

  struct Case {
    std::string header;
    std::string want_user;  // "" = rejected
    std::string want_uid;
    std::vector<std::string> want_groups;
  };
  const Case cases[] = {
      {"Bearer admintoken", "admin", "uid-1", {"system:masters", "devs"}},
      {"Bearer plaintoken", "alice", "uid-2", {}},
      {"Bearer grouptoken", "bob", "uid-3", {"solo"}},
      {"Bearer wrongtoken", ""},
      {"Bearer admintoke", ""},
      {"Bearer admintokenx", ""},
      {"Bearer ", ""},
      {"Basic admintoken", ""},
      {"admintoken", ""},
      {"", ""},
  };
  for (const auto& c : cases) {
    auto user = auth->Authenticate(c.header);
    if (c.want_user.empty()) {
      EXPECT_FALSE(user.has_value()) << c.header;
      continue;
    }
    ASSERT_TRUE(user.has_value()) << c.header;
    EXPECT_EQ(user->name, c.want_user);
    EXPECT_EQ(user->uid, c.want_uid);
    EXPECT_EQ(user->groups, c.want_groups);
  }
}

TEST(TokenAuthenticatorTest, RejectsBadFiles) {
  TempDir dir("tokens");
  EXPECT_EQ(TokenAuthenticator::FromFile(dir.File("missing.csv")).status().code(),
            absl::StatusCode::kNotFound);
  const std::pair<const char*, std::string> cases[] = {
      {"empty", ""},
      {"comments only", "# nothing\n"},
      {"too few fields", "token,user\n"},
      {"no token", ",user,uid\n"},
      {"no user", "token,,uid\n"},
  };
  for (const auto& [what, content] : cases) {
    WriteFile(dir.File("bad.csv"), content);
    auto auth = TokenAuthenticator::FromFile(dir.File("bad.csv"));
    EXPECT_EQ(auth.status().code(), absl::StatusCode::kInvalidArgument) << what;
  }
}

TEST(TokenAuthenticatorTest, EnsureFileCreatesAPrivateAdminToken) {
  TempDir dir("tokens");
  std::string path = dir.File("tokens.csv");
  ASSERT_TRUE(TokenAuthenticator::EnsureFile(path).ok());
  struct stat st {};
  ASSERT_EQ(stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  std::string content = ReadFile(path);

  auto auth = TokenAuthenticator::FromFile(path);
  ASSERT_TRUE(auth.ok()) << auth.status();
  EXPECT_EQ(auth->admin_token().size(), 64u);  // 32 random bytes in hex
  auto admin = auth->Authenticate("Bearer " + auth->admin_token());
  ASSERT_TRUE(admin.has_value());
  EXPECT_EQ(admin->name, "admin");
  EXPECT_EQ(admin->groups, std::vector<std::string>{"system:masters"});

  // An existing file is kept as it is.
  ASSERT_TRUE(TokenAuthenticator::EnsureFile(path).ok());
  EXPECT_EQ(ReadFile(path), content);
  EXPECT_FALSE(std::ifstream(path + ".tmp").good());
}

}  // namespace
}  // namespace certforge::apiserver
