#include "services/local-apiserver/resource_strategy.h"

namespace certforge::apiserver {

bool ResourceStrategy::HasFinalizers(const nlohmann::json& object) const {
  auto meta = object.find("metadata");
  if (meta == object.end() || !meta->is_object()) return false;
  auto fin = meta->find("finalizers");
  return fin != meta->end() && fin->is_array() && !fin->empty();
}

}  // namespace certforge::apiserver
