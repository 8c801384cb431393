#include "tests/unit/crds/crd_compatibility.h"

#include <algorithm>
#include <initializer_list>
#include <iterator>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace certforge::crds {
namespace {

constexpr std::size_t kLongDescription = 40;  // shorter texts may match by accident

YAML::Node At(const YAML::Node& node, std::initializer_list<std::string_view> keys) {
  YAML::Node current = node;
  // reset() rebinds; operator= would overwrite the node `current` refers to.
  for (std::string_view key : keys) current.reset(Field(current, key));
  return current;
}

std::set<std::string> AsSet(const std::vector<std::string>& values) {
  return {values.begin(), values.end()};
}

std::string Braced(const std::set<std::string>& values) {
  return absl::StrCat("[", absl::StrJoin(values, ", "), "]");
}

std::string Shown(const std::string& value) { return value.empty() ? "(none)" : value; }

double Number(const std::string& text) {
  double value = 0;
  return absl::SimpleAtod(text, &value) ? value : 0;
}

std::string ColumnText(const YAML::Node& column) {
  return absl::StrCat(ScalarOr(column, "name"), " type=", ScalarOr(column, "type"),
                      " jsonPath=", ScalarOr(column, "jsonPath"),
                      " priority=", ScalarOr(column, "priority", "0"),
                      " format=", Shown(ScalarOr(column, "format")));
}

// Calls `check(path, theirs, ours)` for every path both schemas declare.
template <typename Check>
void ForSharedPaths(const CrdSchemaIndex& upstream, const CrdSchemaIndex& ours, Check check) {
  for (const auto& [path, theirs] : upstream.Nodes()) {
    if (auto mine = ours.Find(path)) check(path, theirs, *mine);
  }
}

}  // namespace

Problems CrdCompatibility::NamesAndScope() const {
  Problems problems;
  auto compare = [&](std::initializer_list<std::string_view> keys, const std::string& what) {
    const YAML::Node upstream_value = At(upstream_.Crd(), keys);
    const YAML::Node our_value = At(ours_.Crd(), keys);
    const std::string theirs = upstream_value.IsScalar() ? upstream_value.Scalar() : "";
    const std::string mine = our_value.IsScalar() ? our_value.Scalar() : "";
    if (theirs != mine) {
      problems.push_back(absl::StrCat(what, ": upstream ", Shown(theirs), ", ours ", Shown(mine)));
    }
  };
  compare({"metadata", "name"}, "metadata.name");
  compare({"spec", "group"}, "spec.group");
  compare({"spec", "scope"}, "spec.scope");
  for (const char* field : {"kind", "listKind", "plural", "singular"}) {
    compare({"spec", "names", field}, absl::StrCat("spec.names.", field));
  }
  for (const char* field : {"shortNames", "categories"}) {
    auto theirs = AsSet(ScalarList(At(upstream_.Crd(), {"spec", "names"}), field));
    auto mine = AsSet(ScalarList(At(ours_.Crd(), {"spec", "names"}), field));
    if (theirs != mine) {
      problems.push_back(absl::StrCat("spec.names.", field, ": upstream ", Braced(theirs),
                                      ", ours ", Braced(mine)));
    }
  }
  return problems;
}

