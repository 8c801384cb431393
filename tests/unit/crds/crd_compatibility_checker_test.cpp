// The checker itself: each check must catch the defect it exists for, or the CRD tests prove
// nothing. Small inline CRDs, one deliberate defect each.

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "tests/unit/crds/crd_compatibility.h"
#include "tests/unit/crds/crd_schema_index.h"

namespace certforge::crds {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A CRD around `spec_schema` (the schema of .spec, flow YAML) with printer columns `columns`.
std::string Crd(const std::string& spec_schema, const std::string& columns = "",
                const std::string& short_names = "[w]") {
  YAML::Node crd = YAML::Load(R"(
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.io}
spec:
  group: example.io
  scope: Namespaced
  names: {kind: Widget, listKind: WidgetList, plural: widgets, singular: widget}
  versions:
  - name: v1
    served: true
    storage: true
    subresources: {status: {}}
    schema:
      openAPIV3Schema:
        type: object
        properties: {}
)");
  crd["spec"]["names"]["shortNames"] = YAML::Load(short_names);
  crd["spec"]["names"]["categories"] = YAML::Load("[all]");
  YAML::Node version = crd["spec"]["versions"][0];
  version["additionalPrinterColumns"] = YAML::Load("[" + columns + "]");
  version["schema"]["openAPIV3Schema"]["properties"]["spec"] = YAML::Load(spec_schema);
  return YAML::Dump(crd);
}

const char kUpstreamSpec[] = R"({type: object, required: [name],
  properties: {
    name: {type: string, description: "The name of the widget that this object configures."},
    mode: {type: string, enum: [Fast, Slow], default: Fast},
    size: {type: integer, minimum: 1, maximum: 10},
    tags: {type: array, items: {type: string}, x-kubernetes-list-type: atomic},
    ports: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name],
            items: {type: object, required: [name], properties: {name: {type: string}}}},
    pod: {type: object, properties: {affinity: {type: object, properties: {
            nodeAffinity: {type: object, properties: {weight: {type: integer}}}}}}}}})";

CrdSchemaIndex Load(const std::string& yaml) {
  auto index = CrdSchemaIndex::FromString(yaml);
  EXPECT_TRUE(index.ok()) << index.status();
  return *std::move(index);
}

class CheckerTest : public ::testing::Test {
 protected:
  CrdSchemaIndex upstream_ =
      Load(Crd(kUpstreamSpec, "{name: Mode, type: string, jsonPath: .spec.mode}"));
};

TEST_F(CheckerTest, IdenticalCrdsHaveNoProblems) {
  CrdCompatibility check(upstream_, upstream_);
  EXPECT_THAT(check.NamesAndScope(), IsEmpty());
  EXPECT_THAT(check.Versions(), IsEmpty());
  EXPECT_THAT(check.MissingOrRetypedPaths(), IsEmpty());
  EXPECT_THAT(check.NarrowerEnums(), IsEmpty());
  EXPECT_THAT(check.ExtraRequired(), IsEmpty());
  EXPECT_THAT(check.DifferentDefaults(), IsEmpty());
  EXPECT_THAT(check.StricterValidations(), IsEmpty());
  EXPECT_THAT(check.MissingExtensions(), IsEmpty());
}

TEST_F(CheckerTest, IndexesPropertiesItemsAndMaps) {
  EXPECT_TRUE(upstream_.Find(".spec.tags[]").has_value());
  EXPECT_TRUE(upstream_.Find(".spec.pod.affinity.nodeAffinity.weight").has_value());
  EXPECT_FALSE(upstream_.Find(".spec.nothing").has_value());
  auto with_map = Load(Crd("{type: object, additionalProperties: {type: string}}"));
  EXPECT_TRUE(with_map.Find(".spec{}").has_value());
}

TEST_F(CheckerTest, ReportsMissingSubtreeOnceAndRetypedField) {
  auto ours = Load(Crd(R"({type: object, required: [name], properties: {
      name: {type: integer}, mode: {type: string, enum: [Fast, Slow], default: Fast},
      size: {type: integer}, tags: {type: array, items: {type: string}},
      ports: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name],
              items: {type: object, required: [name], properties: {name: {type: string}}}}}})"));
  EXPECT_THAT(CrdCompatibility(upstream_, ours).MissingOrRetypedPaths(),
              ElementsAre("type of .spec.name: upstream string, ours integer",
                          "missing .spec.pod (object) and 3 nested path(s)"));
}

