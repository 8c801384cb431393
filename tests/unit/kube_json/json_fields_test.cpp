#include "lib/kube/json_fields.h"

#include <gtest/gtest.h>

namespace certforge::kube {
namespace {

using nlohmann::json;

TEST(JsonFieldsTest, ObjectAtRefersToTheMemberWithoutCopying) {
  const json certificate = {{"spec", {{"secretName", "tls"}}}, {"status", "not an object"}};
  const json& spec = ObjectAt(certificate, "spec");
  EXPECT_EQ(&spec, &certificate["spec"]);
  EXPECT_EQ(spec.value("secretName", ""), "tls");
  // Absent, not an object, or read from a non-object: an empty object.
  EXPECT_EQ(ObjectAt(certificate, "missing"), json::object());
  EXPECT_EQ(ObjectAt(certificate, "status"), json::object());
  EXPECT_EQ(ObjectAt(json::array({1}), "spec"), json::object());
  EXPECT_EQ(ObjectAt(ObjectAt(certificate, "missing"), "deeper"), json::object());
}

TEST(JsonFieldsTest, ArrayAtRefersToTheMemberWithoutCopying) {
  const json meta = {{"ownerReferences", {{{"uid", "a"}}}}, {"labels", {{"k", "v"}}}};
  const json& refs = ArrayAt(meta, "ownerReferences");
  EXPECT_EQ(&refs, &meta["ownerReferences"]);
  EXPECT_EQ(refs.size(), 1u);
  EXPECT_EQ(ArrayAt(meta, "labels"), json::array());
  EXPECT_EQ(ArrayAt(meta, "missing"), json::array());
  EXPECT_EQ(ArrayAt("text", "ownerReferences"), json::array());
}

}  // namespace
}  // namespace certforge::kube