Problems CrdCompatibility::Versions() const {
  Problems problems;
  const YAML::Node theirs_versions = At(upstream_.Crd(), {"spec", "versions"});
  const YAML::Node our_versions = At(ours_.Crd(), {"spec", "versions"});
  for (const YAML::Node& theirs : theirs_versions) {
    const std::string name = ScalarOr(theirs, "name");
    const YAML::Node mine = ours_.Version(name);
    if (!mine.IsMap()) {
      problems.push_back(absl::StrCat("version ", name, " is missing"));
      continue;
    }
    for (const char* flag : {"served", "storage"}) {
      if (ScalarOr(theirs, flag, "false") != ScalarOr(mine, flag, "false")) {
        problems.push_back(absl::StrCat("version ", name, ": ", flag, " is ",
                                        ScalarOr(mine, flag, "false"), ", upstream ",
                                        ScalarOr(theirs, flag, "false")));
      }
    }
    if (Canonical(Field(theirs, "subresources")) != Canonical(Field(mine, "subresources"))) {
      problems.push_back(absl::StrCat("version ", name, ": subresources ",
                                      Canonical(Field(mine, "subresources")), ", upstream ",
                                      Canonical(Field(theirs, "subresources"))));
    }
    const YAML::Node their_columns = Field(theirs, "additionalPrinterColumns");
    const YAML::Node our_columns = Field(mine, "additionalPrinterColumns");
    const std::size_t columns = std::max(their_columns.size(), our_columns.size());
    for (std::size_t i = 0; i < columns; ++i) {
      std::string t = i < their_columns.size() ? ColumnText(their_columns[i]) : "(none)";
      std::string o = i < our_columns.size() ? ColumnText(our_columns[i]) : "(none)";
      if (t != o) {
        problems.push_back(absl::StrCat("version ", name, ": printer column #", i + 1,
                                        ": upstream {", t, "}, ours {", o, "}"));
      }
    }
    std::set<std::string> their_fields, our_fields;
    for (const YAML::Node& f : Field(theirs, "selectableFields")) {
      their_fields.insert(ScalarOr(f, "jsonPath"));
    }
    for (const YAML::Node& f : Field(mine, "selectableFields")) {
      our_fields.insert(ScalarOr(f, "jsonPath"));
    }
    if (their_fields != our_fields) {
      problems.push_back(absl::StrCat("version ", name, ": selectableFields upstream ",
                                      Braced(their_fields), ", ours ", Braced(our_fields)));
    }
  }
  for (const YAML::Node& mine : our_versions) {
    if (!upstream_.Version(ScalarOr(mine, "name")).IsMap()) {
      problems.push_back(absl::StrCat("version ", ScalarOr(mine, "name"), " is not upstream's"));
    }
  }
  return problems;
}

Problems CrdCompatibility::MissingOrRetypedPaths() const {
  Problems problems;
  std::string missing_root;  // report a missing subtree once, with the size of what it hides
  std::size_t hidden = 0;
  auto flush = [&] {
    if (missing_root.empty()) return;
    problems.back() += hidden ? absl::StrCat(" and ", hidden, " nested path(s)") : "";
    missing_root.clear();
    hidden = 0;
  };
  for (const auto& [path, theirs] : upstream_.Nodes()) {
    if (!missing_root.empty() && IsAtOrBelow(missing_root, path)) {
      ++hidden;
      continue;
    }
    flush();
    const std::string their_type = ScalarOr(theirs, "type");
    if (auto mine = ours_.Find(path)) {
      const std::string our_type = ScalarOr(*mine, "type");
      if (our_type != their_type) {
        problems.push_back(absl::StrCat("type of ", CrdSchemaIndex::Label(path), ": upstream ",
                                        Shown(their_type), ", ours ", Shown(our_type)));
      }
    } else if (!ours_.PreservingAncestor(path)) {
      problems.push_back(absl::StrCat("missing ", path, " (", Shown(their_type), ")"));
      missing_root = path;
    }
  }
  flush();
  return problems;
}

Problems CrdCompatibility::NarrowerEnums() const {
  Problems problems;
  ForSharedPaths(upstream_, ours_,
                 [&](const std::string& path, const YAML::Node& theirs, const YAML::Node& mine) {
                   const auto our_values = AsSet(ScalarList(mine, "enum"));
                   if (our_values.empty()) return;
                   const auto their_values = AsSet(ScalarList(theirs, "enum"));
                   if (their_values.empty()) {
                     problems.push_back(absl::StrCat("enum at ", path, " ", Braced(our_values),
                                                     ": upstream allows any value"));
                     return;
                   }
                   std::set<std::string> lacking;
                   std::set_difference(their_values.begin(), their_values.end(), our_values.begin(),
                                       our_values.end(), std::inserter(lacking, lacking.end()));
                   if (!lacking.empty()) {
                     problems.push_back(absl::StrCat("enum at ", path, " lacks ", Braced(lacking)));
                   }
                 });
  return problems;
}

