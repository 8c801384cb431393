// certforge's CRDs against cert-manager's, one parameter per CRD. Skipped when cert-manager's CRDs
// are not available (CERTFORGE_UPSTREAM_CRDS_DIR).

#include "tests/unit/crds/crd_compatibility.h"

#include <gtest/gtest.h>

#include <cctype>
#include <filesystem>
#include <optional>
#include <string>

#include "tests/unit/crds/crd_schema_index.h"
#include "tests/unit/crds/no_problems.h"

namespace certforge::crds {
namespace {

namespace fs = std::filesystem;

class UpstreamCompatibility : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const fs::path upstream_file = fs::path(UPSTREAM_CRDS_DIR) / GetParam();
    if (!fs::exists(upstream_file)) {
      GTEST_SKIP() << "cert-manager's CRD not available: " << upstream_file;
    }
    auto upstream = CrdSchemaIndex::FromFile(upstream_file);
    ASSERT_TRUE(upstream.ok()) << upstream.status();
    auto ours = CrdSchemaIndex::FromFile(fs::path(PROJECT_CRDS_DIR) / GetParam());
    ASSERT_TRUE(ours.ok()) << ours.status();
    upstream_.emplace(*std::move(upstream));
    ours_.emplace(*std::move(ours));
    check_.emplace(*upstream_, *ours_);
  }

  std::optional<CrdSchemaIndex> upstream_;
  std::optional<CrdSchemaIndex> ours_;
  std::optional<CrdCompatibility> check_;
};

TEST_P(UpstreamCompatibility, SameNamesAndScope) {
  EXPECT_TRUE(NoProblems(check_->NamesAndScope()));
}

TEST_P(UpstreamCompatibility, SameVersionsColumnsSubresourcesAndSelectableFields) {
  EXPECT_TRUE(NoProblems(check_->Versions()));
}

TEST_P(UpstreamCompatibility, EveryUpstreamPathExistsWithTheSameType) {
  EXPECT_TRUE(NoProblems(check_->MissingOrRetypedPaths()));
}

TEST_P(UpstreamCompatibility, EnumsAllowEveryUpstreamValue) {
  EXPECT_TRUE(NoProblems(check_->NarrowerEnums()));
}

TEST_P(UpstreamCompatibility, RequiresNothingUpstreamDoesNotRequire) {
  EXPECT_TRUE(NoProblems(check_->ExtraRequired()));
}

TEST_P(UpstreamCompatibility, DefaultsEqualUpstream) {
  EXPECT_TRUE(NoProblems(check_->DifferentDefaults()));
}

TEST_P(UpstreamCompatibility, ValidatesNoMoreThanUpstream) {
  EXPECT_TRUE(NoProblems(check_->StricterValidations()));
}

TEST_P(UpstreamCompatibility, KeepsTheKubernetesExtensionsThatMatter) {
  EXPECT_TRUE(NoProblems(check_->MissingExtensions()));
}

TEST_P(UpstreamCompatibility, DescriptionsAreOurOwn) {
  EXPECT_TRUE(NoProblems(check_->CopiedDescriptions()));
}

// Every upstream field is checked somewhere: the schema walk must see a realistic number of paths.
TEST_P(UpstreamCompatibility, ComparesWholeSchemas) {
  EXPECT_GT(upstream_->Nodes().size(), 30u);
  EXPECT_GT(ours_->Nodes().size(), 30u);
}

std::string TestName(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = fs::path(info.param).stem().string();
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(AllCrds, UpstreamCompatibility,
                         ::testing::Values("cert-manager.io_certificates.yaml",
                                           "cert-manager.io_certificaterequests.yaml",
                                           "cert-manager.io_issuers.yaml",
                                           "cert-manager.io_clusterissuers.yaml",
                                           "acme.cert-manager.io_orders.yaml",
                                           "acme.cert-manager.io_challenges.yaml"),
                         TestName);

}  // namespace
}  // namespace certforge::crds
