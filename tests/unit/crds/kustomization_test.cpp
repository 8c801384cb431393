// deploy/kustomize/base/crds/kustomization.yaml must list exactly the CRD files beside it, and each
// file must be named <group>_<plural>.yaml after the CRD it holds, or `kubectl kustomize` silently
// leaves a CRD out.

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "tests/unit/crds/crd_schema_index.h"
#include "tests/unit/crds/no_problems.h"

namespace certforge::crds {
namespace {

namespace fs = std::filesystem;

const fs::path kCrdsDir = PROJECT_CRDS_DIR;

std::set<std::string> YamlFilesIn(const fs::path& dir) {
  std::set<std::string> files;
  for (const auto& entry : fs::directory_iterator(dir)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && entry.path().extension() == ".yaml" &&
        name != "kustomization.yaml") {
      files.insert(name);
    }
  }
  return files;
}

std::set<std::string> ListedResources(const fs::path& kustomization) {
  const YAML::Node doc = YAML::LoadFile(kustomization.string());
  const std::vector<std::string> listed = ScalarList(doc, "resources");
  return {listed.begin(), listed.end()};
}

TEST(CrdKustomization, ListsEveryCrdFileAndNothingElse) {
  const std::set<std::string> files = YamlFilesIn(kCrdsDir);
  const std::set<std::string> listed = ListedResources(kCrdsDir / "kustomization.yaml");
  std::vector<std::string> problems;
  for (const std::string& file : files) {
    if (!listed.contains(file)) problems.push_back(file + " is not listed in kustomization.yaml");
  }
  for (const std::string& resource : listed) {
    if (!files.contains(resource)) problems.push_back(resource + " is listed but does not exist");
  }
  EXPECT_TRUE(NoProblems(problems));
}

TEST(CrdKustomization, HoldsTheSixCertManagerResources) {
  EXPECT_THAT(YamlFilesIn(kCrdsDir),
              ::testing::IsSupersetOf(
                  {"cert-manager.io_certificates.yaml", "cert-manager.io_certificaterequests.yaml",
                   "cert-manager.io_issuers.yaml", "cert-manager.io_clusterissuers.yaml",
                   "acme.cert-manager.io_orders.yaml", "acme.cert-manager.io_challenges.yaml"}));
}

TEST(CrdKustomization, FileNamesMatchTheirCrds) {
  std::vector<std::string> problems;
  for (const std::string& file : YamlFilesIn(kCrdsDir)) {
    auto crd = CrdSchemaIndex::FromFile(kCrdsDir / file);
    if (!crd.ok()) {
      problems.push_back(file + ": " + std::string(crd.status().message()));
      continue;
    }
    const YAML::Node spec = Field(crd->Crd(), "spec");
    const std::string group = ScalarOr(spec, "group");
    const std::string plural = ScalarOr(Field(spec, "names"), "plural");
    if (file != group + "_" + plural + ".yaml") {
      problems.push_back(file + " holds " + plural + "." + group);
    }
    if (ScalarOr(Field(crd->Crd(), "metadata"), "name") != plural + "." + group) {
      problems.push_back(file + ": metadata.name is not " + plural + "." + group);
    }
  }
  EXPECT_TRUE(NoProblems(problems));
}

TEST(BaseKustomization, IncludesTheCrds) {
  EXPECT_TRUE(ListedResources(kCrdsDir.parent_path() / "kustomization.yaml").contains("crds"));
}

}  // namespace
}  // namespace certforge::crds
