#pragma once
// The built-in kinds local-apiserver serves besides CRDs: namespaces, secrets, configmaps,
// events (core/v1), leases (coordination.k8s.io/v1), ingresses (networking.k8s.io/v1) and
// customresourcedefinitions (apiextensions.k8s.io/v1).

#include "absl/status/status.h"
#include "services/local-apiserver/resource_catalog.h"

namespace certforge::apiserver {

absl::Status RegisterBuiltinResources(ResourceCatalog& catalog);

// The Age column every kind ends with.
PrinterColumn AgeColumn();

}  // namespace certforge::apiserver
