#pragma once
// labelSelector and fieldSelector of a list or watch, checked against stored objects. Labels
// are matched without parsing the object body (the store keeps them apart); fields that are
// not the name or namespace parse the body once.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "absl/status/statusor.h"
#include "lib/kube/field_selector.h"
#include "lib/kube/label_selector.h"
#include "services/local-apiserver/resource_type.h"
#include "services/local-apiserver/sqlite_store.h"

namespace certforge::apiserver {

class ObjectFilter {
 public:
  // 400 BadRequest for a malformed selector or a field the resource does not support.
  static absl::StatusOr<ObjectFilter> Create(const ResourceType& type,
                                             const std::string& label_selector,
                                             const std::string& field_selector);

  bool Matches(const ObjectRecord& record) const;
  bool Matches(const nlohmann::json& object) const;
  bool matches_everything() const { return labels_.Empty() && fields_.Empty(); }

 private:
  ObjectFilter(kube::LabelSelector labels, kube::FieldSelector fields, bool needs_body)
      : labels_(std::move(labels)), fields_(std::move(fields)), needs_body_(needs_body) {}

  kube::LabelSelector labels_;
  kube::FieldSelector fields_;
  bool needs_body_;
};

}  // namespace certforge::apiserver
