#include "services/local-apiserver/discovery.h"

#include <algorithm>
#include <regex>

namespace certforge::apiserver {
namespace {

using nlohmann::json;

const json kVerbs = {"create", "delete", "deletecollection", "get",
                     "list",   "patch",  "update",           "watch"};

json GroupVersionEntry(const std::string& group, const std::string& version) {
  return {{"groupVersion", group + "/" + version}, {"version", version}};
}

json GroupDocument(const std::string& group, const std::vector<std::string>& versions) {
  json vs = json::array();
  for (const auto& v : versions) vs.push_back(GroupVersionEntry(group, v));
  return {{"name", group}, {"versions", vs}, {"preferredVersion", GroupVersionEntry(group, versions[0])}};
}

}  // namespace

bool VersionMorePreferred(const std::string& a, const std::string& b) {
  static const std::regex kVersion("^v([0-9]+)(?:(alpha|beta)([0-9]+))?$");
  std::smatch ma, mb;
  bool ka = std::regex_match(a, ma, kVersion), kb = std::regex_match(b, mb, kVersion);
  if (ka != kb) return ka;
  if (!ka) return a < b;
  auto rank = [](const std::smatch& m) { return m[2] == "" ? 2 : (m[2] == "beta" ? 1 : 0); };
  if (rank(ma) != rank(mb)) return rank(ma) > rank(mb);
  int major_a = std::stoi(ma[1]), major_b = std::stoi(mb[1]);
  if (major_a != major_b) return major_a > major_b;
  int minor_a = ma[3].matched ? std::stoi(ma[3]) : 0, minor_b = mb[3].matched ? std::stoi(mb[3]) : 0;
  return minor_a > minor_b;
}

json Discovery::Version() {
  return {{"major", "1"},
          {"minor", "32"},
          {"gitVersion", "v1.32.4+certforge"},
          {"gitCommit", "certforge"},
          {"gitTreeState", "clean"},
          {"buildDate", "2026-11-27T00:00:00Z"},
          {"goVersion", "none"},
          {"compiler", "gc"},
          {"platform", "linux/amd64"}};
}

json Discovery::ApiVersions(const std::string& server_address) const {
  return {{"kind", "APIVersions"},
          {"versions", {"v1"}},
          {"serverAddressByClientCIDRs",
           {{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", server_address}}}}};
}

std::map<std::string, std::vector<std::string>> Discovery::GroupVersions() const {
  std::map<std::string, std::vector<std::string>> out;
  for (const auto& t : catalog_.All()) {
    if (t->group.empty()) continue;
    auto& vs = out[t->group];
    if (std::find(vs.begin(), vs.end(), t->version) == vs.end()) vs.push_back(t->version);
  }
  for (auto& [g, vs] : out) std::sort(vs.begin(), vs.end(), VersionMorePreferred);
  return out;
}

json Discovery::ApiGroupList() const {
  json groups = json::array();
  for (const auto& [group, versions] : GroupVersions()) groups.push_back(GroupDocument(group, versions));
  return {{"kind", "APIGroupList"}, {"apiVersion", "v1"}, {"groups", groups}};
}

std::optional<json> Discovery::ApiGroup(const std::string& group) const {
  auto all = GroupVersions();
  auto it = all.find(group);
  if (it == all.end()) return std::nullopt;
  json doc = GroupDocument(group, it->second);
  doc["kind"] = "APIGroup";
  doc["apiVersion"] = "v1";
  return doc;
}

std::optional<json> Discovery::ResourceList(const std::string& group,
                                            const std::string& version) const {
  json resources = json::array();
  for (const auto& t : catalog_.All()) {
    if (t->group != group || t->version != version) continue;
    json r = {{"name", t->resource},      {"singularName", t->singular},
              {"namespaced", t->namespaced}, {"kind", t->kind},
              {"verbs", kVerbs}};
    if (!t->short_names.empty()) r["shortNames"] = t->short_names;
    if (!t->categories.empty()) r["categories"] = t->categories;
    resources.push_back(r);
    if (t->status_subresource) {
      resources.push_back({{"name", t->resource + "/status"},
                           {"singularName", ""},
                           {"namespaced", t->namespaced},
                           {"kind", t->kind},
                           {"verbs", {"get", "patch", "update"}}});
    }
  }
  if (resources.empty()) return std::nullopt;
  return json{{"kind", "APIResourceList"},
              {"apiVersion", "v1"},
              {"groupVersion", group.empty() ? version : group + "/" + version},
              {"resources", resources}};
}

std::string Discovery::Hash() const {
  return instance_id_ + "-" + std::to_string(catalog_.generation());
}

json Discovery::OpenApiV3Index() const {
  json paths = json::object();
  std::string hash = Hash();
  paths["api/v1"] = {{"serverRelativeURL", "/openapi/v3/api/v1?hash=" + hash}};
  for (const auto& [group, versions] : GroupVersions()) {
    for (const auto& v : versions) {
      std::string key = "apis/" + group + "/" + v;
      paths[key] = {{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + hash}};
    }
  }
  return {{"paths", paths}};
}

std::optional<json> Discovery::OpenApiV3Document(const std::string& group,
                                                 const std::string& version) const {
  json paths = json::object();
  for (const auto& t : catalog_.All()) {
    if (t->group != group || t->version != version) continue;
    std::string prefix = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
    std::string item = prefix + (t->namespaced ? "/namespaces/{namespace}/" : "/") + t->resource +
                       "/{name}";
    // A PATCH operation with the fieldValidation parameter tells kubectl to validate on the
    // server. Strategic merge is deliberately not advertised: kubectl then uses its own types.
    paths[item] = {
        {"patch",
         {{"x-kubernetes-group-version-kind",
           {{"group", group}, {"version", version}, {"kind", t->kind}}},
          {"parameters",
           {{{"name", "fieldValidation"}, {"in", "query"}, {"schema", {{"type", "string"}}}}}},
          {"responses", {{"200", {{"description", "OK"}}}}}}}};
  }
  if (paths.empty()) return std::nullopt;
  return json{{"openapi", "3.0.0"},
              {"info", {{"title", "Kubernetes"}, {"version", "v1.32.4"}}},
              {"paths", paths}};
}

}  // namespace certforge::apiserver