TEST_F(CheckerTest, PreserveUnknownFieldsCoversNestedPaths) {
  auto ours = Load(Crd(R"({type: object, properties: {
      name: {type: string}, mode: {type: string, default: Fast}, size: {type: integer},
      tags: {type: array, items: {type: string}},
      ports: {type: array, x-kubernetes-list-type: map, x-kubernetes-list-map-keys: [name],
              items: {type: object, required: [name], properties: {name: {type: string}}}},
      pod: {type: object, properties: {
              affinity: {type: object, x-kubernetes-preserve-unknown-fields: true}}}}})"));
  CrdCompatibility check(upstream_, ours);
  EXPECT_THAT(check.MissingOrRetypedPaths(), IsEmpty());
  EXPECT_EQ(ours.PreservingAncestor(".spec.pod.affinity.nodeAffinity.weight"),
            ".spec.pod.affinity");
  EXPECT_FALSE(ours.PreservingAncestor(".spec.pod").has_value());
}

TEST_F(CheckerTest, CatchesNarrowerEnumsExtraRequiredAndChangedDefaults) {
  auto ours = Load(Crd(R"({type: object, required: [name, size], properties: {
      name: {type: string}, mode: {type: string, enum: [Fast], default: Slow},
      size: {type: integer, enum: [1, 2]}}})"));
  CrdCompatibility check(upstream_, ours);
  EXPECT_THAT(check.NarrowerEnums(),
              ElementsAre("enum at .spec.mode lacks [Slow]",
                          "enum at .spec.size [1, 2]: upstream allows any value"));
  EXPECT_THAT(check.ExtraRequired(),
              ElementsAre(".spec requires [size]; upstream requires [name]"));
  EXPECT_THAT(check.DifferentDefaults(),
              ElementsAre("default of .spec.mode: upstream 'Fast', ours 'Slow'"));
}

TEST_F(CheckerTest, CatchesStricterBoundsPatternsAndListTypes) {
  auto ours = Load(Crd(R"({type: object, properties: {
      name: {type: string, pattern: "^[a-z]+$"}, size: {type: integer, minimum: 2, maximum: 10},
      tags: {type: array, items: {type: string}, x-kubernetes-list-type: set},
      ports: {type: array, items: {type: object, properties: {name: {type: string}}}}}})"));
  CrdCompatibility check(upstream_, ours);
  auto stricter = check.StricterValidations();
  EXPECT_THAT(stricter,
              ElementsAre(HasSubstr(".spec.name: pattern"), ".spec.size: minimum 2, upstream 1",
                          HasSubstr(".spec.tags: x-kubernetes-list-type set")));
  EXPECT_THAT(check.MissingExtensions(),
              ElementsAre(HasSubstr(".spec.ports: x-kubernetes-list-type (none), upstream map"),
                          HasSubstr(".spec.ports: x-kubernetes-list-map-keys differ")));
}

TEST_F(CheckerTest, CatchesColumnNameAndCopiedDescriptionDifferences) {
  auto ours = Load(Crd(R"({type: object, properties: {
      name: {type: string, description: "The name of the widget that this object configures."}}})",
                       "{name: Mode, type: string, jsonPath: .spec.mode, priority: 1}", "[wd]"));
  CrdCompatibility check(upstream_, ours);
  EXPECT_THAT(check.Versions(), ElementsAre(HasSubstr("printer column #1")));
  EXPECT_THAT(check.NamesAndScope(), ElementsAre("spec.names.shortNames: upstream [w], ours [wd]"));
  EXPECT_THAT(check.CopiedDescriptions(),
              ElementsAre("description of .spec.name is upstream's text"));
}

TEST(CrdSchemaIndexTest, RejectsWhatIsNotACrd) {
  EXPECT_FALSE(CrdSchemaIndex::FromString("kind: ConfigMap").ok());
  EXPECT_FALSE(CrdSchemaIndex::FromString("kind: [unclosed").ok());
  EXPECT_FALSE(CrdSchemaIndex::FromFile("/nonexistent/crd.yaml").ok());
}

}  // namespace
}  // namespace certforge::crds