Problems CrdCompatibility::ExtraRequired() const {
  Problems problems;
  ForSharedPaths(
      upstream_, ours_,
      [&](const std::string& path, const YAML::Node& theirs, const YAML::Node& mine) {
        const auto their_required = AsSet(ScalarList(theirs, "required"));
        std::set<std::string> extra;
        for (const std::string& field : ScalarList(mine, "required")) {
          if (!their_required.contains(field)) extra.insert(field);
        }
        if (!extra.empty()) {
          problems.push_back(absl::StrCat(CrdSchemaIndex::Label(path), " requires ", Braced(extra),
                                          "; upstream requires ", Braced(their_required)));
        }
      });
  return problems;
}

Problems CrdCompatibility::DifferentDefaults() const {
  Problems problems;
  for (const auto& [path, theirs] : upstream_.Nodes()) {
    const YAML::Node their_default = Field(theirs, "default");
    if (auto mine = ours_.Find(path)) {
      const YAML::Node our_default = Field(*mine, "default");
      if (Canonical(their_default) != Canonical(our_default)) {
        problems.push_back(absl::StrCat("default of ", CrdSchemaIndex::Label(path), ": upstream ",
                                        Canonical(their_default), ", ours ",
                                        Canonical(our_default)));
      }
    } else if (their_default.IsDefined() && !their_default.IsNull()) {
      problems.push_back(absl::StrCat("default of ", path, " (", Canonical(their_default),
                                      ") is lost: ours does not declare the field"));
    }
  }
  return problems;
}

Problems CrdCompatibility::StricterValidations() const {
  Problems problems;
  ForSharedPaths(
      upstream_, ours_,
      [&](const std::string& path, const YAML::Node& theirs, const YAML::Node& mine) {
        auto flag = [&](const std::string& what) {
          problems.push_back(absl::StrCat(CrdSchemaIndex::Label(path), ": ", what));
        };
        for (const char* key : {"pattern", "format"}) {
          const std::string ours = ScalarOr(mine, key);
          if (!ours.empty() && ours != ScalarOr(theirs, key)) {
            flag(absl::StrCat(key, " '", ours, "', upstream '", Shown(ScalarOr(theirs, key)), "'"));
          }
        }
        for (const char* key : {"minimum", "minLength", "minItems", "minProperties"}) {
          const std::string ours = ScalarOr(mine, key), upstream = ScalarOr(theirs, key);
          if (!ours.empty() && (upstream.empty() || Number(ours) > Number(upstream))) {
            flag(absl::StrCat(key, " ", ours, ", upstream ", Shown(upstream)));
          }
        }
        for (const char* key : {"maximum", "maxLength", "maxItems", "maxProperties"}) {
          const std::string ours = ScalarOr(mine, key), upstream = ScalarOr(theirs, key);
          if (!ours.empty() && (upstream.empty() || Number(ours) < Number(upstream))) {
            flag(absl::StrCat(key, " ", ours, ", upstream ", Shown(upstream)));
          }
        }
        for (const char* key : {"exclusiveMinimum", "exclusiveMaximum", "uniqueItems"}) {
          if (FlagSet(mine, key) && !FlagSet(theirs, key)) flag(absl::StrCat(key, " is set"));
        }
        if (FlagSet(theirs, "nullable") && !FlagSet(mine, "nullable")) flag("null is rejected");
        const std::string list_type = ScalarOr(mine, "x-kubernetes-list-type");
        if ((list_type == "set" || list_type == "map") &&
            list_type != ScalarOr(theirs, "x-kubernetes-list-type")) {
          flag(absl::StrCat("x-kubernetes-list-type ", list_type, " demands unique entries"));
        }
        for (const char* key : {"anyOf", "oneOf", "allOf", "not"}) {
          const YAML::Node ours = Field(mine, key);
          if (ours.IsDefined() && !ours.IsNull() &&
              Canonical(ours) != Canonical(Field(theirs, key))) {
            flag(absl::StrCat(key, " differs from upstream"));
          }
        }
        const std::size_t our_rules = Field(mine, "x-kubernetes-validations").size();
        const std::size_t their_rules = Field(theirs, "x-kubernetes-validations").size();
        if (our_rules > their_rules) {
          flag(absl::StrCat(our_rules, " CEL rule(s), upstream ", their_rules));
        }
      });
  return problems;
}

