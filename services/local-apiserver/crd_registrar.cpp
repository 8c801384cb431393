#include "services/local-apiserver/crd_registrar.h"

#include "lib/kube/json_parse.h"
#include "services/local-apiserver/crd_strategy.h"
#include "spdlog/spdlog.h"

namespace certforge::apiserver {

absl::Status CrdRegistrar::LoadAll(const SqliteStore& store) {
  ListQuery query;
  query.resource = "customresourcedefinitions.apiextensions.k8s.io";
  auto rev = store.List(query, [&](ObjectRecord&& record) {
    auto crd = kube::ParseJsonOrDiscarded(record.body);
    if (!crd.is_discarded()) Apply(crd, false);
    return true;
  });
  return rev.status();
}

void CrdRegistrar::OnCommit(const CommittedChange& change) {
  if (change.resource.group != "apiextensions.k8s.io" ||
      change.resource.resource != "customresourcedefinitions") {
    return;
  }
  Apply(change.object, change.type == ChangeType::kDeleted);
}

void CrdRegistrar::Apply(const nlohmann::json& crd, bool deleted) {
  const auto& spec = crd.value("spec", nlohmann::json::object());
  std::string group = spec.value("group", "");
  std::string plural = spec.value("names", nlohmann::json::object()).value("plural", "");
  if (deleted) {
    catalog_.Unregister(group, plural);
    spdlog::info("stopped serving {}.{}", plural, group);
    return;
  }
  auto types = ResourceTypesFromCrd(crd);
  if (!types.ok()) {
    spdlog::error("cannot serve CRD {}: {}", crd["metadata"].value("name", ""),
                  std::string(types.status().message()));
    return;
  }
  bool terminating = crd["metadata"].contains("deletionTimestamp");
  std::vector<ResourceTypePtr> ptrs;
  for (auto& t : *types) {
    t.terminating = terminating;
    ptrs.push_back(std::make_shared<const ResourceType>(std::move(t)));
  }
  catalog_.Replace(group, plural, std::move(ptrs));
}

}  // namespace certforge::apiserver
