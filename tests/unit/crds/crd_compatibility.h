#pragma once
// Compares certforge's CRD with cert-manager's. Every check returns a list of human-readable
// problems (empty = compatible), one line per path, so a failing test says exactly what differs.
//
// "Compatible" means: every manifest valid under the upstream CRD is valid under ours and means the
// same. So ours must declare every upstream path with the same type (or keep unknown fields above
// it), and may validate less but never more.

#include <string>
#include <vector>

#include "tests/unit/crds/crd_schema_index.h"

namespace certforge::crds {

using Problems = std::vector<std::string>;

class CrdCompatibility {
 public:
  CrdCompatibility(const CrdSchemaIndex& upstream, const CrdSchemaIndex& ours)
      : upstream_(upstream), ours_(ours) {}

  // metadata.name, group, scope and names (kind, listKind, plural, singular, shortNames,
  // categories).
  Problems NamesAndScope() const;
  // Versions (served/storage), subresources, printer columns (in order) and selectable fields.
  Problems Versions() const;
  // Upstream paths missing from ours (and not under a node of ours that keeps unknown fields),
  // or present with another type.
  Problems MissingOrRetypedPaths() const;
  // Enums of ours that lack an upstream value, or that upstream does not have.
  Problems NarrowerEnums() const;
  // Required properties of ours that upstream does not require.
  Problems ExtraRequired() const;
  // Defaults that differ (a default changes what a stored object means).
  Problems DifferentDefaults() const;
  // Patterns, formats, bounds, list types and CEL rules of ours that upstream does not impose.
  Problems StricterValidations() const;
  // Kubernetes extensions upstream relies on (list-type map/set and keys, int-or-string,
  // preserve-unknown-fields, map-type) that ours drops.
  Problems MissingExtensions() const;
  // Long descriptions that are word for word upstream's (we write our own).
  Problems CopiedDescriptions() const;

 private:
  const CrdSchemaIndex& upstream_;
  const CrdSchemaIndex& ours_;
};

}  // namespace certforge::crds