Problems CrdCompatibility::MissingExtensions() const {
  Problems problems;
  ForSharedPaths(
      upstream_, ours_,
      [&](const std::string& path, const YAML::Node& theirs, const YAML::Node& mine) {
        // atomic is what an unset list type means; only map and set change how entries merge.
        const std::string their_list = ScalarOr(theirs, "x-kubernetes-list-type");
        const std::string our_list = ScalarOr(mine, "x-kubernetes-list-type");
        if ((their_list == "map" || their_list == "set") && our_list != their_list) {
          problems.push_back(absl::StrCat(path, ": x-kubernetes-list-type ", Shown(our_list),
                                          ", upstream ", their_list));
        }
        const auto their_keys = ScalarList(theirs, "x-kubernetes-list-map-keys");
        if (their_list == "map" && their_keys != ScalarList(mine, "x-kubernetes-list-map-keys")) {
          problems.push_back(absl::StrCat(path, ": x-kubernetes-list-map-keys differ, upstream [",
                                          absl::StrJoin(their_keys, ", "), "]"));
        }
        for (const char* key : {"x-kubernetes-int-or-string", "x-kubernetes-embedded-resource"}) {
          if (FlagSet(theirs, key) != FlagSet(mine, key)) {
            problems.push_back(absl::StrCat(CrdSchemaIndex::Label(path), ": ", key, " differs"));
          }
        }
        if (FlagSet(theirs, "x-kubernetes-preserve-unknown-fields") &&
            !ours_.PreservingAncestor(path)) {
          problems.push_back(
              absl::StrCat(path, ": upstream keeps unknown fields, ours prunes them"));
        }
        if (ScalarOr(theirs, "x-kubernetes-map-type") != ScalarOr(mine, "x-kubernetes-map-type")) {
          problems.push_back(absl::StrCat(
              path, ": x-kubernetes-map-type ", Shown(ScalarOr(mine, "x-kubernetes-map-type")),
              ", upstream ", Shown(ScalarOr(theirs, "x-kubernetes-map-type"))));
        }
      });
  return problems;
}

Problems CrdCompatibility::CopiedDescriptions() const {
  Problems problems;
  ForSharedPaths(upstream_, ours_,
                 [&](const std::string& path, const YAML::Node& theirs, const YAML::Node& mine) {
                   const std::string text = ScalarOr(mine, "description");
                   if (text.size() >= kLongDescription && text == ScalarOr(theirs, "description")) {
                     problems.push_back(absl::StrCat("description of ", CrdSchemaIndex::Label(path),
                                                     " is upstream's text"));
                   }
                 });
  for (const YAML::Node& theirs : At(upstream_.Crd(), {"spec", "versions"})) {
    const YAML::Node mine = ours_.Version(ScalarOr(theirs, "name"));
    const YAML::Node their_columns = Field(theirs, "additionalPrinterColumns");
    const YAML::Node our_columns = Field(mine, "additionalPrinterColumns");
    for (std::size_t i = 0; i < std::min(their_columns.size(), our_columns.size()); ++i) {
      const std::string text = ScalarOr(our_columns[i], "description");
      if (text.size() >= kLongDescription && text == ScalarOr(their_columns[i], "description")) {
        problems.push_back(absl::StrCat("description of printer column ",
                                        ScalarOr(our_columns[i], "name"), " is upstream's text"));
      }
    }
  }
  return problems;
}

}  // namespace certforge::crds
