#include "lib/kube/label_validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using ::testing::HasSubstr;

TEST(LabelValidation, AcceptsKubernetesKeysAndValues) {
  for (const std::string& key : std::vector<std::string>{
           "app", "a", "app.kubernetes.io/name", "cert-manager.io/issuer-name", "A_b.c-D", "x/y",
           "1abc", std::string(63, 'k'), std::string(253, 'p') + "/n"}) {
    SCOPED_TRACE(key);
    EXPECT_TRUE(ValidateLabelKey(key).ok()) << ValidateLabelKey(key);
  }
  for (const std::string& value :
       std::vector<std::string>{"", "v", "web-1", "A.b_c", "123", std::string(63, 'v')}) {
    SCOPED_TRACE(value);
    EXPECT_TRUE(ValidateLabelValue(value).ok());
  }
}

TEST(LabelValidation, RejectsBadKeysNamingTheProblem) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"", "name part must be non-empty"},
      {"-app", "name part must consist"},
      {"app-", "name part must consist"},
      {"a b", "name part must consist"},
      {std::string(64, 'k'), "no more than 63"},
      {"/name", "prefix part must be non-empty"},
      {"example.com/", "name part must be non-empty"},
      {"Example.com/name", "prefix part must be a lowercase RFC 1123 subdomain"},
      {"exa_mple.com/name", "prefix part"},
      {"-example.com/name", "prefix part"},
      {"example..com/name", "prefix part"},
      {std::string(254, 'p') + "/n", "prefix part"},
      {"a/b/c", "at most one '/'"},
  };
  for (const auto& [key, why] : cases) {
    SCOPED_TRACE(key);
    absl::Status status = ValidateLabelKey(key);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), HasSubstr(why));
    EXPECT_THAT(std::string(status.message()), HasSubstr("\"" + key + "\""));
  }
}

TEST(LabelValidation, RejectsBadValues) {
  for (const std::string& value :
       std::vector<std::string>{"-v", "v-", "a b", "a/b", std::string(64, 'v')}) {
    SCOPED_TRACE(value);
    absl::Status status = ValidateLabelValue(value);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(status.message()), HasSubstr(value));
  }
}

}  // namespace
}  // namespace certforge::kube
